"""Concerns recorded on paper: the import page and its template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehoach.core import spreadsheet_imports as si
from kehoach.feedback import sheets


def _wards(request: HttpRequest) -> list:
    wards = sheets.wards_for(request.user)
    if not wards:
        raise PermissionDenied
    return wards


@login_required
def import_concerns(request: HttpRequest) -> HttpResponse:
    wards = _wards(request)

    def run(ward, data: bytes, dry_run: bool):
        return sheets.import_concerns(actor=request.user, ward=ward, data=data, dry_run=dry_run)

    context = si.handle_upload(request, wards=wards, run=run)
    context.update(
        title=_("Import concerns recorded on paper"),
        intro=_(
            "Fill in the template with the concerns heard at meetings and visits, one per row."
            " Each is routed to the unit that handles its category, as when it is typed in."
        ),
        back_url=reverse("feedback:list"),
        back_label=_("Residents' concerns"),
        template_url=reverse("feedback:import_template"),
        export_url=reverse("feedback:list") + "?xuat=xlsx",
        result_block="feedback/_import_result.html",
    )
    return render(request, "core/spreadsheet_import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    ward = si.ward_from_query(request, _wards(request))
    return si.xlsx_response(sheets.build_template(request.user, ward), "mau-nhap-y-kien.xlsx")

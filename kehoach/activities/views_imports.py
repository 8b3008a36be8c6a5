"""Activities from a unit's monthly spreadsheet: the import page and its template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehoach.activities import sheets
from kehoach.core import spreadsheet_imports as si


def _wards(request: HttpRequest) -> list:
    wards = sheets.wards_for(request.user)
    if not wards:
        raise PermissionDenied
    return wards


@login_required
def import_activities(request: HttpRequest) -> HttpResponse:
    wards = _wards(request)

    def run(ward, data: bytes, dry_run: bool):
        return sheets.import_activities(actor=request.user, ward=ward, data=data, dry_run=dry_run)

    context = si.handle_upload(request, wards=wards, run=run)
    context.update(
        title=_("Import activities from Excel"),
        intro=_(
            "Fill in the template with a unit's activities, one per row, or upload an exported"
            " activity list. Only units you log activities for can be named."
        ),
        back_url=reverse("activities:list"),
        back_label=_("Activities"),
        template_url=reverse("activities:import_template"),
        export_url=reverse("activities:export"),
        result_block="activities/_import_result.html",
    )
    return render(request, "core/spreadsheet_import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    ward = si.ward_from_query(request, _wards(request))
    return si.xlsx_response(sheets.build_template(request.user, ward), "mau-nhap-hoat-dong.xlsx")

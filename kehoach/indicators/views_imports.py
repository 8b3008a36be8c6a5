"""Figures of targets from Excel: the import page, its template and the export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehoach.core import spreadsheet_imports as si
from kehoach.core import tabular
from kehoach.indicators import sheets


def _wards(request: HttpRequest) -> list:
    wards = sheets.wards_for(request.user)
    if not wards:
        raise PermissionDenied
    return wards


@login_required
def import_measurements(request: HttpRequest) -> HttpResponse:
    wards = _wards(request)

    def run(ward, data: bytes, dry_run: bool):
        return sheets.import_measurements(actor=request.user, ward=ward, data=data, dry_run=dry_run)

    context = si.handle_upload(request, wards=wards, run=run)
    context.update(
        title=_("Import figures of targets from Excel"),
        intro=_(
            "One figure per row: programme, indicator, period, the date it is for, value and"
            " source. Only indicators your unit enters figures for can be named."
        ),
        back_url=reverse("indicators:list"),
        back_label=_("Targets"),
        template_url=reverse("indicators:figures_template"),
        export_url=None,
        export_links=[(w, reverse("indicators:export_figures") + f"?phuong={w.pk}") for w in wards],
        result_block="indicators/_import_result.html",
    )
    return render(request, "core/spreadsheet_import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    ward = si.ward_from_query(request, _wards(request))
    return si.xlsx_response(sheets.build_template(request.user, ward), "mau-nhap-so-lieu.xlsx")


@login_required
def export_measurements(request: HttpRequest) -> HttpResponse:
    ward = si.ward_from_query(request, _wards(request))
    fmt = tabular.requested_format(request) or "xlsx"
    return tabular.response(sheets.measurements_table(request.user, ward), "so-lieu-chi-tieu", fmt)

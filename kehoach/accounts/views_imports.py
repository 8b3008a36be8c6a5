"""People and roles from Excel, for administrators: import page, template, export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kehoach.accounts import sheets
from kehoach.core import spreadsheet_imports as si
from kehoach.core import tabular


def _wards(request: HttpRequest) -> list:
    if not sheets.may_import(request.user):
        raise PermissionDenied
    wards = sheets.wards()
    if not wards:
        raise PermissionDenied
    return wards


@never_cache  # the result shows new passwords once; no copy may stay in a cache
@login_required
def import_users(request: HttpRequest) -> HttpResponse:
    wards = _wards(request)

    def run(ward, data: bytes, dry_run: bool):
        return sheets.import_users(actor=request.user, ward=ward, data=data, dry_run=dry_run)

    context = si.handle_upload(request, wards=wards, run=run)
    context.update(
        title=_("Import users and roles from Excel"),
        intro=_(
            "One role of one person per row: username, full name, email, unit and role."
            " New usernames become accounts with a password shown once on this page;"
            " existing ones gain the role."
        ),
        back_url=reverse("org:tree"),
        back_label=_("Units"),
        template_url=reverse("accounts:import_template"),
        export_url=None,
        export_links=[(w, reverse("accounts:export") + f"?phuong={w.pk}") for w in wards],
        result_block="accounts/_import_result.html",
    )
    return render(request, "core/spreadsheet_import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    ward = si.ward_from_query(request, _wards(request))
    return si.xlsx_response(sheets.build_template(ward), "mau-nhap-nguoi-dung.xlsx")


@login_required
def export_users(request: HttpRequest) -> HttpResponse:
    ward = si.ward_from_query(request, _wards(request))
    fmt = tabular.requested_format(request) or "xlsx"
    return tabular.response(sheets.users_table(ward), "nguoi-dung", fmt)

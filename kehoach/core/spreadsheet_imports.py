"""Every Excel import's saving and page: each row through its service with all or nothing,
the template people download, the upload form with its limits, and the page's work from
upload to result. The reading of a file is kehoach.core.spreadsheets."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kehoach.audit.context import acting_as
from kehoach.core.spreadsheets import MAX_ROWS, ZIP_MAGIC, Field, ImportRejected, RowReader

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- saving all or nothing


class _RollBack(Exception):
    pass


@dataclass
class Outcome:
    checked: int = 0
    saved: list[Any] = field(default_factory=list)
    dry_run: bool = False


def save_all(
    actor,
    readers: Sequence[RowReader],
    save_one: Callable[[RowReader], Any],
    *,
    dry_run: bool = False,
) -> Outcome:
    """Each good row through its service, in one transaction with a savepoint a row, so one
    refusal does not hide the next; if anything was refused (or this is only a check),
    everything is rolled back and ImportRejected lists every problem of every row."""
    outcome = Outcome(checked=len(readers), dry_run=dry_run)
    errors: list[str] = []
    try:
        with transaction.atomic(), acting_as(actor):
            for reader in readers:
                if reader.problems:
                    errors.extend(reader.errors())
                    continue
                try:
                    with transaction.atomic():
                        outcome.saved.append(save_one(reader))
                except ValidationError as exc:
                    reader.service_errors(exc)
                except PermissionDenied:
                    reader.fail(_("you may not do this for the unit of this row."))
                errors.extend(reader.errors())
            if errors or dry_run:
                raise _RollBack
    except _RollBack:
        if errors:
            raise ImportRejected(errors) from None
    return outcome


# ---------------------------------------------------------------- templates and files


def build_template(
    *,
    title: Any,
    fields: Sequence[Field],
    lists: dict[str, list[str]] | None = None,
    multi: Iterable[str] = (),
    guide: Iterable[str] = (),
    rows: Iterable[Sequence[Any]] = (),
    max_rows: int = MAX_ROWS,
) -> bytes:
    """The sheet people fill in: headers, drop-down lists, a guide on its own sheet.

    `rows` pre-fills data (an export written as its own template); `multi` names columns
    that take several list values separated by semicolons, so they get no drop-down that
    would refuse them.
    """
    lists = lists or {}
    multi = set(multi)
    wb = Workbook()
    ws = wb.active
    ws.title = str(title)[:31]
    ws.append([str(f.header) for f in fields])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for row in rows:
        ws.append(list(row))
    last = max(max_rows + 1, ws.max_row)
    for i, f in enumerate(fields, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = f.width
        if f.kind == "date":
            for r in range(2, ws.max_row + 1):
                ws.cell(row=r, column=i).number_format = "DD/MM/YYYY"
    if lists:
        sheet = wb.create_sheet(_("Lists"))
        for col, f in enumerate([f for f in fields if f.key in lists], start=1):
            values = lists[f.key]
            sheet.cell(row=1, column=col, value=str(f.header)).font = Font(bold=True)
            for r, value in enumerate(values, start=2):
                sheet.cell(row=r, column=col, value=value)
            sheet.column_dimensions[get_column_letter(col)].width = max(f.width, 30)
            if f.key in multi or not values:
                continue
            letter = get_column_letter(col)
            validation = DataValidation(
                type="list",
                formula1=f"='{sheet.title}'!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=True,
            )
            validation.error = _("Choose a value from the list.")
            validation.showErrorMessage = True
            ws.add_data_validation(validation)
            target = get_column_letter(fields.index(f) + 1)
            validation.add(f"{target}2:{target}{last}")
    guide = list(guide)
    if guide:
        sheet = wb.create_sheet(_("Guide"))
        sheet.column_dimensions["A"].width = 110
        for line in guide:
            sheet.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class UploadForm(forms.Form):
    """The upload of an import page: one .xlsx within the size limit, "only check", and the
    ward whose unit names the file uses when the person works in several."""

    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file, save nothing"), required=False
    )

    def __init__(self, *args, wards: Sequence | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.wards = list(wards or [])
        if len(self.wards) > 1:
            from kehoach.org.models import Unit

            self.fields["ward"] = forms.ModelChoiceField(
                label=gettext_lazy("Ward"),
                queryset=Unit.objects.filter(pk__in=[w.pk for w in self.wards]).order_by("name"),
            )
            self.order_fields(["ward", "file", "dry_run"])

    def ward(self):
        if len(self.wards) > 1:
            return self.cleaned_data["ward"]
        return self.wards[0] if self.wards else None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the largest accepted is %(max)s MB."),
                params={
                    "size": f"{upload.size / 1048576:.1f}".replace(".", ","),
                    "max": settings.MAX_UPLOAD_BYTES // 1048576,
                },
            )
        head = upload.read(4)
        upload.seek(0)
        # .xlsx is a zip archive; checking the content, not the name, stops renamed files.
        if head != ZIP_MAGIC:
            raise forms.ValidationError(
                _("The file is not an Excel workbook (.xlsx). Download the template and use it.")
            )
        return upload


def handle_upload(request, *, wards: Sequence, run: Callable[..., Outcome]) -> dict:
    """The import page's work: the form, and on a valid upload `run(ward, data, dry_run)`.
    Returns the page's context: form, errors (every row's), outcome (when it went through)."""
    form = UploadForm(request.POST or None, request.FILES or None, wards=wards)
    errors: list[str] = []
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            outcome = run(form.ward(), data, bool(form.cleaned_data.get("dry_run")))
        except ImportRejected as exc:
            errors = exc.errors
    return {
        "form": form,
        "errors": errors,
        "outcome": outcome,
        "wards": list(wards),
        "max_mb": max_upload_mb(),
    }


def ward_from_query(request, wards: Sequence):
    """The ward named by `?phuong=` among the person's wards, else their first."""
    wanted = request.GET.get("phuong", "")
    for ward in wards:
        if str(ward.pk) == wanted:
            return ward
    return wards[0] if wards else None


def max_upload_mb() -> str:
    from django.utils.formats import number_format

    return number_format(settings.MAX_UPLOAD_BYTES / 1048576, 0)

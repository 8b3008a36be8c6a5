"""core.tabular: one table definition written as Excel and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from kehoach.core import tabular
from kehoach.core.tabular import Column, Table

NAME = "Chi bộ Tổ dân phố số 1 — Đảng ủy phường Lê Chân"


def sample(rows=None, notes=None) -> Table:
    rows = rows or [
        {
            "name": NAME,
            "day": date(2026, 3, 5),
            "at": datetime(2026, 3, 5, 1, 30, tzinfo=UTC),  # 08:30 in Hà Nội
            "count": 1234,
            "share": Decimal("12.5"),
            "done": True,
        }
    ]
    return Table(
        title="Danh sách: thử/nghiệm",
        columns=[
            Column("Tên đơn vị", lambda r: r["name"]),
            Column("Ngày", lambda r: r["day"], "date"),
            Column("Lúc", lambda r: r["at"], "datetime"),
            Column("Số lượng", lambda r: r["count"], "int"),
            Column("Tỉ lệ", lambda r: r["share"], "number"),
            Column("Xong", lambda r: r["done"], "bool"),
        ],
        rows=rows,
        notes=notes if notes is not None else ["Bộ lọc: Đơn vị: Chi bộ số 1"],
    )


def read_xlsx(body: bytes):
    return load_workbook(io.BytesIO(body)).active


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_excel_keeps_dates_as_dates_and_numbers_as_numbers() -> None:
    ws = read_xlsx(tabular.to_xlsx(sample()))
    header, row = [c.value for c in ws[1]], ws[2]
    assert header == ["Tên đơn vị", "Ngày", "Lúc", "Số lượng", "Tỉ lệ", "Xong"]
    assert row[0].value == NAME
    assert row[1].value == datetime(2026, 3, 5)
    assert row[1].number_format == "DD/MM/YYYY"
    # Written as the ward's wall-clock time: spreadsheets have no time zones.
    assert row[2].value == datetime(2026, 3, 5, 8, 30)
    assert row[2].number_format == "DD/MM/YYYY HH:MM"
    assert row[3].value == 1234 and row[3].data_type == "n"
    assert row[4].value == 12.5
    assert ws.freeze_panes == "A2"


def test_excel_writes_the_notes_under_the_table_after_a_blank_row() -> None:
    ws = read_xlsx(tabular.to_xlsx(sample(notes=["Bộ lọc: Trạng thái: Quá hạn", "Xuất lúc"])))
    column = [c.value for c in ws["A"]]
    assert column[2] is None
    assert column[3:] == ["Bộ lọc: Trạng thái: Quá hạn", "Xuất lúc"]


def test_sheet_title_drops_characters_excel_refuses() -> None:
    ws = read_xlsx(tabular.to_xlsx(sample()))
    assert ws.title == "Danh sách  thử nghiệm"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"])
def test_a_formula_typed_into_a_field_stays_text_in_excel(text: str) -> None:
    rows = [{"name": text, "day": None, "at": None, "count": None, "share": None, "done": False}]
    cell = read_xlsx(tabular.to_xlsx(sample(rows)))["A2"]
    assert cell.data_type == "s"
    # Shown as typed (no apostrophe to see) and kept text if someone edits the cell.
    assert cell.value == text
    assert cell.quotePrefix


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_a_formula_typed_into_a_field_is_quoted_in_csv(text: str) -> None:
    rows = [{"name": text, "day": None, "at": None, "count": None, "share": None, "done": False}]
    assert read_csv(tabular.to_csv(sample(rows)))[1][0] == "'" + text


def test_csv_has_a_bom_vietnamese_intact_and_dates_written_day_first() -> None:
    with translation.override("vi"):
        body = tabular.to_csv(sample())
    assert body.startswith(b"\xef\xbb\xbf")
    header, row = read_csv(body)
    assert header[0] == "Tên đơn vị"
    assert row == [NAME, "05/03/2026", "05/03/2026 08:30", "1234", "12.5", "Có"]


def test_csv_stays_one_rectangle_without_the_notes() -> None:
    rows = read_csv(tabular.to_csv(sample(notes=["Bộ lọc: không có"])))
    assert len(rows) == 2
    assert {len(r) for r in rows} == {6}


def test_empty_values_are_empty_cells() -> None:
    rows = [{"name": "", "day": None, "at": None, "count": None, "share": None, "done": False}]
    assert read_csv(tabular.to_csv(sample(rows)))[1] == [""] * 6
    ws = read_xlsx(tabular.to_xlsx(sample(rows)))
    assert [c.value for c in ws[2]] == [None] * 6


def test_a_datetime_in_a_date_column_is_written_as_the_local_day() -> None:
    table = Table(
        "t",
        [Column("Ngày", lambda r: r, "date")],
        [datetime(2026, 3, 4, 20, 0, tzinfo=UTC)],  # 03:00 on the 5th in Hà Nội
    )
    assert read_csv(tabular.to_csv(table))[1] == ["05/03/2026"]
    assert read_xlsx(tabular.to_xlsx(table))["A2"].value == datetime(2026, 3, 5)


def test_rows_from_a_generator_are_written() -> None:
    table = Table("t", [Column("Số", lambda r: r, "int")], (i for i in range(3)))
    assert read_csv(tabular.to_csv(table))[1:] == [["0"], ["1"], ["2"]]


# ---------------------------------------------------------------- notes


class Filters(forms.Form):
    state = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), ("late", "Quá hạn")]
    )
    since = forms.DateField(label="Từ ngày", required=False)
    text = forms.CharField(label="Nội dung", required=False)


def test_notes_name_each_filter_applied_with_its_label() -> None:
    form = Filters(QueryDict("state=late&since=2026-03-01&text=&xuat=csv"))
    lines = tabular.notes(tabular.form_filters(form))
    assert lines[0] == _("Filters: %(filters)s") % {
        "filters": "Trạng thái: Quá hạn; Từ ngày: 01/03/2026"
    }
    assert lines[1] == _("Exported at %(time)s") % {
        "time": f"{timezone.localtime():%d/%m/%Y %H:%M}"
    }


def test_notes_say_so_when_nothing_is_filtered() -> None:
    first = tabular.notes(tabular.form_filters(Filters(QueryDict(""))))[0]
    assert first == _("Filters: %(filters)s") % {"filters": _("none (every row in your scope)")}


def test_an_invalid_form_names_no_filter_unless_its_valid_fields_were_applied() -> None:
    form = Filters(QueryDict("state=late&since=khong-phai-ngay"))
    assert tabular.form_filters(form) == []
    assert tabular.form_filters(form, partial=True) == [("Trạng thái", "Quá hạn")]


# ---------------------------------------------------------------- request and response


def test_only_the_two_formats_are_requested() -> None:
    rf = RequestFactory()
    assert tabular.requested_format(rf.get("/", {"xuat": "csv"})) == "csv"
    assert tabular.requested_format(rf.get("/", {"xuat": "xlsx"})) == "xlsx"
    assert tabular.requested_format(rf.get("/", {"xuat": "pdf"})) is None
    assert tabular.requested_format(rf.get("/")) is None


def test_response_is_a_dated_attachment_not_kept_in_shared_caches() -> None:
    response = tabular.response(sample(), "ke-hoach", "csv")
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ke-hoach-2')
    assert disposition.endswith('.csv"')
    assert "no-store" in response["Cache-Control"]
    xlsx = tabular.response(sample(), "ke-hoach", "xlsx")
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    assert xlsx.content[:2] == b"PK"


def test_export_links_keep_the_filters_and_drop_the_page_number() -> None:
    request = RequestFactory().get("/nhiem-vu/tat-ca/", {"state": "late", "trang": "3"})
    html = Template("{% include 'core/_export_links.html' %}").render(Context({"request": request}))
    assert 'href="/nhiem-vu/tat-ca/?state=late&amp;xuat=xlsx"' in html
    assert 'href="/nhiem-vu/tat-ca/?state=late&amp;xuat=csv"' in html
    assert "trang" not in html


def test_export_links_may_point_excel_at_a_page_own_workbook() -> None:
    request = RequestFactory().get("/tien-do/")
    html = Template(
        "{% include 'core/_export_links.html' with xlsx_url='/tien-do/excel/' xlsx_id='x' %}"
    ).render(Context({"request": request}))
    assert 'href="/tien-do/excel/" id="x"' in html
    assert 'href="/tien-do/?xuat=csv"' in html


class MoreFilters(forms.Form):
    year = forms.IntegerField(label="Năm", required=False)
    kinds = forms.MultipleChoiceField(
        label="Loại", required=False, choices=[("a", "Cá nhân"), ("b", "Tập thể")]
    )


def test_a_zero_is_a_filter_and_several_choices_are_listed() -> None:
    form = MoreFilters(QueryDict("year=0&kinds=a&kinds=b"))
    assert tabular.form_filters(form) == [("Năm", "0"), ("Loại", "Cá nhân, Tập thể")]
    assert tabular.form_filters(MoreFilters(QueryDict("kinds="))) == []

"""A unit's monthly spreadsheet: chibo1 downloads the template, fills two rows, uploads it;
the rows with mistakes are listed and nothing is saved; she corrects them, uploads again and
both activities are in. Element ids only; the sheet is filled by its Vietnamese headers."""

import io
import re

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from kehoach.activities.models import Activity, Channel
from kehoach.core.testing import PASSWORD, build_world
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def _header(name: str) -> str:
    with translation.override("vi"):
        return str(Activity._meta.get_field(name).verbose_name)


def _fill(template: bytes, rows: list[dict]) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    headers = [str(c.value or "").strip().lower() for c in sheet[1]]
    for row in rows:
        values = [None] * len(headers)
        for header, value in row.items():
            values[headers.index(header.lower())] = value
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_cell_secretary_imports_her_monthly_spreadsheet(
    desktop, live_server, transactional_db, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    base = live_server.url
    today = timezone.localdate()
    with translation.override("vi"):
        meeting = str(Channel.MEETING.label)

    sign_in(desktop, base, "chibo1", PASSWORD)
    desktop.goto(f"{base}/hoat-dong/nhap-excel/")
    with desktop.expect_download() as info:
        desktop.locator("#download-template").click()
    template = tmp_path / "mau.xlsx"
    info.value.save_as(template)
    headers = [str(c.value) for c in load_workbook(template).worksheets[0][1]]
    date_h = headers[0]
    unit_h = next(h for h in headers if h.lower().startswith("đơn vị"))
    channel_h = next(h for h in headers if h.lower().startswith("hình thức"))
    people_h = _header("participants")
    text_h = next(h for h in headers if h.lower().startswith("mô tả"))

    good = {
        date_h: today,
        unit_h: world.cell1.name,
        channel_h: meeting,
        people_h: 30,
        text_h: "Họp tổ dân phố quán triệt Chỉ thị 58",
    }
    wrong = {
        date_h: "31/02/2026",
        unit_h: world.cell2.name,
        channel_h: meeting,
        people_h: 12,
        text_h: "Tuyên truyền miệng",
    }
    upload = tmp_path / "thang.xlsx"
    upload.write_bytes(_fill(template.read_bytes(), [good, wrong]))
    desktop.locator("input[type=file][name=file]").set_input_files(str(upload))
    desktop.locator("form.card button[type=submit]").last.click()
    desktop.wait_for_load_state()
    errors = desktop.locator("#import-errors li")
    assert errors.count() >= 2
    assert all(re.search(r"\b3\b", errors.nth(i).inner_text()) for i in range(errors.count()))
    assert Activity.objects.count() == 0

    fixed = {**wrong, date_h: today, unit_h: world.cell1.name}
    upload.write_bytes(_fill(template.read_bytes(), [good, fixed]))
    desktop.locator("input[type=file][name=file]").set_input_files(str(upload))
    desktop.locator("form.card button[type=submit]").last.click()
    desktop.wait_for_load_state()
    assert desktop.locator("#import-result").is_visible()
    saved = Activity.objects.order_by("pk")
    assert [(a.unit, a.participants, a.date) for a in saved] == [
        (world.cell1, 30, today),
        (world.cell1, 12, today),
    ]
    assert all(a.created_by.username == "chibo1" for a in saved)

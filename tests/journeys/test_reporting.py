import io
from datetime import date

import pytest
from docx import Document

from kehoach.accounts.models import Role
from kehoach.core.testing import PASSWORD, build_world, make_user
from kehoach.reports.models import SummaryReport, UnitReport
from kehoach.reports.tests.builders import log, reporting_world
from tests.journeys.conftest import DESKTOP, sign_in

pytestmark = pytest.mark.journey


def _status(page) -> str:
    return page.locator("#report-state").get_attribute("data-status")


def test_a_report_goes_from_the_cell_to_the_board_and_the_summary_is_approved(
    browser, phone, desktop, live_server, transactional_db, tmp_path
) -> None:
    world = build_world()
    setup = reporting_world(world)
    log(
        world.cell1,
        world.secretary,
        date(2026, 5, 12),
        plan=setup.plan,
        topics=[setup.topic],
        participants=40,
    )
    make_user("thuongvu", unit=world.ward, role=Role.LEADER, full_name="Nguyễn Thị Minh Ngọc")
    report_url = f"{live_server.url}/bao-cao/don-vi/{setup.report1.pk}/"

    # The cell secretary drafts and submits on a phone.
    sign_in(phone, live_server.url, "chibo1", PASSWORD)
    phone.goto(report_url)
    assert "40" in phone.locator("#figures").inner_text()
    phone.get_by_label("Kết quả").fill("Chi bộ tổ chức 1 buổi sinh hoạt chuyên đề.")
    phone.locator("#button-submit").click()
    assert _status(phone) == "submitted"

    # The coordinator returns it with a comment.
    sign_in(desktop, live_server.url, "xaydungdang", PASSWORD)
    desktop.goto(report_url)
    desktop.get_by_label("Nội dung cần bổ sung, chỉnh sửa").fill("Bổ sung số đảng viên tham dự.")
    desktop.locator("#button-return").click()
    assert _status(desktop) == "returned"

    # The secretary sees the comment, corrects and resubmits.
    phone.goto(report_url)
    assert "Bổ sung số đảng viên" in phone.locator("#return-comment").inner_text()
    phone.get_by_label("Kết quả").fill(
        "Chi bộ tổ chức 1 buổi sinh hoạt chuyên đề, 40 đảng viên tham dự."
    )
    phone.locator("#button-submit").click()
    assert _status(phone) == "submitted"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The coordinator accepts, compiles the summary and downloads the .docx.
    desktop.goto(report_url)
    desktop.locator("#button-accept").click()
    assert _status(desktop) == "accepted"
    assert UnitReport.objects.get(pk=setup.report1.pk).figures["activities"] == 1
    desktop.goto(f"{live_server.url}/tong-hop/ky/{setup.period.pk}/")
    desktop.locator("#compile-summary").click()
    desktop.wait_for_selector("#summary-status")
    assert desktop.locator("#total-activities").inner_text() == "1"
    with desktop.expect_download() as download_info:
        desktop.locator("#download-docx").click()
    saved = tmp_path / "bao-cao.docx"
    download_info.value.save_as(str(saved))
    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "40 đảng viên tham dự" in text

    # The leader approves it.
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    leader = context.new_page()
    try:
        sign_in(leader, live_server.url, "thuongvu", PASSWORD)
        summary = SummaryReport.objects.get(period=setup.period)
        leader.goto(f"{live_server.url}/tong-hop/{summary.pk}/")
        leader.locator("#approve-summary").click()
        leader.wait_for_load_state()
        summary.refresh_from_db()
        assert summary.status == "approved"
    finally:
        context.close()

import io
from pathlib import Path

import pytest
from docx import Document

from kehoach.core.demo import FIXTURE, load_demo
from kehoach.core.testing import PASSWORD
from kehoach.plans.models import Plan
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def _fixture_as_docx(folder: Path) -> Path:
    document = Document()
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = folder / "ke-hoach-tuyen-truyen-ct58.docx"
    document.save(str(path))
    return path


def test_the_coordinator_imports_the_plan_corrects_a_match_and_downloads_the_docx(
    desktop, live_server, transactional_db, tmp_path
) -> None:
    load_demo()
    from kehoach.accounts.models import User

    coordinator = User.objects.get(username="xaydungdang")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    sign_in(desktop, live_server.url, "xaydungdang", PASSWORD)

    desktop.locator("nav").get_by_role("link", name="Kế hoạch", exact=True).click()
    desktop.get_by_role("link", name="Nhập kế hoạch").click()
    desktop.get_by_label("Tệp kế hoạch").set_input_files(str(_fixture_as_docx(tmp_path)))
    desktop.get_by_role("button", name="Đọc kế hoạch").click()
    desktop.wait_for_selector("#review-form")

    counts = desktop.locator("#parsed-counts").inner_text()
    assert "4 mục đích" in counts and "3 nội dung" in counts and "4 phân công" in counts
    assert desktop.locator("mark.part").count() > 0

    # The first heading matched "Ủy ban nhân dân phường"; the coordinator points it at the
    # Văn phòng Đảng ủy instead, as a correction.
    first = desktop.locator("#assignment-0")
    first.get_by_label("Đơn vị được giao").select_option(label="— Văn phòng Đảng ủy")
    desktop.get_by_role("button", name="Lưu kế hoạch").click()
    desktop.wait_for_selector("#assignments")

    plan = Plan.objects.get()
    assert [t.unit.name for t in plan.assignments.first().targets.all()] == ["Văn phòng Đảng ủy"]
    assert "Văn phòng Đảng ủy" in desktop.locator("#assignments").inner_text()

    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="Tải bản .docx").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    assert saved.suffix == ".docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert "KẾ HOẠCH" in text
    assert "TỔ CHỨC THỰC HIỆN" in text

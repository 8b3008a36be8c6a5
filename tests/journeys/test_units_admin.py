import pytest
from openpyxl import load_workbook

from kehoach.core.testing import PASSWORD, build_world
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def test_the_administrator_imports_units_from_the_template_and_finds_them_in_the_log(
    desktop, live_server, transactional_db, tmp_path
) -> None:
    build_world()
    sign_in(desktop, live_server.url, "admin", PASSWORD)
    desktop.locator("nav").get_by_role("link", name="Đơn vị").click()
    desktop.get_by_role("link", name="Nhập từ Excel").click()

    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="Tải tệp mẫu").click()
    template = tmp_path / "mau.xlsx"
    download_info.value.save_as(str(template))

    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    sheet.append(
        [
            "Chi bộ Tổ dân phố số 3",
            "CB TDP 3",
            "Chi bộ, đảng bộ cơ sở",
            "Đảng ủy phường Lê Chân",
            103,
        ]
    )
    sheet.append(["Tổ đảng số 1", "", "Chi bộ, đảng bộ cơ sở", "Chi bộ Tổ dân phố số 3", 1])
    sheet.append(["", "", "Loại không có", "", "x"])
    workbook.save(template)

    desktop.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(template))
    desktop.get_by_role("button", name="Kiểm tra và nhập").click()
    errors = desktop.locator("#import-errors").inner_text()
    assert "Dòng 4" in errors and "chưa nhập tên đơn vị" in errors

    sheet.delete_rows(4)
    workbook.save(template)
    desktop.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(template))
    desktop.get_by_role("button", name="Kiểm tra và nhập").click()
    desktop.wait_for_selector("#unit-tree")
    tree = desktop.locator("#unit-tree").inner_text()
    assert "Chi bộ Tổ dân phố số 3" in tree and "Tổ đảng số 1" in tree

    desktop.locator("nav").get_by_role("link", name="Nhật ký thay đổi").click()
    desktop.get_by_label("Người thực hiện (tên đăng nhập)").fill("admin")
    desktop.get_by_role("button", name="Lọc").click()
    entries = desktop.locator("#audit-entries").inner_text()
    assert "Tổ đảng số 1" in entries and "Tạo mới" in entries

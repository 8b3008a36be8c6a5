import pytest

from kehoach.core.testing import PASSWORD, build_world
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def test_a_cell_secretary_signs_in_on_a_phone_sees_the_cell_and_not_another(
    phone, live_server, transactional_db
) -> None:
    world = build_world()
    sign_in(phone, live_server.url, "chibo1", PASSWORD)

    units = phone.locator("#my-units")
    assert "Chi bộ Tổ dân phố số 1" in units.inner_text()
    assert "Người đứng đầu" in units.inner_text()
    # The page fits a 360-px screen: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("link", name="Chi bộ Tổ dân phố số 1").click()
    phone.wait_for_url(f"{live_server.url}/don-vi/{world.cell1.pk}/")
    assert phone.locator("h1").inner_text() == "Chi bộ Tổ dân phố số 1"

    response = phone.goto(f"{live_server.url}/don-vi/{world.cell2.pk}/")
    assert response.status == 404
    assert "Chi bộ Tổ dân phố số 2" not in phone.content()

    phone.goto(f"{live_server.url}/don-vi/{world.cell1.pk}/")


def test_a_wrong_password_shows_the_reason_in_vietnamese(
    phone, live_server, transactional_db
) -> None:
    build_world()
    phone.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    phone.get_by_label("Tên đăng nhập").fill("chibo1")
    phone.get_by_label("Mật khẩu").fill("khong-dung")
    phone.get_by_role("button", name="Đăng nhập").click()
    assert "Sai tên đăng nhập hoặc mật khẩu" in phone.get_by_role("alert").inner_text()

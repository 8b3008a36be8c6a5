import pytest

from kehoach.accounts.models import TwoFactor
from kehoach.accounts.testing import code_for
from kehoach.core.testing import PASSWORD, build_world

pytestmark = pytest.mark.journey


def test_the_coordinator_sets_up_two_step_sign_in_on_a_phone_and_then_signs_in_with_a_code(
    phone, live_server, transactional_db
) -> None:
    world = build_world()
    base = live_server.url
    phone.goto(f"{base}/tai-khoan/dang-nhap/")
    phone.get_by_label("Tên đăng nhập").fill("xaydungdang")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()

    # The role requires it: the setup page, with the QR code drawn on the server.
    phone.wait_for_url(f"{base}/tai-khoan/bao-mat/ung-dung-xac-thuc/?next=%2F")
    qr = phone.locator(".qr img")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert phone.evaluate("document.querySelector('.qr img').naturalWidth") > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.goto(f"{base}/ke-hoach/")
    assert "/tai-khoan/bao-mat/ung-dung-xac-thuc/" in phone.url

    from tests.journeys.conftest import sign_in

    phone.get_by_role("button", name="Đăng xuất").click()
    sign_in(phone, base, "xaydungdang", PASSWORD)  # sets up, notes the codes, continues
    assert TwoFactor.objects.get(user=world.coordinator).recovery_left == 10

    phone.goto(f"{base}/tai-khoan/bao-mat/")
    assert phone.locator("#two-factor #code-regenerate").count() == 1  # it is on
    phone.get_by_role("button", name="Đăng xuất").click()

    phone.get_by_label("Tên đăng nhập").fill("xaydungdang")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.wait_for_url(f"{base}/tai-khoan/xac-thuc/?next=%2F")
    phone.locator("input[name=code]").fill("000000")
    phone.locator("form.stack button[type=submit]").click()
    assert phone.get_by_role("alert").count() >= 1
    phone.locator("input[name=code]").fill(code_for(world.coordinator))
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url(f"{base}/")

import pytest
from django.test import Client, override_settings

from kehoach.accounts.backends import DEMO_PASSWORD
from kehoach.core.testing import PASSWORD, make_user

LOGIN = "/tai-khoan/dang-nhap/"


def _login(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_a_secretary_signs_in_and_lands_on_home(world) -> None:
    client = Client()
    response = _login(client, "chibo1", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Chi bộ Tổ dân phố số 1" in home
    assert "Người đứng đầu" in home


def test_a_wrong_password_is_refused_with_a_vietnamese_message(world) -> None:
    response = _login(Client(), "chibo1", "sai-mat-khau")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


@override_settings(LOGIN_MAX_FAILURES=3)
def test_sign_in_is_paused_after_repeated_failures_even_with_the_right_password(world) -> None:
    client = Client()
    for _ in range(3):
        _login(client, "chibo1", "sai-mat-khau")
    response = _login(client, "chibo1", PASSWORD)
    assert response.status_code == 200
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_MAX_FAILURES=3)
def test_one_address_cannot_try_many_accounts(world) -> None:
    client = Client()
    for number in range(3 * 4):
        _login(client, f"a{number}", "x")
    assert "tạm khóa" in _login(client, "chibo2", PASSWORD).content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_success_clears_the_account_counter(world) -> None:
    for _ in range(2):
        _login(Client(), "chibo1", "sai", REMOTE_ADDR="10.0.0.1")
    assert _login(Client(), "chibo1", PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302
    for _ in range(2):
        _login(Client(), "chibo1", "sai", REMOTE_ADDR="10.0.0.3")
    assert _login(Client(), "chibo1", PASSWORD, REMOTE_ADDR="10.0.0.4").status_code == 302


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_the_demo_password_is_refused_when_debug_is_off() -> None:
    user = make_user("demo1")
    user.set_password(DEMO_PASSWORD)
    user.save()
    assert _login(Client(), "demo1", DEMO_PASSWORD).status_code == 200


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_password_works_on_a_development_server() -> None:
    user = make_user("demo1")
    user.set_password(DEMO_PASSWORD)
    user.save()
    assert _login(Client(), "demo1", DEMO_PASSWORD).status_code == 302


def test_signing_out_needs_a_post_and_ends_the_session(world) -> None:
    client = Client()
    client.force_login(world.secretary)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302
    assert client.get("/").status_code == 302


def test_an_inactive_person_cannot_sign_in(world) -> None:
    world.secretary.is_active = False
    world.secretary.save()
    assert _login(Client(), "chibo1", PASSWORD).status_code == 200


def test_pages_need_sign_in(db) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)

"""Headers on every page, no inline script anywhere, session expiry, password rules."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from kehoach.accounts import twofactor
from kehoach.core.navigation import ITEMS
from kehoach.core.testing import PASSWORD, client_for

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def _main_pages(world) -> list[tuple[object, str]]:
    pages = [(world.admin, reverse(item.url_name)) for item in ITEMS]
    pages += [(world.coordinator, reverse(item.url_name)) for item in ITEMS[:13]]
    pages += [
        (world.secretary, "/tai-khoan/bao-mat/"),
        (world.secretary, "/tai-khoan/bao-mat/ung-dung-xac-thuc/"),
        (world.secretary, "/tai-khoan/doi-mat-khau/"),
        (world.secretary, f"/don-vi/{world.cell1.pk}/"),
        (None, "/tai-khoan/dang-nhap/"),
        (None, f"/y-kien/gui/{world.ward.pk}/"),
        (None, "/tin/"),
        (None, "/quan-tri/login/"),
    ]
    return pages


def test_every_main_page_has_the_policy_and_no_inline_script_or_style(world) -> None:
    for user, url in _main_pages(world):
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy, url
        assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), url
        assert not EVENT_ATTRIBUTE.findall(html), url
        assert not STYLE_ATTRIBUTE.findall(html), url
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_policy_allows_only_own_files_and_data_images(world) -> None:
    policy = Client().get("/tai-khoan/dang-nhap/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'"


@override_settings(DEBUG=False, SECURE_HSTS_SECONDS=31536000, SESSION_COOKIE_SECURE=True)
def test_a_real_server_sends_hsts_and_secure_cookies(world) -> None:
    client = Client()
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "chibo1", "password": PASSWORD},
        secure=True,
    )
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]


def test_a_session_lasts_the_configured_time(world, settings) -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    settings.SESSION_COOKIE_AGE = 600
    client = Client()
    response = client.post("/tai-khoan/dang-nhap/", {"username": "chibo1", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == 600
    assert client.session.get_expiry_age() == 600


def test_a_session_may_end_with_the_browser(world, settings) -> None:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    response = Client().post("/tai-khoan/dang-nhap/", {"username": "chibo1", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == ""


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("ngan-qua", ["quá ngắn", "10"]),
        ("1234567890123", ["số"]),
        ("password1234", ["phổ biến"]),
        ("chibo12345", ["giống"]),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(world, password, words) -> None:
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password(password, world.secretary)
    text = " ".join(refused.value.messages)
    for word in words:
        assert word in text, text


def test_a_long_uncommon_password_is_accepted(world) -> None:
    validate_password("Hoa-phuong-do-2026!", world.secretary)


def test_changing_the_password_keeps_the_session_and_its_second_factor(world) -> None:
    client = client_for(world.coordinator)
    weak = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200
    assert "quá ngắn" in weak.content.decode()
    new = "Hoa-phuong-do-2026!"
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/tai-khoan/bao-mat/"
    assert client.session[twofactor.STATE] == twofactor.VERIFIED
    assert client.get("/").status_code == 200
    world.coordinator.refresh_from_db()
    assert world.coordinator.check_password(new)

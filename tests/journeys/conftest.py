"""Browser journeys in Debian's headless Chromium, driven by Playwright.

Playwright's own browser downloads do not work here, so the system Chromium is used.
Each journey keeps its final screenshot under test-artifacts/journeys/.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journeys"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls the
# tests make there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require_browser() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    _require_browser()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("the playwright package is missing")
        pytest.skip("the playwright package is missing")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


def _page(browser, request, viewport: dict, device: str) -> Iterator:
    context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Chromium reports what the Content-Security-Policy blocked on the console; any such
    # report means a page relies on an inline script or style, and fails the journey.
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        name = f"{request.node.name}-{device}.png"
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    finally:
        context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def phone(browser, request) -> Iterator:
    yield from _page(browser, request, PHONE, "phone")


@pytest.fixture
def desktop(browser, request) -> Iterator:
    yield from _page(browser, request, DESKTOP, "desktop")


VERIFY_PATH = "/tai-khoan/xac-thuc/"
SETUP_PATH = "/tai-khoan/bao-mat/ung-dung-xac-thuc/"


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Signs in through the real pages, second step included: coordinators, leaders and
    administrators set up an authenticator on first sign-in (the secret is read off the setup
    page, as a person would type it), and anyone with one gives the current code."""
    from kehoach.accounts.testing import code_for, code_for_secret

    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    landing = re.compile(rf"^{re.escape(base_url)}(/|{VERIFY_PATH}\?.*|{SETUP_PATH}\?.*)$")
    page.wait_for_url(landing)
    path = urlsplit(page.url).path
    if path == VERIFY_PATH:
        from kehoach.accounts.models import User

        page.locator("input[name=code]").fill(code_for(User.objects.get(username=username)))
        page.locator("form.stack button[type=submit]").click()
    elif path == SETUP_PATH:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.locator("input[name=code]").fill(code_for_secret(secret))
        page.locator("form.stack button[type=submit]").click()
        page.locator("#recovery-codes").wait_for()
        page.locator(".card a.button").click()
    page.wait_for_url(f"{base_url}/")

"""Browser journeys in Debian's headless Chromium, driven by Playwright.

Playwright's own browser downloads do not work here, so the system Chromium is used.
Each journey keeps its final screenshot under test-artifacts/journeys/.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

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
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        name = f"{request.node.name}-{device}.png"
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    finally:
        context.close()


@pytest.fixture
def phone(browser, request) -> Iterator:
    yield from _page(browser, request, PHONE, "phone")


@pytest.fixture
def desktop(browser, request) -> Iterator:
    yield from _page(browser, request, DESKTOP, "desktop")


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/")

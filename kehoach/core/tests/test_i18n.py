"""The Vietnamese catalogue is complete: every string in the code has a translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _problems(po: polib.POFile) -> list[str]:
    bad = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    bad += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    return bad


def test_committed_catalogue_has_no_untranslated_or_fuzzy_strings() -> None:
    assert _problems(polib.pofile(str(CATALOGUE))) == []


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    if not shutil.which("xgettext"):
        if settings.DEBUG is False and __import__("os").environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is required under CI")
        pytest.skip("GNU gettext is not installed: apt-get install gettext")
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns(".venv", "var", "__pycache__", ".git", "test-artifacts")
    shutil.copytree(ROOT, copy, ignore=ignore)
    # Extract again into the copy, exactly as a developer would, and read the result.
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "-v",
            "0",
            "--ignore=bench",
            "--ignore=tests",
        ],
        cwd=copy,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    fresh = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    assert _problems(fresh) == []


def test_pages_are_served_in_vietnamese(client, world) -> None:
    response = client.get("/tai-khoan/dang-nhap/")
    html = response.content.decode()
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html
    assert 'lang="vi"' in html

"""Finding things on a phone: chibo1 types without accents and a document number into the
header search box, sees the results grouped by kind with the words marked, and opens the
directive; another cell's activity never shows. Element ids only."""

import re

import pytest
from django.core.management import call_command

from kehoach.accounts.models import User
from kehoach.activities.models import Activity
from kehoach.core.testing import PASSWORD
from kehoach.documents.models import SourceDocument
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def test_a_cell_secretary_finds_the_directive_and_her_activity_without_accents(
    phone, live_server, transactional_db, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", verbosity=0)
    base = live_server.url
    directive = SourceDocument.objects.get(number="58-CT/TW")
    own = Activity.objects.get(description__startswith="Sinh hoạt chi bộ chuyên đề")
    other = Activity.objects.get(description__startswith="Tuyên truyền miệng")

    # The demo password is refused outside DEBUG: give chibo1 the tests' own.
    chibo1 = User.objects.get(username="chibo1")
    chibo1.set_password(PASSWORD)
    chibo1.save()
    sign_in(phone, base, "chibo1", PASSWORD)
    phone.locator("#header-search").fill("ct58")
    phone.locator("#header-search").press("Enter")
    phone.wait_for_url(re.compile(r".*/tim-kiem/\?q=ct58.*"))
    assert phone.locator("#search-group-document").is_visible()
    assert phone.locator(f"#hit-document-{directive.pk}").is_visible()
    # Everything that cites the directive comes with it: the ward's plan.
    assert phone.locator("#search-group-plan .search-hit").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # Without accents: "quan triet chi thi" finds her activity, words marked.
    phone.locator("#search-q").fill("sinh hoat chi bo chuyen de")
    phone.locator("#search-q").press("Enter")
    phone.wait_for_url(re.compile(r".*q=sinh.*"))
    hit = phone.locator(f"#hit-activity-{own.pk}")
    assert hit.is_visible() and hit.locator("mark").count() >= 1
    # chibo2's activity is not hers to see, whatever she types.
    phone.locator("#search-q").fill("tuyen truyen mieng to dan pho")
    phone.locator("#search-q").press("Enter")
    phone.wait_for_url(re.compile(r".*q=tuyen.*"))
    assert phone.locator(f"#hit-activity-{other.pk}").count() == 0

    # Back to the directive, opened from its hit.
    phone.goto(f"{base}/tim-kiem/?q=58-CT%2FTW")
    phone.locator(f"#hit-document-{directive.pk} a.search-title").click()
    phone.wait_for_url(f"{base}/van-ban/{directive.pk}/")
    assert "58-CT/TW" in phone.content()

import datetime as dt
import shutil
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from kehoach.accounts.models import Role
from kehoach.content import broadcasts
from kehoach.content import services as content
from kehoach.content.models import Broadcast, ContentItem, MediaKind
from kehoach.core.testing import PASSWORD, build_world, make_unit, make_user
from kehoach.org.models import UnitKind
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def test_a_bulletin_goes_on_air_and_a_news_item_is_published(
    desktop, phone, live_server, transactional_db, settings
) -> None:
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is required (apt-get install espeak-ng lame)")
    settings.SITE_URL = live_server.url
    world = build_world()
    front = make_unit("Ủy ban Mặt trận Tổ quốc Việt Nam phường", UnitKind.FRONT, world.ward)
    make_user("mattran", unit=front, role=Role.HEAD)
    station = broadcasts.add_station(actor=world.coordinator, ward=world.ward, name="Cụm loa số 1")
    slot = broadcasts.add_slot(
        actor=world.coordinator, station=station, name="Buổi sáng", starts_at=dt.time(6, 30)
    )

    # mattran drafts a loudspeaker bulletin and sends it for review.
    sign_in(phone, live_server.url, "mattran", PASSWORD)
    phone.goto(f"{live_server.url}/noi-dung/them/")
    phone.locator("#id_kind").select_option("bulletin")
    phone.locator("#id_title").fill("Bản tin tuyên truyền Chỉ thị 58-CT/TW")
    phone.locator("#id_body").fill(
        "Ngày 12/6/2026, UBND phường tổ chức hội nghị quán triệt Chỉ thị 58-CT/TW "
        "với 120 đảng viên tham dự."
    )
    phone.locator("input[name=outlets][value=loudspeaker]").check()
    phone.locator("form.stack button[type=submit], form button.primary").first.click()
    phone.wait_for_selector("#transitions")
    phone.locator("#do-submit").click()
    bulletin = ContentItem.objects.get(kind="bulletin")
    assert bulletin.unit == front and bulletin.status == "submitted"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # xaydungdang approves it, has it read aloud and puts it on tomorrow's schedule.
    sign_in(desktop, live_server.url, "xaydungdang", PASSWORD)
    desktop.goto(f"{live_server.url}/noi-dung/{bulletin.pk}/")
    desktop.locator("#do-approve").click()
    desktop.wait_for_selector("#status")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    schedule = f"{live_server.url}/truyen-thanh/?ngay={tomorrow:%Y-%m-%d}"
    desktop.goto(schedule)
    desktop.locator(f"form[action*='/ban-tin/{bulletin.pk}/doc/'] button").click()
    audio = bulletin.media.get(kind=MediaKind.AUDIO)
    assert audio.duration_seconds and audio.duration_seconds > 2
    desktop.goto(schedule)
    desktop.locator("select[name=item]").first.select_option(str(bulletin.pk))
    desktop.locator("form[action$='/truyen-thanh/phat/'] button").first.click()
    assert Broadcast.objects.filter(slot=slot, date=tomorrow, item=bulletin).exists()
    assert bulletin.title in desktop.content()

    # An approved news item is published: its public page and the portal's feed show it.
    news = content.create_item(
        actor=world.coordinator,
        unit=world.board,
        kind="news",
        title="Hội nghị quán triệt Chỉ thị 58-CT/TW",
        summary="Sáng 12/6, Đảng ủy phường…",
        body="Nội dung tin.",
        outlets=["portal"],
        topics=[],
    )
    content.submit(actor=world.coordinator, item=news)
    content.approve(actor=world.coordinator, item=news)
    desktop.goto(f"{live_server.url}/noi-dung/{news.pk}/")
    desktop.locator("#do-publish").click()
    desktop.wait_for_selector("#activity-link")
    news.refresh_from_db()
    assert news.status == "published" and news.activity is not None

    response = desktop.goto(f"{live_server.url}/tin/{news.slug}/")
    assert response.status == 200 and news.title in desktop.content()
    feed = desktop.request.get(f"{live_server.url}/feeds/portal.atom").text()
    titles = [e.text for e in ET.fromstring(feed).iter("{http://www.w3.org/2005/Atom}title")]
    assert news.title in titles

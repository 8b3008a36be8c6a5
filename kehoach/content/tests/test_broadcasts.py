import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kehoach.content import broadcasts
from kehoach.content.models import (
    Broadcast,
    ContentItem,
    ContentKind,
    ContentMedia,
    ContentStatus,
    ContentTarget,
    MediaKind,
    Outlet,
)
from kehoach.content.speech import engines
from kehoach.core.testing import ScopedViewChecks, client_for

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 12)
FAKE_MP3 = bytes.fromhex("fff3") + b"\x00" * 200  # never decoded by these tests


class FakeEngine(engines.SpeechEngine):
    """Counts calls; returns a real MP3 made by lame from a WAV of silence plus a tone."""

    calls = 0

    def synthesise(self, text: str) -> bytes:
        import math
        import struct
        import wave

        FakeEngine.calls += 1
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(22050)
            samples = [int(8000 * math.sin(i / 10)) for i in range(22050 * 2)]
            wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))
        return engines.wav_to_mp3(buffer.getvalue())


def bulletin(unit, *, status=ContentStatus.APPROVED, outlet=Outlet.LOUDSPEAKER, slug="ban-tin"):
    item = ContentItem.objects.create(
        unit=unit,
        kind=ContentKind.BULLETIN,
        title=f"Bản tin {slug}",
        body="UBND phường thông báo lịch tiêm chủng ngày 12/6/2026 lúc 7h30.",
        status=status,
        slug=slug,
    )
    ContentTarget.objects.create(item=item, outlet=outlet)
    return item


def station_and_slot(world):
    station = broadcasts.add_station(actor=world.coordinator, ward=world.ward, name="Cụm loa 1")
    slot = broadcasts.add_slot(
        actor=world.coordinator, station=station, name="Sáng", starts_at=dt.time(6, 30)
    )
    return station, slot


def with_audio(item, seconds=42.0):
    media = ContentMedia(item=item, kind=MediaKind.AUDIO, duration_seconds=seconds)
    media.file.save(f"{item.slug}.mp3", io.BytesIO(FAKE_MP3), save=False)
    media.save()
    return media


# Planning rules ---------------------------------------------------------------------------


def test_the_coordinator_plans_an_approved_loudspeaker_bulletin(world):
    _, slot = station_and_slot(world)
    item = bulletin(world.cell1)
    broadcast = broadcasts.plan_broadcast(actor=world.coordinator, slot=slot, date=DAY, item=item)
    assert broadcast.order == 0
    second = broadcasts.plan_broadcast(
        actor=world.coordinator, slot=slot, date=DAY, item=bulletin(world.cell2, slug="b2")
    )
    assert second.order == 1


@pytest.mark.parametrize("status", [ContentStatus.DRAFT, ContentStatus.SUBMITTED])
def test_a_bulletin_not_yet_approved_cannot_go_on_air(world, status):
    _, slot = station_and_slot(world)
    with pytest.raises(ValidationError):
        broadcasts.plan_broadcast(
            actor=world.coordinator, slot=slot, date=DAY, item=bulletin(world.cell1, status=status)
        )
    assert not Broadcast.objects.exists()


def test_a_bulletin_without_the_loudspeaker_outlet_is_refused(world):
    _, slot = station_and_slot(world)
    item = bulletin(world.cell1, outlet=Outlet.PORTAL)
    with pytest.raises(ValidationError):
        broadcasts.plan_broadcast(actor=world.coordinator, slot=slot, date=DAY, item=item)


def test_a_news_item_is_not_a_bulletin(world):
    _, slot = station_and_slot(world)
    item = bulletin(world.cell1)
    item.kind = ContentKind.NEWS
    item.save()
    with pytest.raises(ValidationError):
        broadcasts.plan_broadcast(actor=world.coordinator, slot=slot, date=DAY, item=item)


def test_the_same_bulletin_twice_in_a_slot_is_refused(world):
    _, slot = station_and_slot(world)
    item = bulletin(world.cell1)
    broadcasts.plan_broadcast(actor=world.coordinator, slot=slot, date=DAY, item=item)
    with pytest.raises(ValidationError):
        broadcasts.plan_broadcast(actor=world.coordinator, slot=slot, date=DAY, item=item)


def test_another_wards_bulletin_is_refused(world):
    _, slot = station_and_slot(world)
    with pytest.raises(ValidationError):
        broadcasts.plan_broadcast(
            actor=world.coordinator, slot=slot, date=DAY, item=bulletin(world.other_cell)
        )


def test_a_cell_secretary_may_not_plan_broadcasts_or_add_stations(world):
    _, slot = station_and_slot(world)
    with pytest.raises(PermissionDenied):
        broadcasts.plan_broadcast(
            actor=world.secretary, slot=slot, date=DAY, item=bulletin(world.cell1)
        )
    with pytest.raises(PermissionDenied):
        broadcasts.add_station(actor=world.secretary, ward=world.ward, name="Loa")


# Audio ------------------------------------------------------------------------------------


def test_audio_is_generated_once_per_text(world):
    item = bulletin(world.cell1)
    FakeEngine.calls = 0
    media = broadcasts.generate_audio(item, FakeEngine())
    assert media.kind == MediaKind.AUDIO
    assert media.duration_seconds == pytest.approx(2.0, abs=0.2)
    assert media.spoken_text_hash
    assert broadcasts.generate_audio(item, FakeEngine()).pk == media.pk
    assert FakeEngine.calls == 1
    item.body = "Nội dung mới."
    item.save()
    newer = broadcasts.generate_audio(item, FakeEngine())
    assert FakeEngine.calls == 2
    assert list(item.media.filter(kind=MediaKind.AUDIO)) == [newer]


def test_the_task_speaks_the_bulletin_with_the_configured_engine(world, monkeypatch):
    from kehoach.content.tasks import speak_bulletin

    monkeypatch.setattr(engines, "engine_from_settings", lambda: FakeEngine())
    item = bulletin(world.cell1)
    speak_bulletin.enqueue(item.pk)
    assert item.media.filter(kind=MediaKind.AUDIO).count() == 1


# Playlist ---------------------------------------------------------------------------------


def planned_day(world):
    station, slot = station_and_slot(world)
    first, second = bulletin(world.cell1, slug="mot"), bulletin(world.cell2, slug="hai")
    with_audio(first, 42.4)
    for item in (first, second):
        broadcasts.plan_broadcast(actor=world.coordinator, slot=slot, date=DAY, item=item)
    return station, slot, first, second


def test_the_playlist_lists_the_days_audio_with_durations(world):
    planned_day(world)
    m3u = broadcasts.playlist_m3u(broadcasts.playlist_entries(world.coordinator, DAY))
    lines = m3u.splitlines()
    assert lines[0] == "#EXTM3U"
    assert lines[1].startswith("#EXTINF:42,Cụm loa 1 06:30")
    assert lines[2] == "mot.mp3"
    # The bulletin without audio is noted, not listed as a file.
    assert "hai.mp3" not in m3u
    assert lines[3].startswith("# ")


def test_the_zip_holds_the_playlist_and_the_audio_files(world):
    planned_day(world)
    response = client_for(world.coordinator).get(
        reverse("broadcasts:playlist", args=[DAY.isoformat(), "zip"])
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["mot.mp3", "truyen-thanh-2026-06-12.m3u"]
    assert archive.read("mot.mp3") == FAKE_MP3


def test_another_ward_gets_an_empty_playlist(world):
    planned_day(world)
    response = client_for(world.outsider).get(
        reverse("broadcasts:playlist", args=[DAY.isoformat(), "m3u"])
    )
    assert response.content.decode().strip() == "#EXTM3U"


# Views ------------------------------------------------------------------------------------


def test_the_schedule_shows_the_day_by_station_and_slot(world):
    _, slot, first, _ = planned_day(world)
    response = client_for(world.coordinator).get(
        reverse("broadcasts:schedule") + f"?ngay={DAY.isoformat()}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="slot-{slot.pk}"' in html
    assert first.title in html
    assert reverse("broadcasts:audio", args=[first.pk]) in html
    assert f'id="plan-{slot.pk}"' in html


def test_the_schedule_defaults_to_tomorrow_and_is_read_only_for_a_cell(world):
    planned_day(world)
    response = client_for(world.secretary).get(reverse("broadcasts:schedule"))
    assert response.status_code == 200
    assert response.context["day"] > dt.date.today() - dt.timedelta(days=1)
    assert 'id="add-station"' not in response.content.decode()


def test_the_schedule_of_another_ward_is_hidden(world):
    planned_day(world)
    response = client_for(world.outsider).get(
        reverse("broadcasts:schedule") + f"?ngay={DAY.isoformat()}"
    )
    assert 'id="no-stations"' in response.content.decode()


def test_the_schedule_page_costs_the_same_queries_for_more_data(
    world, django_assert_max_num_queries
):
    planned_day(world)
    client = client_for(world.coordinator)
    url = reverse("broadcasts:schedule") + f"?ngay={DAY.isoformat()}"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    station = broadcasts.add_station(actor=world.coordinator, ward=world.ward, name="Cụm 2")
    for hour in (7, 8, 9):
        slot = broadcasts.add_slot(
            actor=world.coordinator, station=station, name="", starts_at=dt.time(hour)
        )
        for n in range(3):
            item = bulletin(world.cell1, slug=f"x{hour}-{n}")
            with_audio(item)
            broadcasts.plan_broadcast(actor=world.coordinator, slot=slot, date=DAY, item=item)
    with django_assert_max_num_queries(len(small)):
        client.get(url)


def test_the_coordinator_plans_through_the_forms(world):
    client = client_for(world.coordinator)
    client.post(reverse("broadcasts:station_add"), {"ward": world.ward.pk, "name": "Loa chợ"})
    station = broadcasts.stations_for(world.coordinator).get(name="Loa chợ")
    client.post(
        reverse("broadcasts:slot_add"),
        {"station": station.pk, "name": "Chiều", "starts_at": "17:00", "minutes": 20},
    )
    slot = station.slots.get()
    item = bulletin(world.cell1)
    response = client.post(
        reverse("broadcasts:broadcast_add"),
        {"slot": slot.pk, "date": DAY.isoformat(), "item": item.pk},
    )
    assert response.status_code == 302
    assert Broadcast.objects.filter(slot=slot, date=DAY, item=item).exists()


def test_a_cell_secretary_cannot_plan_through_the_form(world):
    _, slot = station_and_slot(world)
    item = bulletin(world.cell1)
    response = client_for(world.secretary).post(
        reverse("broadcasts:broadcast_add"),
        {"slot": slot.pk, "date": DAY.isoformat(), "item": item.pk},
    )
    assert response.status_code == 403
    assert not Broadcast.objects.exists()


def test_the_generate_button_creates_the_audio(world, monkeypatch):
    monkeypatch.setattr(engines, "engine_from_settings", lambda: FakeEngine())
    item = bulletin(world.cell1)
    response = client_for(world.secretary).post(reverse("broadcasts:speak", args=[item.pk]))
    assert response.status_code == 302
    assert item.media.filter(kind=MediaKind.AUDIO).exists()


class TestAudioIsScoped(ScopedViewChecks):
    def url(self, world):
        item = bulletin(world.cell1, slug=f"a{ContentItem.objects.count()}")
        with_audio(item)
        return reverse("broadcasts:audio", args=[item.pk])


class TestGenerateAudioIsScoped(ScopedViewChecks):
    method = "post"
    ok_status = 302

    def url(self, world):
        item = bulletin(world.cell1, slug=f"g{ContentItem.objects.count()}")
        with_audio(item)
        return reverse("broadcasts:speak", args=[item.pk])


# API --------------------------------------------------------------------------------------


def test_the_api_lists_the_days_broadcasts(world):
    _, slot, first, second = planned_day(world)
    response = client_for(world.coordinator).get(f"/api/v1/broadcasts?date={DAY.isoformat()}")
    assert response.status_code == 200
    rows = response.json()
    assert [r["item_id"] for r in rows] == [first.pk, second.pk]
    assert rows[0]["audio_seconds"] == pytest.approx(42.4)
    assert rows[1]["audio_seconds"] is None
    assert rows[0]["starts_at"] == "06:30:00"


def test_the_api_hides_another_wards_broadcasts(world):
    planned_day(world)
    response = client_for(world.outsider).get(f"/api/v1/broadcasts?date={DAY.isoformat()}")
    assert response.json() == []


def test_the_api_refuses_anonymous_callers(world):
    from django.test import Client

    assert Client().get("/api/v1/broadcasts").status_code == 401

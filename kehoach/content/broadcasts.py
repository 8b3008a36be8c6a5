"""The loudspeaker system: stations, daily slots, bulletins planned per slot, spoken audio.

Everyone in a ward sees its loudspeaker schedule (it goes out on the street anyway); the
coordinator plans it (`content.schedule`). Audio is generated from the bulletin's text by the
engine from the settings and stored as the item's audio ContentMedia.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.audit.context import acting_as
from kehoach.content.models import (
    Broadcast,
    BroadcastSlot,
    BroadcastStation,
    ContentItem,
    ContentKind,
    ContentMedia,
    ContentStatus,
    MediaKind,
    Outlet,
)
from kehoach.content.speech import engines
from kehoach.content.speech.normalize import normalize

PLANNABLE = (ContentStatus.APPROVED, ContentStatus.SCHEDULED, ContentStatus.PUBLISHED)


# Reads ------------------------------------------------------------------------------------


def stations_for(user):
    """Stations of the wards the person belongs to or oversees."""
    if not user.is_authenticated or not user.is_active:
        return BroadcastStation.objects.none()
    if user.is_staff:
        return BroadcastStation.objects.all()
    from kehoach.accounts.querysets import scope_paths

    condition = Q(pk__in=[])
    ancestors: set[int] = set()
    for path in scope_paths(user):
        condition |= Q(ward__path__startswith=path)
        ancestors.update(int(part) for part in path.strip("/").split("/") if part)
    return BroadcastStation.objects.filter(condition | Q(ward_id__in=ancestors))


def slots_for(user):
    return BroadcastSlot.objects.filter(station__in=stations_for(user))


def broadcasts_for(user):
    return Broadcast.objects.filter(slot__station__in=stations_for(user))


def spoken_text(item: ContentItem) -> str:
    parts = [item.title, item.summary, item.body]
    return normalize("\n".join(p.strip() for p in parts if p and p.strip()))


def current_audio(item: ContentItem) -> ContentMedia | None:
    """The item's generated (or uploaded) audio, newest first."""
    audios = [m for m in item.media.all() if m.kind == MediaKind.AUDIO]
    audios.sort(key=lambda m: m.created_at, reverse=True)
    return audios[0] if audios else None


@dataclass
class SlotDay:
    slot: BroadcastSlot
    broadcasts: list[Broadcast] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        total = 0.0
        for broadcast in self.broadcasts:
            audio = current_audio(broadcast.item)
            total += (audio.duration_seconds or 0) if audio else 0
        return total

    @property
    def over_time(self) -> bool:
        return self.seconds > self.slot.minutes * 60


@dataclass
class StationDay:
    station: BroadcastStation
    slots: list[SlotDay]


def day_schedule(user, date: dt.date) -> list[StationDay]:
    """The day's plan by station and slot; a fixed number of queries whatever its size."""
    broadcasts = (
        Broadcast.objects.filter(date=date)
        .select_related("item")
        .prefetch_related("item__media")
        .order_by("order", "pk")
    )
    slots = BroadcastSlot.objects.order_by("starts_at", "pk").prefetch_related(
        Prefetch("broadcasts", queryset=broadcasts, to_attr="day_broadcasts")
    )
    stations = (
        stations_for(user)
        .filter(is_active=True)
        .select_related("ward")
        .order_by("name", "pk")
        .prefetch_related(Prefetch("slots", queryset=slots, to_attr="ordered_slots"))
    )
    return [
        StationDay(
            station=station,
            slots=[
                SlotDay(slot, _with_audio(slot.day_broadcasts)) for slot in station.ordered_slots
            ],
        )
        for station in stations
    ]


def _with_audio(day_broadcasts) -> list[Broadcast]:
    for broadcast in day_broadcasts:
        broadcast.item.audio = current_audio(broadcast.item)
    return list(day_broadcasts)


def plannable_items(user):
    """Bulletins the person may put on air."""
    return (
        ContentItem.objects.for_user(user)
        .filter(
            kind=ContentKind.BULLETIN,
            status__in=PLANNABLE,
            targets__outlet=Outlet.LOUDSPEAKER,
        )
        .distinct()
        .prefetch_related("media")
        .order_by("-created_at")
    )


# Services -------------------------------------------------------------------------------


def add_station(*, actor, ward, name: str) -> BroadcastStation:
    policy.require(actor, "content.schedule", ward)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the station a name."))
    with transaction.atomic(), acting_as(actor):
        return BroadcastStation.objects.create(ward=ward, name=name)


def add_slot(
    *, actor, station: BroadcastStation, name: str, starts_at: dt.time, minutes: int = 15
) -> BroadcastSlot:
    policy.require(actor, "content.schedule", station)
    if not minutes or minutes < 1 or minutes > 24 * 60:
        raise ValidationError(_("A slot lasts between 1 minute and a day."))
    with transaction.atomic(), acting_as(actor):
        return BroadcastSlot.objects.create(
            station=station, name=(name or "").strip(), starts_at=starts_at, minutes=minutes
        )


def plan_broadcast(*, actor, slot: BroadcastSlot, date: dt.date, item: ContentItem) -> Broadcast:
    """Puts an approved loudspeaker bulletin on air in a slot on a day."""
    policy.require(actor, "content.schedule", slot)
    if item.kind != ContentKind.BULLETIN:
        raise ValidationError(_("Only loudspeaker bulletins go on the loudspeakers."))
    if item.status not in PLANNABLE:
        raise ValidationError(_("Only approved bulletins can be put on air."))
    if not item.targets.filter(outlet=Outlet.LOUDSPEAKER).exists():
        raise ValidationError(_("This bulletin is not meant for the loudspeaker system."))
    ward = slot.station.ward
    if not item.unit.path.startswith(ward.path):
        raise ValidationError(_("This bulletin belongs to another ward."))
    if not slot.station.is_active:
        raise ValidationError(_("This station is no longer in use."))
    with transaction.atomic(), acting_as(actor):
        if Broadcast.objects.filter(slot=slot, date=date, item=item).exists():
            raise ValidationError(_("This bulletin is already planned in this slot."))
        last = Broadcast.objects.filter(slot=slot, date=date).order_by("-order").first()
        return Broadcast.objects.create(
            slot=slot, date=date, item=item, order=(last.order + 1) if last else 0
        )


def remove_broadcast(*, actor, broadcast: Broadcast) -> None:
    policy.require(actor, "content.schedule", broadcast)
    with transaction.atomic(), acting_as(actor):
        broadcast.delete()


def generate_audio(item: ContentItem, engine: engines.SpeechEngine | None = None) -> ContentMedia:
    """Speaks the bulletin's text into an MP3; skipped when that text was spoken already."""
    engine = engine or engines.engine_from_settings()
    text = spoken_text(item)
    if not text:
        raise ValidationError(_("The bulletin has no text to read."))
    digest = engines.text_hash(text, engine)
    existing = item.media.filter(kind=MediaKind.AUDIO, spoken_text_hash=digest).first()
    if existing is not None:
        return existing
    mp3 = engine.synthesise(text)
    seconds = engines.duration_of(mp3)
    with transaction.atomic():
        for old in item.media.filter(kind=MediaKind.AUDIO).exclude(spoken_text_hash=""):
            old.file.delete(save=False)
            old.delete()
        media = ContentMedia(
            item=item,
            kind=MediaKind.AUDIO,
            original_name=f"{item.slug}.mp3",
            content_type="audio/mpeg",
            size=len(mp3),
            duration_seconds=round(seconds, 2),
            spoken_text_hash=digest,
        )
        media.file.save(f"{item.slug}.mp3", ContentFile(mp3), save=False)
        media.save()
    return media


# Playlist -------------------------------------------------------------------------------


@dataclass
class PlaylistEntry:
    broadcast: Broadcast
    audio: ContentMedia | None
    filename: str


def playlist_entries(user, date: dt.date, station: BroadcastStation | None = None):
    entries = []
    for day in day_schedule(user, date):
        if station is not None and day.station.pk != station.pk:
            continue
        for slot_day in day.slots:
            for broadcast in slot_day.broadcasts:
                audio = current_audio(broadcast.item)
                entries.append(
                    PlaylistEntry(broadcast, audio, f"{broadcast.item.slug}.mp3" if audio else "")
                )
    return entries


def playlist_m3u(entries: list[PlaylistEntry]) -> str:
    lines = ["#EXTM3U"]
    for entry in entries:
        slot = entry.broadcast.slot
        label = f"{slot.station.name} {slot.starts_at:%H:%M} - {entry.broadcast.item.title}"
        if entry.audio is None:
            lines.append(f"# {_('No audio yet')}: {label}")
            continue
        seconds = round(entry.audio.duration_seconds or 0) or -1
        lines.append(f"#EXTINF:{seconds},{label}")
        lines.append(entry.filename)
    return "\n".join(lines) + "\n"


def playlist_zip(entries: list[PlaylistEntry], name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.m3u", playlist_m3u(entries))
        written = set()
        for entry in entries:
            if entry.audio is None or entry.filename in written:
                continue
            with entry.audio.file.open("rb") as handle:
                archive.writestr(entry.filename, handle.read(), zipfile.ZIP_STORED)
            written.add(entry.filename)
    return buffer.getvalue()

"""GET /api/v1/broadcasts?date=YYYY-MM-DD: the day's loudspeaker plan the caller may see."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from kehoach.content import broadcasts

router = Router(tags=["broadcasts"])


class BroadcastOut(Schema):
    id: int
    date: dt.date
    station_id: int
    station: str
    slot_id: int
    slot: str
    starts_at: dt.time
    order: int
    item_id: int
    title: str
    status: str
    audio_seconds: float | None


@router.get("", response=list[BroadcastOut], summary="The loudspeaker plan of a day")
def list_broadcasts(request: HttpRequest, date: dt.date | None = None):
    day = date or timezone.localdate() + dt.timedelta(days=1)
    rows = []
    for station_day in broadcasts.day_schedule(request.auth, day):
        for slot_day in station_day.slots:
            for broadcast in slot_day.broadcasts:
                audio = broadcast.item.audio
                rows.append(
                    {
                        "id": broadcast.pk,
                        "date": broadcast.date,
                        "station_id": station_day.station.pk,
                        "station": station_day.station.name,
                        "slot_id": slot_day.slot.pk,
                        "slot": slot_day.slot.name,
                        "starts_at": slot_day.slot.starts_at,
                        "order": broadcast.order,
                        "item_id": broadcast.item_id,
                        "title": broadcast.item.title,
                        "status": broadcast.item.status,
                        "audio_seconds": audio.duration_seconds if audio else None,
                    }
                )
    return rows

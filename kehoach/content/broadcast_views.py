"""The loudspeaker schedule: a day by station and slot, planning forms, audio and playlists."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.content import broadcasts
from kehoach.content.models import ContentItem
from kehoach.content.tasks import speak_bulletin
from kehoach.org.models import Unit, UnitKind


class StationForm(forms.Form):
    ward = forms.ModelChoiceField(label=gettext_lazy("Ward"), queryset=Unit.objects.none())
    name = forms.CharField(label=gettext_lazy("Station or zone"), max_length=128)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Unit.objects.for_user(user).filter(
            pk__in=[u.pk for u in _schedulable_wards(user)]
        )


class SlotForm(forms.Form):
    station = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Slot"), max_length=64, required=False)
    starts_at = forms.TimeField(
        label=gettext_lazy("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(label=gettext_lazy("Minutes"), min_value=1, initial=15)


class BroadcastForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    item = forms.ModelChoiceField(label=gettext_lazy("Bulletin"), queryset=ContentItem.objects)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = broadcasts.plannable_items(user)


def _schedulable_wards(user) -> list[Unit]:
    # A ward is a root or, under a city committee, a party committee below it.
    candidates = Unit.objects.own_for_user(user).filter(
        Q(parent__isnull=True) | Q(kind=UnitKind.PARTY_COMMITTEE)
    )
    return [unit for unit in candidates if policy.can(user, "content.schedule", unit)]


def _day(request: HttpRequest) -> dt.date:
    raw = request.GET.get("ngay") or request.POST.get("ngay") or ""
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate() + dt.timedelta(days=1)


def _back(day: dt.date):
    return redirect(f"{reverse('broadcasts:schedule')}?ngay={day.isoformat()}")


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    stations = broadcasts.day_schedule(request.user, day)
    for station_day in stations:
        station_day.can_plan = policy.can(request.user, "content.schedule", station_day.station)
    can_plan = any(s.can_plan for s in stations)
    items = list(broadcasts.plannable_items(request.user)) if can_plan else []
    for item in items:
        item.audio = broadcasts.current_audio(item)
    wards = _schedulable_wards(request.user)
    return render(
        request,
        "content/broadcast_schedule.html",
        {
            "day": day,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "stations": stations,
            "items": items,
            "station_form": StationForm(user=request.user) if wards else None,
            "slot_form": SlotForm(),
        },
    )


@login_required
@require_POST
def station_add(request: HttpRequest) -> HttpResponse:
    form = StationForm(request.POST, user=request.user)
    if not form.is_valid():
        raise Http404
    try:
        broadcasts.add_station(
            actor=request.user, ward=form.cleaned_data["ward"], name=form.cleaned_data["name"]
        )
    except ValidationError as exc:
        _report(request, exc)
    return _back(_day(request))


@login_required
@require_POST
def slot_add(request: HttpRequest) -> HttpResponse:
    form = SlotForm(request.POST)
    day = _day(request)
    if not form.is_valid():
        messages.error(request, _("Give the slot a start time and a length."))
        return _back(day)
    station = broadcasts.stations_for(request.user).filter(pk=form.cleaned_data["station"]).first()
    if station is None:
        raise Http404
    try:
        broadcasts.add_slot(
            actor=request.user,
            station=station,
            name=form.cleaned_data["name"],
            starts_at=form.cleaned_data["starts_at"],
            minutes=form.cleaned_data["minutes"],
        )
    except ValidationError as exc:
        _report(request, exc)
    return _back(day)


@login_required
@require_POST
def broadcast_add(request: HttpRequest) -> HttpResponse:
    form = BroadcastForm(request.POST, user=request.user)
    day = _day(request)
    if not form.is_valid():
        if "item" in form.errors:
            messages.error(request, _("Choose an approved loudspeaker bulletin."))
            return _back(day)
        raise Http404
    slot = broadcasts.slots_for(request.user).filter(pk=form.cleaned_data["slot"]).first()
    if slot is None:
        raise Http404
    try:
        broadcasts.plan_broadcast(
            actor=request.user,
            slot=slot,
            date=form.cleaned_data["date"],
            item=form.cleaned_data["item"],
        )
    except ValidationError as exc:
        _report(request, exc)
    return _back(form.cleaned_data["date"])


@login_required
@require_POST
def broadcast_remove(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = broadcasts.broadcasts_for(request.user).filter(pk=pk).first()
    if broadcast is None:
        raise Http404
    broadcasts.remove_broadcast(actor=request.user, broadcast=broadcast)
    return _back(broadcast.date)


def _visible_item(user, pk: int) -> ContentItem:
    item = ContentItem.objects.for_user(user).filter(pk=pk).first()
    if item is None:
        item = (
            ContentItem.objects.filter(pk=pk, broadcasts__in=broadcasts.broadcasts_for(user))
            .distinct()
            .first()
        )
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def speak(request: HttpRequest, pk: int) -> HttpResponse:
    """Queues the bulletin's audio; the immediate backend generates it right away."""
    item = _visible_item(request.user, pk)
    if not (
        policy.can(request.user, "content.draft", item)
        or policy.can(request.user, "content.schedule", item)
    ):
        raise PermissionDenied
    speak_bulletin.enqueue(item.pk)
    messages.success(request, _("The audio is being generated."))
    return _back(_day(request))


@login_required
def audio(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request.user, pk)
    media = broadcasts.current_audio(item)
    if media is None:
        raise Http404
    return FileResponse(
        media.file.open("rb"), content_type="audio/mpeg", filename=f"{item.slug}.mp3"
    )


def _entries(request: HttpRequest, day: dt.date):
    station = None
    if request.GET.get("tram"):
        station = broadcasts.stations_for(request.user).filter(pk=request.GET["tram"]).first()
        if station is None:
            raise Http404
    return broadcasts.playlist_entries(request.user, day, station)


@login_required
def playlist(request: HttpRequest, day: str, fmt: str) -> HttpResponse:
    if fmt not in ("m3u", "zip"):
        raise Http404
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    entries = _entries(request, date)
    name = f"truyen-thanh-{date.isoformat()}"
    if fmt == "m3u":
        response = HttpResponse(broadcasts.playlist_m3u(entries), content_type="audio/x-mpegurl")
    else:
        response = HttpResponse(
            broadcasts.playlist_zip(entries, name), content_type="application/zip"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response

"""The iCal feed of one channel's scheduled and published items (RFC 5545, written by hand).

Calendar applications cannot sign in: besides the session, `?token=` (an API token) or a
Bearer header identifies the person, and the feed holds only what they may see.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from kehoach.accounts.services import user_for_token
from kehoach.content.models import ContentItem, Outlet
from kehoach.content.views import CALENDAR_STATUSES

EVENT_MINUTES = 30


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and one space (§3.1), never
    cutting a UTF-8 character in two."""
    out, current, size = [], "", 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def build_calendar(items, *, name: str, host: str, base_url: str = "") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ke hoach//Content calendar//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape(name),
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    stamp = _utc(timezone.now())
    for item in items:
        when = item.published_at or item.scheduled_for
        if when is None:
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:content-{item.pk}@{host}",
            "DTSTAMP:" + stamp,
            "DTSTART:" + _utc(when),
            "DTEND:" + _utc(when + timedelta(minutes=EVENT_MINUTES)),
            "SUMMARY:" + escape(item.title),
            "DESCRIPTION:" + escape(item.summary or item.get_kind_display()),
            "STATUS:" + ("CONFIRMED" if item.published_at else "TENTATIVE"),
            "CATEGORIES:" + escape(str(item.get_kind_display())),
        ]
        if base_url:
            lines.append("URL:" + base_url + reverse("content:detail", args=[item.pk]))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def _user(request: HttpRequest):
    if request.user.is_authenticated:
        return request.user
    token = request.GET.get("token", "")
    header = request.headers.get("Authorization", "")
    if not token and header.lower().startswith("bearer "):
        token = header[7:].strip()
    return user_for_token(token) if token else None


def channel_feed(request: HttpRequest, outlet: str) -> HttpResponse:
    if outlet not in Outlet.values:
        raise Http404
    user = _user(request)
    if user is None:
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    items = (
        ContentItem.objects.for_user(user)
        .filter(status__in=CALENDAR_STATUSES, targets__outlet=outlet)
        .exclude(published_at__isnull=True, scheduled_for__isnull=True)
        .order_by("pk")
        .distinct()
    )
    body = build_calendar(
        items,
        name=str(Outlet(outlet).label),
        host=request.get_host().split(":")[0] or "kehoach",
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{outlet}.ics"'
    return response

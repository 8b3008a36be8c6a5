"""Every change to a concern: recording (by a unit or through the public form), routing,
the handling states, escalation and the erasure of contact details. Each change is one
transaction, audited under its actor (the public form acts as nobody)."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.accounts.models import Membership, Role
from kehoach.activities import evidence as ev
from kehoach.activities.models import Notification
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import check_fresh
from kehoach.feedback import workhours
from kehoach.feedback.holidays import holiday_dates
from kehoach.feedback.models import (
    Category,
    Concern,
    ConcernAttachment,
    ConcernStatus,
    RoutingRule,
    Source,
    Urgency,
)
from kehoach.org.models import Unit, UnitKind, ward_of

S = ConcernStatus
AWAITING_ACK = frozenset({S.NEW, S.TRANSFERRED})
OPEN = AWAITING_ACK | {S.ACKNOWLEDGED, S.IN_PROGRESS}
FINAL = frozenset({S.CLOSED, S.OUT_OF_SCOPE, S.DUPLICATE})

# Size limits, for the public form above all.
SUMMARY_MAX = 2000
ANSWER_MAX = 5000
NOTE_MAX = 1000
SHORT_MAX = 128
PEOPLE_MAX = 100_000
MAX_FILES = 3
# The acknowledgement code: no 0/O, 1/I/L, so it can be read out over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


# ---------------------------------------------------------------- helpers


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper().replace("-", "")


def route(ward: Unit, category: str) -> Unit:
    """The unit that handles a category in a ward: its rule, else the ward itself."""
    rule = (
        RoutingRule.objects.filter(ward=ward, category=category, unit__is_active=True)
        .select_related("unit")
        .first()
    )
    return rule.unit if rule is not None else ward


def deadlines(start: datetime, urgency: str) -> tuple[datetime, datetime]:
    """(acknowledge by, answer by) for a concern received or transferred at `start`."""
    holidays = holiday_dates()
    hours = (
        settings.CONCERN_ACK_HOURS_HOT
        if urgency == Urgency.HOT_SPOT
        else settings.CONCERN_ACK_HOURS
    )
    ack = workhours.add_working_hours(start, float(hours), holidays)
    answer = workhours.add_working_days(start, int(settings.CONCERN_ANSWER_DAYS), holidays)
    return ack, max(ack, answer)


def is_ack_overdue(concern: Concern, now: datetime) -> bool:
    return (
        concern.status in AWAITING_ACK
        and concern.acknowledge_due is not None
        and concern.acknowledge_due < now
    )


def is_answer_overdue(concern: Concern, now: datetime) -> bool:
    return concern.status in OPEN and concern.answer_due is not None and concern.answer_due < now


def is_overdue(concern: Concern, now: datetime) -> bool:
    return is_ack_overdue(concern, now) or is_answer_overdue(concern, now)


def overdue_filter(now: datetime):
    from django.db.models import Q

    return Q(status__in=AWAITING_ACK, acknowledge_due__lt=now) | Q(
        status__in=OPEN, answer_due__lt=now
    )


def _text(value: str, limit: int, message: str, *, required: bool = False, field: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message} if field else message)
    if len(value) > limit:
        error = _("At most %(limit)s characters, please.") % {"limit": limit}
        raise ValidationError({field: error} if field else error)
    return value


def _check_files(files: Iterable, limit: int) -> list:
    files = [f for f in files if f]
    if len(files) > limit:
        raise ValidationError({"files": _("Attach at most %(count)s files.") % {"count": limit}})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(ev.check_upload(upload))
        except ValidationError as exc:
            name = ev._display_name(getattr(upload, "name", "") or "")
            errors += [f"{name}: {m}" if name else m for m in exc.messages]
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _store_files(concern: Concern, checked: list, stored: list) -> None:
    for item in checked:
        content = item.as_django_file()
        record = ConcernAttachment(
            concern=concern,
            original_name=item.original_name or content.name,
            content_type=item.content_type,
            size=item.size,
        )
        record.file.save(content.name, content, save=False)
        stored.append(record.file)
        record.save()


def _remove_files(stored: list) -> None:
    for field_file in stored:
        with contextlib.suppress(OSError):
            field_file.storage.delete(field_file.name)


def _check_target(concern_or_ward, unit: Unit) -> None:
    ward = concern_or_ward if isinstance(concern_or_ward, Unit) else concern_or_ward.ward
    if unit.kind == UnitKind.EXTERNAL or not unit.is_active or not unit.path.startswith(ward.path):
        raise ValidationError({"unit": _("Choose an active unit of the same ward.")})


def detail_path(concern: Concern) -> str:
    try:
        return reverse("feedback:detail", args=[concern.pk])
    except NoReverseMatch:
        return f"/y-kien/{concern.pk}/"


def _notify_unit(concern: Concern, text: str) -> None:
    """Tells the handling unit's working people that a concern has come to them."""
    users = (
        Membership.objects.filter(
            unit_id=concern.unit_id,
            role__in=(Role.OFFICER, Role.HEAD),
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    line = text % {"code": concern.code, "summary": concern.summary[:120]}
    Notification.objects.bulk_create(
        [Notification(user_id=uid, text=line, link=detail_path(concern)) for uid in users]
    )


def _create(fields: dict, checked: list) -> Concern:
    """Creates the concern with a fresh code and token; a clash of codes is retried."""
    stored: list = []
    try:
        for attempt in range(5):
            try:
                with transaction.atomic():
                    concern = Concern.objects.create(code=new_code(), token=new_token(), **fields)
                    _store_files(concern, checked, stored)
                    with translation.override(settings.LANGUAGE_CODE):
                        _notify_unit(concern, _("New concern %(code)s: %(summary)s"))
                    return concern
            except IntegrityError:
                _remove_files(stored)
                stored.clear()
                if attempt == 4:
                    raise
    except BaseException:
        _remove_files(stored)
        raise
    raise AssertionError("unreachable")


def _clean_intake(
    *,
    category: str,
    summary: str,
    place: str,
    people_count: int | None,
    wants_answer: bool,
    resident_name: str,
    resident_contact: str,
) -> dict:
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    people = 1 if people_count in (None, "") else int(people_count)
    if people < 1 or people > PEOPLE_MAX:
        raise ValidationError({"people_count": _("Enter a number of people from 1.")})
    fields = {
        "category": category,
        "summary": _text(
            summary, SUMMARY_MAX, _("Describe the concern."), required=True, field="summary"
        ),
        "place": _text(place, SHORT_MAX, "", field="place"),
        "people_count": people,
        "wants_answer": bool(wants_answer),
    }
    # Name and contact exist only when the resident asked for an answer.
    if wants_answer:
        fields["resident_name"] = _text(resident_name, SHORT_MAX, "", field="resident_name")
        fields["resident_contact"] = _text(
            resident_contact, SHORT_MAX, "", field="resident_contact"
        )
    return fields


# ---------------------------------------------------------------- recording


def record_concern(
    *,
    actor,
    unit: Unit,
    category: str,
    summary: str,
    source: str = Source.OTHER,
    topic=None,
    place: str = "",
    people_count: int | None = 1,
    urgency: str = Urgency.NORMAL,
    wants_answer: bool = False,
    resident_name: str = "",
    resident_contact: str = "",
    files: Iterable = (),
) -> Concern:
    """A unit records a concern heard at a meeting or a visit; it is routed at once."""
    policy.require(actor, "concerns.record", unit)
    if unit.kind == UnitKind.EXTERNAL or not unit.is_active:
        raise ValidationError({"unit": _("Choose an active unit within your scope.")})
    if source not in Source.values or source == Source.PUBLIC_FORM:
        raise ValidationError({"source": _("Choose where the concern was heard.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose the urgency.")})
    ward = ward_of(unit)
    if topic is not None and not topic.plan.unit.path.startswith(ward.path):
        raise ValidationError({"topic": _("Choose a topic of this ward's plans.")})
    fields = _clean_intake(
        category=category,
        summary=summary,
        place=place,
        people_count=people_count,
        wants_answer=wants_answer,
        resident_name=resident_name,
        resident_contact=resident_contact,
    )
    checked = _check_files(files, MAX_FILES * 3)
    now = timezone.now()
    ack_due, answer_due = deadlines(now, urgency)
    with transaction.atomic(), acting_as(actor):
        return _create(
            {
                **fields,
                "ward": ward,
                "unit": route(ward, category),
                "recorded_by_unit": unit,
                "source": source,
                "topic": topic,
                "urgency": urgency,
                "acknowledge_due": ack_due,
                "answer_due": answer_due,
                "created_by": actor,
            },
            checked,
        )


def public_ward(ward_id: int) -> Unit:
    """A ward that takes concerns through the public form, or DoesNotExist."""
    # A root, or a ward committee below a city's committee.
    return (
        Unit.objects.exclude(kind=UnitKind.EXTERNAL)
        .filter(Q(parent__isnull=True) | Q(kind=UnitKind.PARTY_COMMITTEE))
        .get(pk=ward_id, is_active=True)
    )


def submit_public_concern(
    *,
    ward: Unit,
    category: str,
    summary: str,
    place: str = "",
    wants_answer: bool = False,
    resident_name: str = "",
    resident_contact: str = "",
    files: Iterable = (),
) -> Concern:
    """A resident's concern from the public form (no sign-in). The caller throttles."""
    if ward.parent_id is not None or ward.kind == UnitKind.EXTERNAL or not ward.is_active:
        raise ValidationError(_("This ward does not take concerns here."))
    fields = _clean_intake(
        category=category,
        summary=summary,
        place=place,
        people_count=1,
        wants_answer=wants_answer,
        resident_name=resident_name,
        resident_contact=resident_contact,
    )
    checked = _check_files(files, MAX_FILES)
    now = timezone.now()
    ack_due, answer_due = deadlines(now, Urgency.NORMAL)
    with transaction.atomic(), acting_as(None):
        return _create(
            {
                **fields,
                "ward": ward,
                "unit": route(ward, category),
                "source": Source.PUBLIC_FORM,
                "urgency": Urgency.NORMAL,
                "acknowledge_due": ack_due,
                "answer_due": answer_due,
            },
            checked,
        )


# ---------------------------------------------------------------- public throttle


def _take(key: str, limit: int, window: int) -> bool:
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)
            count = 1
    return count <= limit


def take_public_slot(address: str) -> bool:
    """Counts a submission from an address; False once it passed the limit for the window."""
    return _take(
        f"concern-public:{address or '-'}",
        int(settings.CONCERN_PUBLIC_LIMIT),
        int(settings.CONCERN_PUBLIC_WINDOW_SECONDS),
    )


# Looking a code up is cheap, but guessing codes must stay slow.
LOOKUP_FACTOR = 20


def take_lookup_slot(address: str) -> bool:
    return _take(
        f"concern-lookup:{address or '-'}",
        int(settings.CONCERN_PUBLIC_LIMIT) * LOOKUP_FACTOR,
        int(settings.CONCERN_PUBLIC_WINDOW_SECONDS),
    )


# ---------------------------------------------------------------- transitions


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().select_related("unit", "ward").get(pk=concern.pk)


def _require_status(concern: Concern, allowed: Iterable[str]) -> None:
    if concern.status not in set(allowed):
        raise ValidationError(
            _("This cannot be done while the concern is “%(status)s”.")
            % {"status": concern.get_status_display()},
            code="state",
        )


def _transition(actor, concern: Concern, action: str, allowed: Iterable[str], change) -> Concern:
    policy.require(actor, action, concern)
    with transaction.atomic(), acting_as(actor):
        concern = _locked(concern)
        _require_status(concern, allowed)
        change(concern, timezone.now())
        concern.save()
    return concern


def acknowledge(*, actor, concern: Concern) -> Concern:
    def change(c: Concern, now: datetime) -> None:
        c.status = S.ACKNOWLEDGED
        c.acknowledged_at = now

    return _transition(actor, concern, "concerns.handle", AWAITING_ACK, change)


def start(*, actor, concern: Concern) -> Concern:
    def change(c: Concern, now: datetime) -> None:
        c.status = S.IN_PROGRESS
        c.acknowledged_at = c.acknowledged_at or now

    return _transition(actor, concern, "concerns.handle", AWAITING_ACK | {S.ACKNOWLEDGED}, change)


def answer(*, actor, concern: Concern, text: str, seen: datetime | None = None) -> Concern:
    """Writes the answer the resident reads through their link (again to correct it)."""
    policy.require(actor, "concerns.handle", concern)
    text = _text(text, ANSWER_MAX, _("Write the answer."), required=True, field="answer")

    def change(c: Concern, now: datetime) -> None:
        check_fresh(c, seen, _("Someone changed this concern meanwhile. Reload and try again."))
        c.status = S.ANSWERED
        c.answer = text
        c.acknowledged_at = c.acknowledged_at or now
        c.answered_at = c.answered_at or now

    return _transition(actor, concern, "concerns.handle", OPEN | {S.ANSWERED}, change)


def close(*, actor, concern: Concern) -> Concern:
    def change(c: Concern, now: datetime) -> None:
        c.status = S.CLOSED
        c.closed_at = now

    return _transition(actor, concern, "concerns.handle", {S.ANSWERED}, change)


def reopen(*, actor, concern: Concern) -> Concern:
    def change(c: Concern, now: datetime) -> None:
        c.status = S.IN_PROGRESS
        c.closed_at = None
        c.duplicate_of = None
        c.acknowledged_at = c.acknowledged_at or now

    return _transition(actor, concern, "concerns.handle", FINAL, change)


def _move(concern: Concern, unit: Unit, status: str, note: str, now: datetime) -> None:
    if unit.pk == concern.unit_id:
        raise ValidationError({"unit": _("The concern is already with this unit.")})
    concern.unit = unit
    concern.status = status
    concern.acknowledged_at = None
    concern.acknowledge_due, concern.answer_due = deadlines(now, concern.urgency)
    if note:
        concern.note = note


def transfer(*, actor, concern: Concern, unit: Unit, note: str) -> Concern:
    """The handling unit passes the concern on; the new unit's deadlines start now."""
    policy.require(actor, "concerns.handle", concern)
    note = _text(note, NOTE_MAX, _("Say why the concern is transferred."), required=True)
    _check_target(concern, unit)

    def change(c: Concern, now: datetime) -> None:
        _move(c, unit, S.TRANSFERRED, note, now)

    concern = _transition(actor, concern, "concerns.handle", OPEN, change)
    with translation.override(settings.LANGUAGE_CODE):
        _notify_unit(concern, _("Concern %(code)s was transferred to your unit: %(summary)s"))
    return concern


def reroute(*, actor, concern: Concern, unit: Unit, note: str = "") -> Concern:
    """The coordinator overrides the routing: another unit handles it from now."""
    policy.require(actor, "concerns.route", concern)
    note = _text(note, NOTE_MAX, "")
    _check_target(concern, unit)

    def change(c: Concern, now: datetime) -> None:
        _move(c, unit, S.NEW if c.status == S.NEW else S.TRANSFERRED, note, now)

    concern = _transition(actor, concern, "concerns.route", OPEN, change)
    with translation.override(settings.LANGUAGE_CODE):
        _notify_unit(concern, _("Concern %(code)s was routed to your unit: %(summary)s"))
    return concern


def mark_out_of_scope(*, actor, concern: Concern, note: str) -> Concern:
    """Outside our competence: the note tells the resident where to turn."""
    policy.require(actor, "concerns.handle", concern)
    note = _text(note, NOTE_MAX, _("Say where the resident should turn."), required=True)

    def change(c: Concern, now: datetime) -> None:
        c.status = S.OUT_OF_SCOPE
        c.note = note
        c.closed_at = now

    return _transition(actor, concern, "concerns.handle", OPEN, change)


def mark_duplicate(*, actor, concern: Concern, original: Concern) -> Concern:
    """Links the concern to the one already raised in the same ward and closes it."""
    policy.require(actor, "concerns.handle", concern)
    if original.duplicate_of_id:
        original = original.duplicate_of
    if original.pk == concern.pk or original.ward_id != concern.ward_id:
        raise ValidationError(
            {"original": _("Choose another concern of the same ward as the original.")}
        )

    def change(c: Concern, now: datetime) -> None:
        c.status = S.DUPLICATE
        c.duplicate_of = original
        c.closed_at = now

    return _transition(actor, concern, "concerns.handle", OPEN, change)


def set_urgency(*, actor, concern: Concern, urgency: str) -> Concern:
    """A hot spot not yet acknowledged gets the shorter deadline, counted from receipt."""
    policy.require(actor, "concerns.handle", concern)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose the urgency.")})

    def change(c: Concern, now: datetime) -> None:
        if c.urgency == urgency:
            raise ValidationError({"urgency": _("The concern already has this urgency.")})
        c.urgency = urgency
        if c.status in AWAITING_ACK:
            c.acknowledge_due, _answer = deadlines(c.created_at, urgency)

    return _transition(actor, concern, "concerns.handle", OPEN | {S.ANSWERED}, change)


def find_original(concern: Concern, code: str) -> Concern:
    """The concern a duplicate points to, by its code, within the same ward."""
    try:
        return Concern.objects.get(ward_id=concern.ward_id, code=normalise_code(code))
    except Concern.DoesNotExist:
        raise ValidationError({"original": _("No concern of this ward has that code.")}) from None


def may_see_contact(user, concern: Concern) -> bool:
    """Only the handling unit's own people: not the coordinator, not a leader above."""
    return policy.can(user, "concerns.see_contact", concern)


def require_contact_access(user, concern: Concern) -> None:
    if not may_see_contact(user, concern):
        raise PermissionDenied


# ---------------------------------------------------------------- scheduled work

ESCALATION_KINDS = ("ack", "answer", "hot")


def _escalation_text(kind: str, concern: Concern) -> str:
    values = {"code": concern.code, "summary": concern.summary[:120], "unit": concern.unit.name}
    if kind == "ack":
        return _("Not acknowledged in time: %(code)s — %(summary)s (%(unit)s)") % values
    if kind == "answer":
        return _("Not answered in time: %(code)s — %(summary)s (%(unit)s)") % values
    return _("Hot spot: %(code)s — %(summary)s (%(unit)s)") % values


def escalation_link(concern: Concern, kind: str) -> str:
    return f"{detail_path(concern)}?canh-bao={kind}"


def escalate(now: datetime | None = None) -> int:
    """Overdue and hot-spot concerns reach the coordinators and leaders above the handling
    unit, once per concern, kind and person; returns how many notifications were made."""
    now = now or timezone.now()
    concerns = list(
        Concern.objects.filter(status__in=OPEN, unit__is_active=True).select_related("unit")
    )
    wanted: list[tuple[Concern, str]] = []
    for concern in concerns:
        if is_ack_overdue(concern, now):
            wanted.append((concern, "ack"))
        if is_answer_overdue(concern, now):
            wanted.append((concern, "answer"))
        if concern.urgency == Urgency.HOT_SPOT:
            wanted.append((concern, "hot"))
    if not wanted:
        return 0
    overseers = list(
        Membership.objects.filter(
            role__in=(Role.COORDINATOR, Role.LEADER), user__is_active=True, unit__is_active=True
        ).values_list("user_id", "unit__path")
    )
    links = {(c.pk, kind): escalation_link(c, kind) for c, kind in wanted}
    done = set(
        Notification.objects.filter(link__in=set(links.values())).values_list("user_id", "link")
    )
    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        for concern, kind in wanted:
            link = links[(concern.pk, kind)]
            users = sorted({uid for uid, path in overseers if concern.unit.path.startswith(path)})
            text = _escalation_text(kind, concern)
            notices += [
                Notification(user_id=uid, text=text, link=link)
                for uid in users
                if (uid, link) not in done
            ]
    Notification.objects.bulk_create(notices)
    return len(notices)


def erase_contacts(now: datetime | None = None) -> int:
    """Erases residents' names and contacts CONCERN_ERASE_DAYS after the concern closed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=int(settings.CONCERN_ERASE_DAYS))
    due = Concern.objects.filter(
        status__in=FINAL, closed_at__lte=cutoff, contact_erased_at__isnull=True
    )
    erased = 0
    with acting_as(None):
        for concern in due:
            with transaction.atomic():
                concern.resident_name = ""
                concern.resident_contact = ""
                concern.contact_erased_at = now
                concern.save(
                    update_fields=[
                        "resident_name",
                        "resident_contact",
                        "contact_erased_at",
                        "updated_at",
                    ]
                )
            erased += 1
    return erased

"""/api/v1/concerns (scoped, signed in) and /api/v1/public/concerns (no sign-in, throttled).

Another unit's concern answers 404; a step the person's role does not allow answers 403; a
step the concern's state does not allow answers 422. Contact details appear only for the
handling unit's own people. The public status by code tells the state and dates, nothing
more; the answer itself is read through the private link.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from kehoach.accounts import policy
from kehoach.accounts.throttle import client_address
from kehoach.core.scoping import get_for_user_or_404
from kehoach.feedback import services
from kehoach.feedback.models import Category, Concern, ConcernStatus, Source, Urgency
from kehoach.org.models import Unit
from kehoach.plans.models import Topic

router = Router(tags=["concerns"])
MAX_LIMIT = 500


class ConcernOut(Schema):
    id: int
    code: str
    ward_id: int
    unit_id: int
    unit_name: str
    recorded_by_unit_id: int | None
    source: str
    topic_id: int | None
    category: str
    place: str
    summary: str
    people_count: int
    urgency: str
    status: str
    overdue: bool
    wants_answer: bool
    resident_name: str | None
    resident_contact: str | None
    acknowledge_due: datetime | None
    answer_due: datetime | None
    acknowledged_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    answer: str
    note: str
    duplicate_of_id: int | None
    created_at: datetime
    updated_at: datetime


class ConcernIn(Schema):
    unit_id: int
    category: Category
    summary: str
    source: Source = Source.OTHER
    topic_id: int | None = None
    place: str = ""
    people_count: int = 1
    urgency: Urgency = Urgency.NORMAL
    wants_answer: bool = False
    resident_name: str = ""
    resident_contact: str = ""


class ConcernFilters(Schema):
    status: ConcernStatus | None = None
    open: bool | None = None
    overdue: bool | None = None
    unit: int | None = None
    category: Category | None = None
    urgency: Urgency | None = None
    limit: int = MAX_LIMIT
    offset: int = 0


class StepIn(Schema):
    answer: str | None = None
    note: str | None = None
    unit_id: int | None = None
    original_code: str | None = None
    urgency: Urgency | None = None
    updated_at: datetime | None = None


Step = Literal[
    "acknowledge",
    "start",
    "answer",
    "close",
    "reopen",
    "transfer",
    "reroute",
    "out-of-scope",
    "duplicate",
    "urgency",
]


class PublicIn(Schema):
    ward_id: int
    category: Category
    summary: str
    place: str = ""
    wants_answer: bool = False
    resident_name: str = ""
    resident_contact: str = ""


class PublicReceipt(Schema):
    code: str
    token: str
    status: str
    follow_url: str


class PublicStatus(Schema):
    code: str
    status: str
    status_label: str
    received_on: date
    acknowledged: bool
    answered: bool
    closed: bool


def _out(concern: Concern, user, now: datetime) -> dict:
    contact = services.may_see_contact(user, concern)
    return {
        "id": concern.pk,
        "code": concern.code,
        "ward_id": concern.ward_id,
        "unit_id": concern.unit_id,
        "unit_name": concern.unit.name,
        "recorded_by_unit_id": concern.recorded_by_unit_id,
        "source": concern.source,
        "topic_id": concern.topic_id,
        "category": concern.category,
        "place": concern.place,
        "summary": concern.summary,
        "people_count": concern.people_count,
        "urgency": concern.urgency,
        "status": concern.status,
        "overdue": services.is_overdue(concern, now),
        "wants_answer": concern.wants_answer,
        "resident_name": concern.resident_name if contact else None,
        "resident_contact": concern.resident_contact if contact else None,
        "acknowledge_due": concern.acknowledge_due,
        "answer_due": concern.answer_due,
        "acknowledged_at": concern.acknowledged_at,
        "answered_at": concern.answered_at,
        "closed_at": concern.closed_at,
        "answer": concern.answer,
        "note": concern.note,
        "duplicate_of_id": concern.duplicate_of_id,
        "created_at": concern.created_at,
        "updated_at": concern.updated_at,
    }


def _scoped(user):
    return Concern.objects.for_user(user).select_related("unit")


def _fresh(user, pk: int) -> dict:
    return _out(_scoped(user).get(pk=pk), user, timezone.now())


@router.get("/concerns", response=list[ConcernOut], summary="Concerns handled in your scope")
def list_concerns(request: HttpRequest, filters: Query[ConcernFilters]):
    user = request.auth
    now = timezone.now()
    concerns = _scoped(user)
    if filters.status:
        concerns = concerns.filter(status=filters.status)
    if filters.open is not None:
        condition = {"status__in": services.OPEN}
        concerns = concerns.filter(**condition) if filters.open else concerns.exclude(**condition)
    if filters.overdue:
        concerns = concerns.filter(services.overdue_filter(now))
    if filters.unit is not None:
        unit = get_for_user_or_404(Unit, user, pk=filters.unit)
        concerns = concerns.filter(unit__path__startswith=unit.path)
    if filters.category:
        concerns = concerns.filter(category=filters.category)
    if filters.urgency:
        concerns = concerns.filter(urgency=filters.urgency)
    offset = max(filters.offset, 0)
    limit = min(max(filters.limit, 0), MAX_LIMIT)
    concerns = concerns.order_by("-created_at", "-pk")[offset : offset + limit]
    return [_out(c, user, now) for c in concerns]


@router.post("/concerns", response={201: ConcernOut}, summary="Record a concern for a unit")
def create_concern(request: HttpRequest, payload: ConcernIn):
    user = request.auth
    unit = get_for_user_or_404(Unit, user, pk=payload.unit_id)
    topic = None
    if payload.topic_id is not None:
        topic = Topic.objects.select_related("plan__unit").filter(pk=payload.topic_id).first()
        if topic is None:
            raise ValidationError(_("Choose a topic of this ward's plans."))
    concern = services.record_concern(
        actor=user,
        unit=unit,
        category=payload.category,
        summary=payload.summary,
        source=payload.source,
        topic=topic,
        place=payload.place,
        people_count=payload.people_count,
        urgency=payload.urgency,
        wants_answer=payload.wants_answer,
        resident_name=payload.resident_name,
        resident_contact=payload.resident_contact,
    )
    # The recorder may not see a concern routed outside their scope: answer with the code.
    found = _scoped(user).filter(pk=concern.pk).first()
    if found is None:
        concern = Concern.objects.select_related("unit").get(pk=concern.pk)
        data = _out(concern, user, timezone.now())
        data.update(resident_name=None, resident_contact=None)
        return Status(201, data)
    return Status(201, _out(found, user, timezone.now()))


@router.get("/concerns/{concern_id}", response=ConcernOut, summary="One concern")
def get_concern(request: HttpRequest, concern_id: int):
    concern = get_for_user_or_404(Concern, request.auth, pk=concern_id)
    return _fresh(request.auth, concern.pk)


def _target(payload: StepIn, concern: Concern) -> Unit:
    if payload.unit_id is None:
        raise ValidationError(_("Choose an active unit of the same ward."))
    unit = Unit.objects.filter(pk=payload.unit_id, path__startswith=concern.ward.path).first()
    if unit is None:
        raise Http404
    return unit


@router.post(
    "/concerns/{concern_id}/{step}",
    response=ConcernOut,
    summary="A handling step: acknowledge, start, answer, close, reopen, transfer, reroute, "
    "out-of-scope, duplicate, urgency",
)
def take_step(request: HttpRequest, concern_id: int, step: Step, payload: StepIn | None = None):
    user = request.auth
    payload = payload or StepIn()
    concern = get_for_user_or_404(Concern, user, related=("ward", "unit"), pk=concern_id)
    # The role first: a person who may not take the step learns that before any input error.
    policy.require(user, "concerns.route" if step == "reroute" else "concerns.handle", concern)
    if step == "acknowledge":
        services.acknowledge(actor=user, concern=concern)
    elif step == "start":
        services.start(actor=user, concern=concern)
    elif step == "answer":
        services.answer(
            actor=user, concern=concern, text=payload.answer or "", seen=payload.updated_at
        )
    elif step == "close":
        services.close(actor=user, concern=concern)
    elif step == "reopen":
        services.reopen(actor=user, concern=concern)
    elif step == "transfer":
        services.transfer(
            actor=user, concern=concern, unit=_target(payload, concern), note=payload.note or ""
        )
    elif step == "reroute":
        services.reroute(
            actor=user, concern=concern, unit=_target(payload, concern), note=payload.note or ""
        )
    elif step == "out-of-scope":
        services.mark_out_of_scope(actor=user, concern=concern, note=payload.note or "")
    elif step == "duplicate":
        original = services.find_original(concern, payload.original_code or "")
        services.mark_duplicate(actor=user, concern=concern, original=original)
    elif step == "urgency":
        services.set_urgency(actor=user, concern=concern, urgency=payload.urgency or "")
    found = _scoped(user).filter(pk=concern.pk).first()
    if found is None:
        # Transferred out of the person's scope: the change is made, the concern is gone.
        raise Http404
    return _out(found, user, timezone.now())


# ---------------------------------------------------------------- public, no sign-in


def _too_many() -> HttpError:
    return HttpError(429, _("Too many requests from this connection. Try again later."))


@router.post(
    "/public/concerns",
    auth=None,
    response={201: PublicReceipt},
    summary="A resident raises a concern (no sign-in; limited per address)",
)
def public_create(request: HttpRequest, payload: PublicIn):
    if not services.take_public_slot(client_address(request)):
        raise _too_many()
    try:
        ward = services.public_ward(payload.ward_id)
    except Unit.DoesNotExist:
        raise Http404 from None
    concern = services.submit_public_concern(
        ward=ward,
        category=payload.category,
        summary=payload.summary,
        place=payload.place,
        wants_answer=payload.wants_answer,
        resident_name=payload.resident_name,
        resident_contact=payload.resident_contact,
    )
    return Status(
        201,
        {
            "code": concern.code,
            "token": concern.token,
            "status": concern.status,
            "follow_url": request.build_absolute_uri(
                reverse("feedback:follow", args=[concern.token])
            ),
        },
    )


@router.get(
    "/public/concerns/{code}",
    auth=None,
    response=PublicStatus,
    summary="The state of a concern by its code (no sign-in)",
)
def public_status(request: HttpRequest, code: str):
    if not services.take_lookup_slot(client_address(request)):
        raise _too_many()
    concern = Concern.objects.filter(code=services.normalise_code(code)).first()
    if concern is None:
        raise Http404
    return {
        "code": concern.code,
        "status": concern.status,
        "status_label": concern.get_status_display(),
        "received_on": timezone.localdate(concern.created_at),
        "acknowledged": concern.acknowledged_at is not None,
        "answered": concern.answered_at is not None,
        "closed": concern.closed_at is not None,
    }

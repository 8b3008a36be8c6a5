"""Activities over the API: list with the same filters as the pages, log, change, delete, evidence.

Ids of objects outside the caller's scope answer 404 (unit, plan, task, activity) or 422
(a topic of another plan, a task of another unit); nothing is written either way.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from kehoach.activities import activity_services as services
from kehoach.activities.forms_activities import apply_filters
from kehoach.activities.models import Activity, ActivityTopic, Evidence, Task
from kehoach.core.scoping import get_for_user_or_404
from kehoach.org.models import Unit
from kehoach.plans.models import Plan, Topic

router = Router(tags=["activities"])
MAX_LIMIT = 500


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    url: str
    file_url: str | None


class ActivityOut(Schema):
    id: int
    unit_id: int
    date: dt.date
    channel: str
    plan_id: int | None
    topic_ids: list[int]
    audiences: list[str]
    counts: dict[str, int]
    reached: int
    description: str
    task_id: int | None
    locked: bool
    locked_at: dt.datetime | None
    unlock_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime
    evidence: list[EvidenceOut]


class ActivityIn(Schema):
    unit_id: int
    date: dt.date | None = None
    channel: str
    plan_id: int | None = None
    topic_ids: list[int] = []
    audiences: list[str] = []
    counts: dict[str, int] = {}
    description: str = ""
    task_id: int | None = None


class ActivityPatch(Schema):
    date: dt.date | None = None
    channel: str | None = None
    plan_id: int | None = None
    topic_ids: list[int] | None = None
    audiences: list[str] | None = None
    counts: dict[str, int] | None = None
    description: str | None = None
    task_id: int | None = None
    updated_at: dt.datetime | None = None


class ActivityFilters(Schema):
    unit_id: int | None = None
    plan_id: int | None = None
    topic_id: int | None = None
    channel: str = ""
    audience: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = 100
    offset: int = 0


def _evidence_out(item: Evidence) -> dict:
    has_file = bool(item.file)
    return {
        "id": item.pk,
        "kind": item.kind,
        "original_name": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
        "url": item.url,
        "file_url": reverse("activities:evidence", args=[item.pk]) if has_file else None,
    }


def _out(activity: Activity) -> dict:
    return {
        "id": activity.pk,
        "unit_id": activity.unit_id,
        "date": activity.date,
        "channel": activity.channel,
        "plan_id": activity.plan_id,
        "topic_ids": [link.topic_id for link in activity.topic_links.all()],
        "audiences": [row.audience for row in activity.audiences.all()],
        "counts": {name: getattr(activity, name) for name in services.COUNT_FIELDS},
        "reached": activity.reached,
        "description": activity.description,
        "task_id": activity.task_id,
        "locked": activity.is_locked,
        "locked_at": activity.locked_at,
        "unlock_reason": activity.unlock_reason,
        "created_at": activity.created_at,
        "updated_at": activity.updated_at,
        "evidence": [_evidence_out(e) for e in activity.evidence.all()],
    }


def _loaded(activities):
    return activities.prefetch_related(
        Prefetch("topic_links", queryset=ActivityTopic.objects.order_by("pk")),
        "audiences",
        "evidence",
    )


def _fresh(pk: int) -> dict:
    return _out(_loaded(Activity.objects.filter(pk=pk)).get())


# ---------------------------------------------------------------- resolving ids in scope


def _plan(user, plan_id: int | None) -> Plan | None:
    return None if plan_id is None else get_for_user_or_404(Plan, user, pk=plan_id)


def _topics(topic_ids: list[int]) -> list[Topic]:
    ids = list(dict.fromkeys(topic_ids))
    topics = list(Topic.objects.filter(pk__in=ids))
    if len(topics) != len(ids):
        raise ValidationError({"topics": [_("The topics must belong to the chosen plan.")]})
    return topics


def _task(user, task_id: int | None) -> Task | None:
    return None if task_id is None else get_for_user_or_404(Task, user, pk=task_id)


def _counts(counts: dict[str, int]) -> dict[str, int]:
    unknown = set(counts) - set(services.COUNT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown counts: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    return dict(counts)


# ---------------------------------------------------------------- endpoints


@router.get("", response=list[ActivityOut], summary="Activities in your scope, filtered")
def list_activities(request: HttpRequest, filters: Query[ActivityFilters]):
    user = request.auth
    chosen = {
        "unit": None
        if filters.unit_id is None
        else get_for_user_or_404(Unit, user, pk=filters.unit_id),
        "plan": _plan(user, filters.plan_id),
        "topic": None,
        "channel": filters.channel,
        "audience": filters.audience,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
    }
    if filters.topic_id is not None:
        visible = Topic.objects.filter(plan__in=Plan.objects.for_user(user))
        chosen["topic"] = _get_in_or_404(visible, pk=filters.topic_id)
    activities = apply_filters(Activity.objects.for_user(user), **chosen)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    page = _loaded(activities.order_by("-date", "-pk"))[offset : offset + limit]
    return [_out(a) for a in page]


def _get_in_or_404(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


@router.post("", response={201: ActivityOut}, summary="Log an activity")
def create_activity(request: HttpRequest, payload: ActivityIn):
    user = request.auth
    unit = get_for_user_or_404(Unit, user, pk=payload.unit_id)
    activity = services.log_activity(
        actor=user,
        unit=unit,
        date=payload.date,
        channel=payload.channel,
        plan=_plan(user, payload.plan_id),
        topics=_topics(payload.topic_ids),
        audiences=payload.audiences,
        description=payload.description,
        task=_task(user, payload.task_id),
        **_counts(payload.counts),
    )
    return Status(201, _fresh(activity.pk))


@router.get("/{activity_id}", response=ActivityOut, summary="One activity")
def get_activity(request: HttpRequest, activity_id: int):
    activity = get_for_user_or_404(Activity, request.auth, pk=activity_id)
    return _fresh(activity.pk)


@router.patch("/{activity_id}", response=ActivityOut, summary="Change an activity")
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    user = request.auth
    activity = get_for_user_or_404(Activity, user, pk=activity_id)
    fields = payload.dict(exclude_unset=True)
    seen = fields.pop("updated_at", None)
    changes: dict = {}
    for name in ("date", "channel", "description", "audiences"):
        if name in fields:
            changes[name] = fields[name]
    if "plan_id" in fields:
        changes["plan"] = _plan(user, fields["plan_id"])
    if "topic_ids" in fields:
        changes["topics"] = _topics(fields["topic_ids"] or [])
    if "task_id" in fields:
        changes["task"] = _task(user, fields["task_id"])
    if fields.get("counts"):
        changes.update(_counts(fields["counts"]))
    if changes.get("channel") is None:
        changes.pop("channel", None)
    services.update_activity(actor=user, activity=activity, changes=changes, seen_updated_at=seen)
    return _fresh(activity.pk)


@router.delete("/{activity_id}", response={204: None}, summary="Delete an activity (can be undone)")
def delete_activity(request: HttpRequest, activity_id: int):
    activity = get_for_user_or_404(Activity, request.auth, pk=activity_id)
    services.delete_activity(actor=request.auth, activity=activity)
    return Status(204, None)


@router.post(
    "/{activity_id}/evidence",
    response={201: EvidenceOut},
    summary="Add a photo, a document or a link",
)
def add_evidence(
    request: HttpRequest,
    activity_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008
    url: str = Form(""),
):
    activity = get_for_user_or_404(Activity, request.auth, pk=activity_id)
    item = services.add_evidence(actor=request.auth, activity=activity, upload=file, url=url)
    return Status(201, _evidence_out(item))

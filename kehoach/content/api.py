"""Content items over the API: list, draft, one item, workflow transitions, media upload.

Ids outside the caller's scope answer 404; a transition the person may not apply answers
403; one the item's status does not allow (or a missing comment) answers 422.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from kehoach.content import services
from kehoach.content.models import ContentItem
from kehoach.content.views import with_details
from kehoach.core.scoping import get_for_user_or_404
from kehoach.org.models import Unit

router = Router(tags=["content"])
MAX_LIMIT = 500


class MediaOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    duration_seconds: float | None
    file_url: str


class ContentOut(Schema):
    id: int
    unit_id: int
    kind: str
    title: str
    summary: str
    body: str
    outlets: list[str]
    topic_ids: list[int]
    plan_id: int | None
    hashtags: str
    video_url: str
    status: str
    review_comment: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    scheduled_for: dt.datetime | None
    published_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    slug: str
    activity_id: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    media: list[MediaOut]


class ContentIn(Schema):
    unit_id: int
    kind: str
    title: str
    summary: str = ""
    body: str = ""
    outlets: list[str]
    topic_ids: list[int] = []
    hashtags: str = ""
    video_url: str = ""


class ContentFilters(Schema):
    status: str = ""
    kind: str = ""
    outlet: str = ""
    unit_id: int | None = None
    limit: int = 100
    offset: int = 0


class TransitionIn(Schema):
    comment: str = ""
    when: dt.datetime | None = None


def _media_out(media) -> dict:
    return {
        "id": media.pk,
        "kind": media.kind,
        "original_name": media.original_name,
        "content_type": media.content_type,
        "size": media.size,
        "width": media.width,
        "height": media.height,
        "duration_seconds": media.duration_seconds,
        "file_url": reverse("content:media", args=[media.pk]),
    }


def _out(item: ContentItem) -> dict:
    return {
        "id": item.pk,
        "unit_id": item.unit_id,
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "outlets": services.outlets_of(item),
        "topic_ids": [link.topic_id for link in item.topic_links.all()],
        "plan_id": item.plan_id,
        "hashtags": item.hashtags,
        "video_url": item.video_url,
        "status": item.status,
        "review_comment": item.review_comment,
        "submitted_at": item.submitted_at,
        "reviewed_at": item.reviewed_at,
        "scheduled_for": item.scheduled_for,
        "published_at": item.published_at,
        "withdrawn_at": item.withdrawn_at,
        "slug": item.slug,
        "activity_id": item.activity_id,
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "media": [_media_out(m) for m in item.media.all()],
    }


def _loaded(items):
    return with_details(items).prefetch_related("media")


def _fresh(pk: int) -> dict:
    return _out(_loaded(ContentItem.objects.filter(pk=pk)).get())


def _topics(user, topic_ids: list[int]):
    ids = list(dict.fromkeys(topic_ids))
    topics = list(services.visible_topics(user).filter(pk__in=ids))
    if len(topics) != len(ids):
        raise ValidationError({"topics": [_("These topics are not available to you.")]})
    return topics


@router.get("", response=list[ContentOut], summary="Content items in your scope, filtered")
def list_items(request: HttpRequest, filters: Query[ContentFilters]):
    user = request.auth
    items = ContentItem.objects.for_user(user)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.outlet:
        items = items.filter(targets__outlet=filters.outlet)
    if filters.unit_id is not None:
        unit = get_for_user_or_404(Unit, user, pk=filters.unit_id)
        items = items.filter(unit__path__startswith=unit.path)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    page = _loaded(items.distinct().order_by("-created_at", "-pk"))[offset : offset + limit]
    return [_out(i) for i in page]


@router.post("", response={201: ContentOut}, summary="Draft a content item")
def create_item(request: HttpRequest, payload: ContentIn):
    user = request.auth
    unit = get_for_user_or_404(Unit, user, pk=payload.unit_id)
    item = services.create_item(
        actor=user,
        unit=unit,
        kind=payload.kind,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        outlets=payload.outlets,
        topics=_topics(user, payload.topic_ids),
        hashtags=payload.hashtags,
        video_url=payload.video_url,
    )
    return Status(201, _fresh(item.pk))


@router.get("/{item_id}", response=ContentOut, summary="One content item")
def get_item(request: HttpRequest, item_id: int):
    item = get_for_user_or_404(ContentItem, request.auth, pk=item_id)
    return _fresh(item.pk)


@router.post("/{item_id}/media", response={201: MediaOut}, summary="Add an image, a video or audio")
def add_media(request: HttpRequest, item_id: int, file: UploadedFile = File(...)):  # noqa: B008
    item = get_for_user_or_404(ContentItem, request.auth, pk=item_id)
    media = services.add_media(actor=request.auth, item=item, upload=file)
    return Status(201, _media_out(media))


@router.post(
    "/{item_id}/{transition}",
    response=ContentOut,
    summary="Apply a transition: submit, approve, request_changes, schedule, publish, withdraw",
)
def apply_transition(
    request: HttpRequest, item_id: int, transition: str, payload: TransitionIn | None = None
):
    item = get_for_user_or_404(ContentItem, request.auth, pk=item_id)
    action = services.TRANSITIONS.get(transition)
    if action is None:
        raise Http404
    payload = payload or TransitionIn()
    extra: dict = {}
    if transition == "request_changes":
        extra["comment"] = payload.comment
    elif transition == "schedule":
        extra["when"] = payload.when
    item = with_details(ContentItem.objects.filter(pk=item.pk)).get()
    action(actor=request.auth, item=item, **extra)
    return _fresh(item.pk)

"""Every change to content items: draft, edit, media, review, schedule, publish, withdraw.

The workflow: draft → submitted → approved (or changes requested, with a comment, back to
the author) → scheduled → published → withdrawn. Who reviews depends on the channels: an
item meant only for the unit's own social page is the unit head's; anything for the ward
portal, the loudspeakers, the newsletter or the panels is the coordinator's or a leader's.
Publishing records the matching activity once; withdrawing keeps it (it happened).
"""

from __future__ import annotations

import io
import struct
import uuid
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from kehoach.accounts import policy
from kehoach.activities import evidence as ev
from kehoach.activities.activity_services import log_activity
from kehoach.activities.models import EvidenceKind
from kehoach.audit.context import acting_as
from kehoach.content.models import (
    ContentItem,
    ContentKind,
    ContentMedia,
    ContentStatus,
    ContentTarget,
    ContentTopic,
    MediaKind,
    Outlet,
)
from kehoach.core.concurrency import StaleEdit
from kehoach.core.text import fold, normalize
from kehoach.org.models import Unit
from kehoach.plans.models import Plan, Topic

REVIEW_UNIT = "content.review_unit"
REVIEW_WARD = "content.review_ward"
EDITABLE_STATUSES = (ContentStatus.DRAFT, ContentStatus.CHANGES_REQUESTED)
PUBLISHABLE_STATUSES = (ContentStatus.APPROVED, ContentStatus.SCHEDULED)

# What one published item adds to the activity's outputs.
OUTPUT_BY_KIND = {
    ContentKind.NEWS: "news_items",
    ContentKind.ARTICLE: "articles",
    ContentKind.INFOGRAPHIC: "infographics",
    ContentKind.VIDEO: "video_clips",
    ContentKind.BULLETIN: "broadcasts",
    ContentKind.SLOGAN: "posters",
    ContentKind.SOCIAL_POST: "news_items",
}


# ---------------------------------------------------------------- reading helpers


def outlets_of(item: ContentItem) -> list[str]:
    """The item's channels in the order they were chosen (prefetched targets are used)."""
    return [t.outlet for t in sorted(item.targets.all(), key=lambda t: t.pk)]


def reviewer_action(item: ContentItem) -> str:
    """The policy action a reviewer needs: the unit head for its own social page only."""
    outlets = set(outlets_of(item))
    if outlets == {Outlet.SOCIAL}:
        return REVIEW_UNIT
    return REVIEW_WARD


def publisher_action(item: ContentItem) -> str:
    """Scheduling and publishing: the reviewer of a social-only item, else the coordinator."""
    return REVIEW_UNIT if reviewer_action(item) == REVIEW_UNIT else "content.schedule"


def allowed_transitions(user, item: ContentItem) -> list[str]:
    """The transition names the person may apply to the item now (for buttons)."""
    result = []
    status = item.status
    if status in EDITABLE_STATUSES and policy.can(user, "content.draft", item):
        result.append("submit")
    if status == ContentStatus.SUBMITTED and policy.can(user, reviewer_action(item), item):
        result += ["approve", "request_changes"]
    if status in PUBLISHABLE_STATUSES and policy.can(user, publisher_action(item), item):
        result += ["schedule", "publish"]
    if status in (ContentStatus.SCHEDULED, ContentStatus.PUBLISHED) and policy.can(
        user, publisher_action(item), item
    ):
        result.append("withdraw")
    return result


def can_edit(user, item: ContentItem) -> bool:
    return item.status in EDITABLE_STATUSES and policy.can(user, "content.draft", item)


def visible_topics(user):
    return Topic.objects.filter(plan__in=Plan.objects.for_user(user)).select_related("plan")


# ---------------------------------------------------------------- checks


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(fold(title))[:100].strip("-") or "noi-dung"
    slug, n = base, 1
    taken = ContentItem.objects.all()
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_fields(
    actor,
    *,
    kind: str,
    title: str,
    outlets: Sequence[str],
    topics: Sequence[Topic],
    plan: Plan | None,
    video_url: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in ContentKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of content."))
    if not title:
        errors.setdefault("title", []).append(_("Enter a title."))
    if not outlets:
        errors.setdefault("outlets", []).append(_("Choose at least one channel."))
    elif any(o not in Outlet.values for o in outlets):
        errors.setdefault("outlets", []).append(_("Choose channels from the list."))
    if topics:
        ids = {t.pk for t in topics}
        if visible_topics(actor).filter(pk__in=ids).count() != len(ids):
            errors.setdefault("topics", []).append(_("These topics are not available to you."))
        elif plan is not None and any(t.plan_id != plan.pk for t in topics):
            errors.setdefault("topics", []).append(_("The topics must belong to the chosen plan."))
    if plan is not None and not Plan.objects.for_user(actor).filter(pk=plan.pk).exists():
        errors.setdefault("plan", []).append(_("This plan is not available to you."))
    if video_url:
        try:
            ev.check_url(video_url)
        except ValidationError as exc:
            errors.setdefault("video_url", []).extend(exc.messages)
    return errors


def _plan_for(plan: Plan | None, topics: Sequence[Topic]) -> Plan | None:
    if plan is not None:
        return plan
    plans = {t.plan_id for t in topics}
    if len(plans) == 1:
        return topics[0].plan
    return None


def _ordered_unique(values: Iterable) -> list:
    seen, result = set(), []
    for v in values:
        key = getattr(v, "pk", v)
        if key not in seen:
            seen.add(key)
            result.append(v)
    return result


def _set_links(item: ContentItem, outlets: Sequence[str], topics: Sequence[Topic]) -> None:
    current = outlets_of(item)
    if current != list(outlets):
        item.targets.all().delete()
        ContentTarget.objects.bulk_create([ContentTarget(item=item, outlet=o) for o in outlets])
    item.topic_links.exclude(topic__in=topics).delete()
    have = set(item.topic_links.values_list("topic_id", flat=True))
    ContentTopic.objects.bulk_create(
        [ContentTopic(item=item, topic=t) for t in topics if t.pk not in have]
    )


def _require_status(item: ContentItem, allowed: Iterable[str], message: str) -> None:
    if item.status not in allowed:
        raise ValidationError(message, code="status")


# ---------------------------------------------------------------- drafting


def create_item(
    *,
    actor,
    unit: Unit,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    outlets: Sequence[str],
    topics: Sequence[Topic] = (),
    plan: Plan | None = None,
    video_url: str = "",
    hashtags: str = "",
    right: str = "content.draft",
) -> ContentItem:
    # `right`: a generated item (an infographic) is drafted under the right to make it,
    # which leaders hold too; it still goes through the same review before publishing.
    policy.require(actor, right, unit)
    if not Unit.objects.for_user(actor).filter(pk=unit.pk).exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    title = normalize(title)
    outlets = _ordered_unique(outlets)
    topics = _ordered_unique(topics)
    video_url = (video_url or "").strip()
    errors = _check_fields(
        actor,
        kind=kind,
        title=title,
        outlets=outlets,
        topics=topics,
        plan=plan,
        video_url=video_url,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        item = ContentItem.objects.create(
            unit=unit,
            kind=kind,
            title=title,
            summary=(summary or "").strip(),
            body=(body or "").strip(),
            video_url=video_url,
            hashtags=normalize(hashtags),
            plan=_plan_for(plan, topics),
            slug=_unique_slug(title),
            created_by=actor,
        )
        _set_links(item, outlets, topics)
    return item


def update_item(
    *,
    actor,
    item: ContentItem,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    outlets: Sequence[str],
    topics: Sequence[Topic] = (),
    plan: Plan | None = None,
    video_url: str = "",
    hashtags: str = "",
    version: int | None = None,
) -> ContentItem:
    """Change a draft (or an item sent back for changes). `version` is what the form read."""
    policy.require(actor, "content.draft", item)
    title = normalize(title)
    outlets = _ordered_unique(outlets)
    topics = _ordered_unique(topics)
    video_url = (video_url or "").strip()
    errors = _check_fields(
        actor,
        kind=kind,
        title=title,
        outlets=outlets,
        topics=topics,
        plan=plan,
        video_url=video_url,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        if version is not None and locked.version != version:
            raise StaleEdit(
                _("Someone changed this item after you opened it. Reload the page and try again.")
            )
        _require_status(
            locked, EDITABLE_STATUSES, _("Only a draft or an item sent back can be changed.")
        )
        locked.kind = kind
        locked.title = title
        locked.summary = (summary or "").strip()
        locked.body = (body or "").strip()
        locked.video_url = video_url
        locked.hashtags = normalize(hashtags)
        locked.plan = _plan_for(plan, topics)
        locked.version += 1
        locked.save()
        _set_links(locked, outlets, topics)
    return locked


# ---------------------------------------------------------------- media


@dataclass(frozen=True)
class _Media:
    kind: str
    content: bytes
    extension: str
    content_type: str
    original_name: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None


def _mp3_duration(data: bytes) -> float | None:
    """Constant-bitrate estimate from the first MPEG-1/2 Layer III frame header."""
    start = 0
    if data[:3] == b"ID3" and len(data) > 10:
        size = data[6:10]
        start = 10 + ((size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3])
    for i in range(start, min(len(data) - 4, start + 65536)):
        if data[i] == 0xFF and data[i + 1] & 0xE0 == 0xE0:
            header = struct.unpack(">I", data[i : i + 4])[0]
            version = (header >> 19) & 3  # 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
            index = (header >> 12) & 0xF
            if index in (0, 15) or version == 1:
                continue
            v1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
            v2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
            kbps = (v1 if version == 3 else v2)[index]
            return round((len(data) - i) * 8 / (kbps * 1000), 1)
    return None


def _audio_or_video(data: bytes, name: str) -> _Media | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        try:
            with wave.open(io.BytesIO(data)) as w:
                duration = w.getnframes() / float(w.getframerate())
        except (wave.Error, EOFError, ZeroDivisionError):
            return None
        return _Media(MediaKind.AUDIO, data, "wav", "audio/wav", name, duration=duration)
    if data[:3] == b"ID3" or (len(data) > 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return _Media(
            MediaKind.AUDIO, data, "mp3", "audio/mpeg", name, duration=_mp3_duration(data)
        )
    if data[:4] == b"OggS":
        return _Media(MediaKind.AUDIO, data, "ogg", "audio/ogg", name)
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand.startswith(b"M4A"):
            return _Media(MediaKind.AUDIO, data, "m4a", "audio/mp4", name)
        return _Media(MediaKind.VIDEO, data, "mp4", "video/mp4", name)
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return _Media(MediaKind.VIDEO, data, "webm", "video/webm", name)
    return None


def check_media(upload) -> _Media:
    """An image (re-encoded without metadata), a video or an audio file, by content."""
    name = ev._display_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is not None:
        ev.check_size(size)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(ev.max_bytes() + 1)
    ev.check_size(len(data))
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    found = _audio_or_video(data, name)
    if found is not None:
        return found
    refuse = ValidationError(
        _("This file type is not accepted. Send an image, a video (MP4, WebM) or audio."),
        code="type",
    )
    try:
        checked = ev.check_bytes(data, name)
    except ValidationError:
        raise refuse from None
    if checked.kind != EvidenceKind.PHOTO:
        raise refuse
    with Image.open(io.BytesIO(checked.content)) as image:
        width, height = image.size
    return _Media(
        MediaKind.IMAGE,
        checked.content,
        checked.extension,
        checked.content_type,
        name,
        width=width,
        height=height,
    )


def add_media(*, actor, item: ContentItem, upload) -> ContentMedia:
    policy.require(actor, "content.draft", item)
    _require_status(
        item,
        [s for s in ContentStatus.values if s != ContentStatus.WITHDRAWN],
        _("A withdrawn item cannot be changed."),
    )
    checked = check_media(upload)
    with transaction.atomic(), acting_as(actor):
        media = ContentMedia(
            item=item,
            kind=checked.kind,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=len(checked.content),
            width=checked.width,
            height=checked.height,
            duration_seconds=checked.duration,
        )
        media.file.save(
            f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False
        )
        try:
            media.save()
        except BaseException:
            media.file.delete(save=False)
            raise
    return media


# ---------------------------------------------------------------- workflow


def _load(item: ContentItem) -> ContentItem:
    return ContentItem.objects.select_for_update().get(pk=item.pk)


def _sync(item: ContentItem, fresh: ContentItem) -> ContentItem:
    """Copy the saved state back onto the caller's instance."""
    for field in fresh._meta.concrete_fields:
        setattr(item, field.attname, getattr(fresh, field.attname))
    return item


def submit(*, actor, item: ContentItem) -> ContentItem:
    policy.require(actor, "content.draft", item)
    with transaction.atomic(), acting_as(actor):
        fresh = _load(item)
        _require_status(fresh, EDITABLE_STATUSES, _("Only a draft can be sent for review."))
        fresh.status = ContentStatus.SUBMITTED
        fresh.submitted_at = timezone.now()
        fresh.save()
    return _sync(item, fresh)


def approve(*, actor, item: ContentItem) -> ContentItem:
    policy.require(actor, reviewer_action(item), item)
    with transaction.atomic(), acting_as(actor):
        fresh = _load(item)
        _require_status(
            fresh, [ContentStatus.SUBMITTED], _("Only an item awaiting review can be approved.")
        )
        fresh.status = ContentStatus.APPROVED
        fresh.reviewed_at = timezone.now()
        fresh.reviewed_by = actor
        fresh.review_comment = ""
        fresh.save()
    return _sync(item, fresh)


def request_changes(*, actor, item: ContentItem, comment: str) -> ContentItem:
    policy.require(actor, reviewer_action(item), item)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should change.")]}, code="comment_required")
    with transaction.atomic(), acting_as(actor):
        fresh = _load(item)
        _require_status(
            fresh,
            [ContentStatus.SUBMITTED],
            _("Only an item awaiting review can be sent back."),
        )
        fresh.status = ContentStatus.CHANGES_REQUESTED
        fresh.review_comment = comment
        fresh.reviewed_at = timezone.now()
        fresh.reviewed_by = actor
        fresh.save()
    return _sync(item, fresh)


def schedule(*, actor, item: ContentItem, when: datetime) -> ContentItem:
    policy.require(actor, publisher_action(item), item)
    if when is None:
        raise ValidationError({"when": [_("Enter the date and time to publish.")]})
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    with transaction.atomic(), acting_as(actor):
        fresh = _load(item)
        _require_status(fresh, PUBLISHABLE_STATUSES, _("Only an approved item can be scheduled."))
        fresh.status = ContentStatus.SCHEDULED
        fresh.scheduled_for = when
        fresh.save()
    return _sync(item, fresh)


def _activity_counts(item: ContentItem) -> dict[str, int]:
    counts = {OUTPUT_BY_KIND[item.kind]: 1}
    if item.kind == ContentKind.BULLETIN:
        seconds = sum(
            m.duration_seconds or 0 for m in item.media.all() if m.kind == MediaKind.AUDIO
        )
        if seconds:
            counts["broadcast_minutes"] = max(1, round(seconds / 60))
    return counts


def publish(*, actor, item: ContentItem) -> ContentItem:
    """Publish now and record the activity once: the item's `activity` guards a second one."""
    policy.require(actor, publisher_action(item), item)
    with transaction.atomic(), acting_as(actor):
        fresh = _load(item)
        _require_status(
            fresh, PUBLISHABLE_STATUSES, _("Only an approved or scheduled item can be published.")
        )
        if fresh.activity_id is None:
            topics = [link.topic for link in fresh.topic_links.select_related("topic")]
            plan = fresh.plan
            topics = [t for t in topics if t.plan_id == plan.pk] if plan is not None else []
            outlets = outlets_of(fresh)
            fresh.activity = log_activity(
                actor=actor,
                unit=fresh.unit,
                channel=outlets[0] if outlets else "other",
                plan=plan,
                topics=topics,
                description=fresh.title,
                **_activity_counts(fresh),
            )
        fresh.status = ContentStatus.PUBLISHED
        fresh.published_at = timezone.now()
        fresh.save()
    return _sync(item, fresh)


def withdraw(*, actor, item: ContentItem) -> ContentItem:
    """Take the item down (public page and feeds); the activity stays — it happened."""
    policy.require(actor, publisher_action(item), item)
    with transaction.atomic(), acting_as(actor):
        fresh = _load(item)
        _require_status(
            fresh,
            [ContentStatus.SCHEDULED, ContentStatus.PUBLISHED],
            _("Only a scheduled or published item can be withdrawn."),
        )
        fresh.status = ContentStatus.WITHDRAWN
        fresh.withdrawn_at = timezone.now()
        fresh.save()
    return _sync(item, fresh)


TRANSITIONS = {
    "submit": submit,
    "approve": approve,
    "request_changes": request_changes,
    "schedule": schedule,
    "publish": publish,
    "withdraw": withdraw,
}


def publish_due(now=None) -> int:
    """Publishes scheduled items whose time has come; returns how many.

    The approver publishes, as they would by hand; if their rights have changed, a
    coordinator above the author unit does. An item nobody may publish stays scheduled.
    """
    from django.core.exceptions import PermissionDenied

    from kehoach.accounts.models import Membership, Role

    now = now or timezone.now()
    due = ContentItem.objects.filter(
        status=ContentStatus.SCHEDULED, scheduled_for__lte=now
    ).select_related("unit", "reviewed_by")
    published = 0
    for item in due:
        ancestors = [int(p) for p in item.unit.path.strip("/").split("/") if p]
        coordinators = [
            m.user
            for m in Membership.objects.filter(
                unit_id__in=ancestors, role=Role.COORDINATOR, user__is_active=True
            ).select_related("user")
        ]
        for actor in [u for u in [item.reviewed_by, *coordinators] if u is not None]:
            try:
                publish(actor=actor, item=item)
            except (PermissionDenied, ValidationError):
                continue
            published += 1
            break
    return published

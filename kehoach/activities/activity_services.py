"""Every change to activities and their evidence: log, edit, delete, lock. Audited, atomic.

Uploads are checked and re-encoded before the transaction opens (that is the slow part);
then the activity, its topics, audiences and evidence are written together, so a
failure anywhere leaves nothing behind — and files already stored are removed again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import date as date_type
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.activities import evidence as ev
from kehoach.activities.models import (
    OUTPUT_FIELDS,
    REACH_FIELDS,
    Activity,
    ActivityAudience,
    ActivityTopic,
    Audience,
    Channel,
    EntryDefaults,
    Evidence,
    EvidenceKind,
    Task,
)
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import check_fresh
from kehoach.core.dates import out_of_range
from kehoach.org.models import Unit
from kehoach.plans.models import Plan, Topic

COUNT_FIELDS = REACH_FIELDS + OUTPUT_FIELDS
# PostgreSQL's integer holds about two billion; no ward reaches a billion of anything.
MAX_COUNT = 1_000_000_000
EDITABLE = (
    "date",
    "channel",
    "plan",
    "topics",
    "audiences",
    "description",
    "task",
    *COUNT_FIELDS,
)


# ---------------------------------------------------------------- checks


def _errors_add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _accepted_period(unit: Unit, day: date_type) -> str | None:
    from kehoach.reports.models import ReportStatus, UnitReport

    report = (
        UnitReport.objects.filter(
            unit=unit,
            status=ReportStatus.ACCEPTED,
            period__start__lte=day,
            period__end__gte=day,
        )
        .select_related("period")
        .first()
    )
    return report.period.label if report else None


def _check_entry(
    actor,
    *,
    unit: Unit,
    date: date_type | None,
    channel: str,
    plan: Plan | None,
    topics: Sequence[Topic],
    audiences: Sequence[str],
    counts: dict,
    task: Task | None,
    check_period: bool = True,
) -> None:
    """Every rule of an activity's content; all problems reported at once.

    `check_period`: refuse a date inside a period whose unit report is accepted. Off when
    an edit keeps the date, so an activity the coordinator unlocked can be corrected."""
    errors: dict[str, list[str]] = {}
    if date is None:
        _errors_add(errors, "date", _("Enter the date of the activity."))
    elif date > timezone.localdate():
        _errors_add(errors, "date", _("The date cannot be in the future."))
    elif problem := out_of_range(date):
        _errors_add(errors, "date", problem)
    elif check_period and unit is not None and (period := _accepted_period(unit, date)):
        # Its report is accepted and its figures snapshotted: a new activity there would
        # make the accepted report wrong, as editing a locked one would.
        _errors_add(
            errors,
            "date",
            _(
                "The report of this unit for %(period)s has been accepted, so its activities "
                "are locked. Ask the coordinating board to reopen it."
            )
            % {"period": period},
        )
    if channel not in Channel.values:
        _errors_add(errors, "channel", _("Choose the form of communication."))
    if plan is not None and not Plan.objects.for_user(actor).filter(pk=plan.pk).exists():
        _errors_add(errors, "plan", _("This plan is not available to you."))
    if topics:
        if plan is None:
            _errors_add(errors, "topics", _("Choose the plan the topics belong to."))
        elif any(t.plan_id != plan.pk for t in topics):
            _errors_add(errors, "topics", _("The topics must belong to the chosen plan."))
    unknown = [a for a in audiences if a not in Audience.values]
    if unknown:
        _errors_add(errors, "audiences", _("Choose audience groups from the list."))
    for name in COUNT_FIELDS:
        value = counts.get(name, 0)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            _errors_add(errors, name, _("Enter a whole number."))
        elif value < 0:
            _errors_add(errors, name, _("A number cannot be negative."))
        elif value > MAX_COUNT:
            _errors_add(errors, name, _("This number is too large."))
    if task is not None and task.unit_id != unit.pk:
        _errors_add(errors, "task", _("The task must belong to the same unit."))
    if errors:
        raise ValidationError(errors)


def _check_evidence(files: Iterable, links: Iterable[str]) -> tuple[list, list[str]]:
    checked, urls, errors = [], [], []
    for upload in files:
        try:
            checked.append(ev.check_upload(upload))
        except ValidationError as exc:
            name = ev._display_name(getattr(upload, "name", "") or "")
            for message in exc.messages:
                errors.append(f"{name}: {message}" if name else message)
    if errors:
        raise ValidationError({"files": errors})
    for url in links:
        if not (url or "").strip():
            continue
        try:
            urls.append(ev.check_url(url))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"links": errors})
    return checked, urls


def _check_not_locked(activity: Activity) -> None:
    if activity.locked_at is not None:
        raise ValidationError(
            _(
                "This activity is locked because the unit's report for its period has been "
                "accepted. Ask the coordinating board to unlock it."
            ),
            code="locked",
        )


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------- writing helpers


class _StoredFiles:
    """Names written to storage during a transaction; removed again if it rolls back."""

    def __init__(self) -> None:
        self.files: list = []

    def cleanup(self) -> None:
        for field_file in self.files:
            with contextlib.suppress(OSError):
                field_file.storage.delete(field_file.name)


def _store_evidence(
    actor, activity: Activity, checked: list, urls: list[str], stored: _StoredFiles
) -> list[Evidence]:
    made = []
    for item in checked:
        content = item.as_django_file()
        record = Evidence(
            activity=activity,
            kind=item.kind,
            original_name=item.original_name or content.name,
            content_type=item.content_type,
            size=item.size,
            uploaded_by=actor,
        )
        record.file.save(content.name, content, save=False)
        stored.files.append(record.file)
        record.save()
        made.append(record)
    for url in urls:
        made.append(
            Evidence.objects.create(
                activity=activity,
                kind=EvidenceKind.LINK,
                url=url,
                original_name=ev.link_name(url),
                uploaded_by=actor,
            )
        )
    return made


def _set_topics(activity: Activity, topics: Sequence[Topic]) -> None:
    wanted = {t.pk for t in topics}
    current = set(activity.topic_links.values_list("topic_id", flat=True))
    if current - wanted:
        # One by one so each removal is in the audit log.
        for link in activity.topic_links.filter(topic_id__in=current - wanted):
            link.delete()
    for topic_id in sorted(wanted - current):
        ActivityTopic.objects.create(activity=activity, topic_id=topic_id)


def _set_audiences(activity: Activity, audiences: Sequence[str]) -> None:
    wanted = set(audiences)
    current = set(activity.audiences.values_list("audience", flat=True))
    for row in activity.audiences.filter(audience__in=current - wanted):
        row.delete()
    for audience in [a for a in Audience.values if a in wanted - current]:
        ActivityAudience.objects.create(activity=activity, audience=audience)


def remember_choices(user, *, unit, plan, channel, audiences, topics) -> None:
    EntryDefaults.objects.update_or_create(
        user=user,
        defaults={
            "data": {
                "unit_id": unit.pk,
                "plan_id": plan.pk if plan else None,
                "channel": channel,
                "audiences": list(audiences),
                "topic_ids": [t.pk for t in topics],
            }
        },
    )


def entry_defaults(user) -> dict:
    """What the person chose last time, for the quick entry form."""
    if not getattr(user, "is_authenticated", False):
        return {}
    row = EntryDefaults.objects.filter(user=user).first()
    return dict(row.data) if row else {}


# ---------------------------------------------------------------- services


def log_activity(
    *,
    actor,
    unit: Unit,
    date: date_type | None = None,
    channel: str,
    plan: Plan | None = None,
    topics: Iterable[Topic] = (),
    audiences: Iterable[str] = (),
    description: str = "",
    task: Task | None = None,
    files: Iterable = (),
    links: Iterable[str] = (),
    **counts: int,
) -> Activity:
    """Record one activity with its evidence, all or nothing."""
    policy.require(actor, "activities.log", unit)
    unknown = set(counts) - set(COUNT_FIELDS)
    if unknown:
        raise TypeError(f"unknown counts: {sorted(unknown)}")
    date = date or timezone.localdate()
    topics, audiences = _unique(topics), _unique(audiences)
    _check_entry(
        actor,
        unit=unit,
        date=date,
        channel=channel,
        plan=plan,
        topics=topics,
        audiences=audiences,
        counts=counts,
        task=task,
    )
    checked, urls = _check_evidence(files, links)
    stored = _StoredFiles()
    try:
        with transaction.atomic(), acting_as(actor):
            activity = Activity.objects.create(
                unit=unit,
                date=date,
                channel=channel,
                plan=plan,
                task=task,
                description=(description or "").strip(),
                created_by=actor,
                **{name: counts.get(name) or 0 for name in COUNT_FIELDS},
            )
            _set_topics(activity, topics)
            _set_audiences(activity, audiences)
            _store_evidence(actor, activity, checked, urls, stored)
            remember_choices(
                actor,
                unit=unit,
                plan=plan,
                channel=channel,
                audiences=audiences,
                topics=topics,
            )
    except BaseException:
        stored.cleanup()
        raise
    return activity


def _stale_message() -> str:
    return _(
        "This activity was changed by someone else after you opened the form. "
        "Reload the page to see the latest version, then make your change again."
    )


def update_activity(
    *,
    actor,
    activity: Activity,
    changes: dict,
    seen_updated_at: datetime | None = None,
) -> Activity:
    policy.require(actor, "activities.log", activity)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic(), acting_as(actor):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.deleted_at is not None:
            raise ValidationError(_("This activity has been deleted."))
        _check_not_locked(activity)
        check_fresh(activity, seen_updated_at, _stale_message())
        plan = changes.get("plan", activity.plan)
        topics = (
            _unique(changes["topics"] or [])
            if "topics" in changes
            else list(Topic.objects.filter(activity_links__activity=activity))
        )
        if "plan" in changes and "topics" not in changes:
            # Topics of a plan no longer chosen go with it.
            topics = [t for t in topics if plan is not None and t.plan_id == plan.pk]
        audiences = (
            _unique(changes["audiences"] or [])
            if "audiences" in changes
            else list(activity.audiences.values_list("audience", flat=True))
        )
        counts = {name: changes.get(name, getattr(activity, name)) for name in COUNT_FIELDS}
        _check_entry(
            actor,
            unit=activity.unit,
            date=changes.get("date", activity.date),
            channel=changes.get("channel", activity.channel),
            plan=plan,
            topics=topics,
            audiences=audiences,
            counts=counts,
            task=changes.get("task", activity.task),
            check_period="date" in changes and changes["date"] != activity.date,
        )
        for name in ("date", "channel", "plan", "task"):
            if name in changes:
                setattr(activity, name, changes[name])
        if "description" in changes:
            activity.description = (changes["description"] or "").strip()
        for name in COUNT_FIELDS:
            if name in changes:
                setattr(activity, name, changes[name] or 0)
        activity.save()
        _set_topics(activity, topics)
        _set_audiences(activity, audiences)
    return activity


def delete_activity(*, actor, activity: Activity) -> Activity:
    """Soft: the activity leaves every list and figure, and can be restored."""
    policy.require(actor, "activities.log", activity)
    with transaction.atomic(), acting_as(actor):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        _check_not_locked(activity)
        if activity.deleted_at is None:
            activity.deleted_at = timezone.now()
            activity.save()
    return activity


def restore_activity(*, actor, activity: Activity) -> Activity:
    policy.require(actor, "activities.log", activity)
    with transaction.atomic(), acting_as(actor):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.deleted_at is not None:
            activity.deleted_at = None
            activity.save()
    return activity


def add_evidence(*, actor, activity: Activity, upload=None, url: str = "") -> Evidence:
    """One photo, document or link more for an activity."""
    policy.require(actor, "activities.log", activity)
    if (upload is None) == (not (url or "").strip()):
        raise ValidationError(_("Send either a file or a link."))
    _check_not_locked(activity)
    checked, urls = _check_evidence([upload] if upload is not None else [], [url] if url else [])
    stored = _StoredFiles()
    try:
        with transaction.atomic(), acting_as(actor):
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            if activity.deleted_at is not None:
                raise ValidationError(_("This activity has been deleted."))
            _check_not_locked(activity)
            (made,) = _store_evidence(actor, activity, checked, urls, stored)
            # The activity's time moves so an open edit form knows its evidence changed.
            activity.save(update_fields=["updated_at"])
    except BaseException:
        stored.cleanup()
        raise
    return made


def remove_evidence(*, actor, evidence: Evidence) -> None:
    """The record goes (audited, with the stored file's name); the file itself is kept."""
    activity = evidence.activity
    policy.require(actor, "activities.log", activity)
    with transaction.atomic(), acting_as(actor):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        _check_not_locked(activity)
        Evidence.objects.get(pk=evidence.pk, activity=activity).delete()
        activity.save(update_fields=["updated_at"])


def lock_activities(*, actor, unit: Unit, start: date_type, end: date_type) -> int:
    """Lock the unit's activities dated within [start, end]; called when its report is accepted."""
    policy.require(actor, "tasks.manage", unit)
    if start > end:
        raise ValidationError(_("The start date must not be after the end date."))
    now = timezone.now()
    count = 0
    with transaction.atomic(), acting_as(actor):
        to_lock = Activity.objects.select_for_update().filter(
            unit=unit, date__gte=start, date__lte=end, locked_at__isnull=True
        )
        for activity in to_lock:
            # Saved one by one so every lock is in the audit log.
            activity.locked_at = now
            activity.save(update_fields=["locked_at", "updated_at"])
            count += 1
    return count


def unlock_activity(*, actor, activity: Activity, reason: str) -> Activity:
    policy.require(actor, "activities.unlock", activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for unlocking.")]})
    with transaction.atomic(), acting_as(actor):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.locked_at is None:
            raise ValidationError(_("This activity is not locked."))
        activity.locked_at = None
        activity.unlock_reason = reason
        activity.save()
    return activity

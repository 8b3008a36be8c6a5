"""Reminders: the daily digest of tasks due soon or overdue, the overdue sweep, the centre.

A person's digest covers the units where they hold a working role (officer, head,
coordinator): the unit itself, and for a coordinator the whole subtree under it. Each
person gets at most one digest a day: the DigestLog row (unique per person and day) is
written in the same transaction as the in-app notification, before any email goes out.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kehoach.accounts.models import Membership, Role
from kehoach.activities.models import DigestLog, Notification, Task, TaskStatus
from kehoach.audit.context import acting_as

logger = logging.getLogger(__name__)

# Roles whose holders do the work and so are reminded of it.
DIGEST_ROLES = (Role.OFFICER, Role.HEAD, Role.COORDINATOR)
# Roles that answer for the whole subtree, not only their own unit.
SUBTREE_ROLES = (Role.COORDINATOR,)
# Lines listed in an in-app notification; the email lists everything.
NOTIFICATION_LINES = 10


def tasks_path() -> str:
    try:
        return reverse("tasks:mine")
    except NoReverseMatch:
        return "/viec/"


def task_path(task: Task) -> str:
    try:
        return reverse("tasks:detail", args=[task.pk])
    except NoReverseMatch:
        return f"/viec/{task.pk}/"


@dataclass
class Digest:
    user: object
    today: date
    days_ahead: int
    overdue: list[Task] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    # Unit reports still not submitted after their due date (for the unit's heads).
    reports_missing: list[str] = field(default_factory=list)
    # Overdue and hot-spot residents' concerns below a coordinator or a leader.
    concerns: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon or self.reports_missing or self.concerns)

    @property
    def tasks(self) -> list[Task]:
        return self.overdue + self.due_soon


@dataclass
class _Reach:
    """The units a person is reminded about: exact units, and subtrees for coordinators."""

    unit_ids: set[int] = field(default_factory=set)
    paths: list[str] = field(default_factory=list)

    def covers(self, task: Task) -> bool:
        return task.unit_id in self.unit_ids or any(
            task.unit.path.startswith(path) for path in self.paths
        )


def _days_ahead() -> int:
    return max(0, int(getattr(settings, "DIGEST_DAYS_AHEAD", 3)))


def _open_tasks_due_by(horizon: date):
    return (
        Task.objects.filter(
            status=TaskStatus.OPEN,
            due_date__isnull=False,
            due_date__lte=horizon,
            unit__is_active=True,
        )
        .select_related("unit", "plan")
        .order_by("due_date", "pk")
    )


def _reaches(memberships) -> dict[int, tuple[object, _Reach]]:
    people: dict[int, tuple[object, _Reach]] = {}
    for m in memberships:
        user, reach = people.setdefault(m.user_id, (m.user, _Reach()))
        if m.role in SUBTREE_ROLES:
            reach.paths.append(m.unit.path)
        else:
            reach.unit_ids.add(m.unit_id)
    return people


def _working_memberships():
    return Membership.objects.filter(
        role__in=DIGEST_ROLES, user__is_active=True, unit__is_active=True
    ).select_related("user", "unit")


def _digest(user, reach: _Reach, tasks: list[Task], today: date, days: int) -> Digest:
    digest = Digest(user=user, today=today, days_ahead=days)
    for task in tasks:
        if reach.covers(task):
            (digest.overdue if task.due_date < today else digest.due_soon).append(task)
    return digest


def digest_for(user, today: date) -> Digest:
    """One person's digest for the day (what the centre and the email list)."""
    days = _days_ahead()
    people = _reaches(_working_memberships().filter(user=user))
    if user.pk not in people:
        return Digest(user=user, today=today, days_ahead=days)
    tasks = list(_open_tasks_due_by(today + timedelta(days=days)))
    digest = _digest(user, people[user.pk][1], tasks, today, days)
    digest.reports_missing = missing_report_lines(today, user_ids=[user.pk]).get(user.pk, [])
    digest.concerns = concern_lines(today, user_ids=[user.pk]).get(user.pk, ([], None))[0]
    return digest


def build_digests(today: date) -> list[Digest]:
    """Everyone's non-empty digest for the day, leaving out those already sent one today."""
    days = _days_ahead()
    already = set(DigestLog.objects.filter(day=today).values_list("user_id", flat=True))
    people = _reaches(_working_memberships().exclude(user_id__in=already))
    escalations = concern_lines(today, exclude_user_ids=already)
    for user_id, (_lines, user) in escalations.items():
        # Leaders hold no working role on tasks but must hear of overdue and hot concerns.
        people.setdefault(user_id, (user, _Reach()))
    if not people:
        return []
    tasks = list(_open_tasks_due_by(today + timedelta(days=days)))
    digests = [_digest(user, reach, tasks, today, days) for user, reach in people.values()]
    missing = missing_report_lines(today, user_ids=people.keys())
    for digest in digests:
        digest.reports_missing = missing.get(digest.user.pk, [])
        digest.concerns = escalations.get(digest.user.pk, ([], None))[0]
    return [d for d in digests if d]


def concern_lines(today: date, user_ids=None, exclude_user_ids=()) -> dict[int, tuple]:
    """For the digest: overdue and hot-spot concerns below each coordinator and leader, as
    {user_id: (lines, user)}. Two queries whatever the number of concerns and people."""
    from kehoach.feedback import services as concerns
    from kehoach.feedback.models import Concern, Urgency

    now = timezone.now()
    urgent = list(
        Concern.objects.filter(status__in=concerns.OPEN, unit__is_active=True)
        .filter(concerns.overdue_filter(now) | Q(urgency=Urgency.HOT_SPOT))
        .select_related("unit")
        .order_by("answer_due", "pk")
    )
    if not urgent:
        return {}
    overseers = Membership.objects.filter(
        role__in=[Role.COORDINATOR, Role.LEADER], user__is_active=True, unit__is_active=True
    ).select_related("user", "unit")
    if user_ids is not None:
        overseers = overseers.filter(user_id__in=list(user_ids))
    if exclude_user_ids:
        overseers = overseers.exclude(user_id__in=list(exclude_user_ids))
    result: dict[int, tuple] = {}
    for membership in overseers:
        lines, _user = result.setdefault(membership.user_id, ([], membership.user))
        for concern in urgent:
            if concern.unit.path.startswith(membership.unit.path):
                line = _("%(code)s — %(summary)s (%(unit)s)") % {
                    "code": concern.code,
                    "summary": concern.summary[:160],
                    "unit": concern.unit.name,
                }
                if line not in lines:
                    lines.append(line)
    return {uid: entry for uid, entry in result.items() if entry[0]}


def _line(task: Task) -> str:
    return _("%(due)s — %(title)s (%(unit)s)") % {
        "due": date_format(task.due_date, "SHORT_DATE_FORMAT"),
        "title": task.title[:200],
        "unit": task.unit.name,
    }


def summary(digest: Digest) -> str:
    parts = []
    if digest.overdue:
        count = len(digest.overdue)
        parts.append(
            ngettext("%(count)d task is overdue.", "%(count)d tasks are overdue.", count)
            % {"count": count}
        )
    if digest.due_soon:
        count = len(digest.due_soon)
        parts.append(
            ngettext(
                "%(count)d task is due within %(days)d days.",
                "%(count)d tasks are due within %(days)d days.",
                count,
            )
            % {"count": count, "days": digest.days_ahead}
        )
    return " ".join(parts)


def digest_text(digest: Digest) -> str:
    """The in-app notification: the summary and the first tasks, soonest first."""
    lines = [summary(digest)] if digest.tasks else []
    lines += [_line(task) for task in digest.tasks[:NOTIFICATION_LINES]]
    more = len(digest.tasks) - NOTIFICATION_LINES
    if more > 0:
        lines.append(
            ngettext("and %(count)d more task", "and %(count)d more tasks", more) % {"count": more}
        )
    lines += digest.reports_missing
    lines += digest.concerns
    return "\n".join(lines)


def digest_subject(digest: Digest) -> str:
    return _("Kế hoạch: your tasks on %(date)s") % {
        "date": date_format(digest.today, "SHORT_DATE_FORMAT")
    }


def digest_email(digest: Digest) -> EmailMultiAlternatives:
    site = settings.SITE_URL.rstrip("/")
    context = {
        "digest": digest,
        "summary": summary(digest),
        "tasks_url": site + tasks_path(),
        "task_urls": [(task, site + task_path(task)) for task in digest.tasks],
        "name": getattr(digest.user, "display_name", str(digest.user)),
    }
    message = EmailMultiAlternatives(
        subject=digest_subject(digest),
        body=render_to_string("activities/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
    )
    message.attach_alternative(
        render_to_string("activities/email/digest.html", context), "text/html"
    )
    return message


def _send(digest: Digest) -> bool:
    try:
        digest_email(digest).send()
    except (OSError, smtplib.SMTPException):
        # The notification is in the centre already; one bad address stops nobody else's.
        logger.warning("digest email to user %s failed", digest.user.pk, exc_info=True)
        return False
    return True


def send_digests(today: date | None = None) -> int:
    """Sends each person today's digest, at most once a day; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for digest in build_digests(today):
            try:
                with transaction.atomic():
                    log = DigestLog.objects.create(user=digest.user, day=today)
                    Notification.objects.create(
                        user=digest.user, text=digest_text(digest), link=tasks_path()
                    )
            except IntegrityError:
                continue  # a concurrent run sent this person's digest first
            sent += 1
            if digest.user.email and _send(digest):
                DigestLog.objects.filter(pk=log.pk).update(emailed=True)
    return sent


def sweep_overdue(today: date | None = None) -> int:
    """Tells a unit's people once when one of its tasks becomes overdue; returns notices made."""
    today = today or timezone.localdate()
    tasks = list(
        Task.objects.filter(
            status=TaskStatus.OPEN,
            due_date__isnull=False,
            due_date__lt=today,
            unit__is_active=True,
        ).select_related("unit")
    )
    if not tasks:
        return 0
    links = {task.pk: task_path(task) for task in tasks}
    # The notice's link names the task: a task already announced is never announced again.
    announced = set(
        Notification.objects.filter(link__in=links.values()).values_list("link", flat=True)
    )
    tasks = [task for task in tasks if links[task.pk] not in announced]
    people: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in Membership.objects.filter(
        unit_id__in={t.unit_id for t in tasks},
        role__in=DIGEST_ROLES,
        user__is_active=True,
    ).values_list("unit_id", "user_id"):
        people[unit_id].add(user_id)
    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        for task in tasks:
            text = _("A task is overdue: %(line)s") % {"line": _line(task)}
            notices += [
                Notification(user_id=user_id, text=text, link=links[task.pk])
                for user_id in sorted(people[task.unit_id])
            ]
    Notification.objects.bulk_create(notices)
    return len(notices)


def mark_read(*, actor, notification: Notification) -> Notification:
    """Marks one of the person's own notifications read."""
    if notification.user_id != actor.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if notification.read_at is None:
        with transaction.atomic(), acting_as(actor):
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at", "updated_at"])
    return notification


def mark_all_read(*, actor) -> int:
    with transaction.atomic(), acting_as(actor):
        return (
            Notification.objects.for_user(actor)
            .unread()
            .update(read_at=timezone.now(), updated_at=timezone.now())
        )


def missing_report_lines(today: date, user_ids=None) -> dict[int, list[str]]:
    """For the daily digest: each unit report still not submitted after its due date, as a
    line for every head of the unit, keyed by user id (pass `user_ids` to limit whom).
    Two queries whatever the number of reports."""
    from kehoach.reports.models import UnitReport

    reports = list(
        UnitReport.objects.filter(
            first_submitted_at__isnull=True,
            period__due_date__lt=today,
            unit__is_active=True,
        )
        .select_related("unit", "period")
        .order_by("period__due_date", "unit__path", "pk")
    )
    if not reports:
        return {}
    heads = Membership.objects.filter(
        unit_id__in={r.unit_id for r in reports}, role=Role.HEAD, user__is_active=True
    )
    if user_ids is not None:
        heads = heads.filter(user_id__in=list(user_ids))
    people: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in heads.values_list("unit_id", "user_id"):
        people[unit_id].add(user_id)
    lines: dict[int, list[str]] = defaultdict(list)
    for report in reports:
        line = _("Report missing: %(unit)s — %(period)s, due %(due)s") % {
            "unit": report.unit.name,
            "period": report.period.label,
            "due": date_format(report.period.due_date, "SHORT_DATE_FORMAT"),
        }
        for user_id in sorted(people[report.unit_id]):
            lines[user_id].append(line)
    return dict(lines)

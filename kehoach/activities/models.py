"""Tasks made from plan duties, and the activities units log against them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.activities.querysets import ActivityQuerySet, NotificationQuerySet, TaskQuerySet
from kehoach.core.models import TimeStampedModel


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Not done")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskState(models.TextChoices):
    """How Vietnamese task tracking counts a task on a given day."""

    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    PENDING = "pending", _("Not done, within the deadline")
    OVERDUE = "overdue", _("Not done, overdue")
    CANCELLED = "cancelled", _("Cancelled")


class Task(TimeStampedModel):
    """A duty made concrete for one unit and, for recurring duties, one period."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    duty = models.ForeignKey(
        "plans.Duty",
        verbose_name=_("duty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.TextField(_("task"))
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    period_label = models.CharField(_("period"), max_length=64, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "pk"]
        constraints = [
            # Generating tasks twice from the same duty never makes twins.
            models.UniqueConstraint(
                fields=["duty", "unit", "period_start"], name="unique_task_per_duty_unit_period"
            )
        ]
        indexes = [models.Index(fields=["unit", "status", "due_date"])]

    def __str__(self) -> str:
        label = f" ({self.period_label})" if self.period_label else ""
        return f"{self.title[:100]}{label} — {self.unit}"

    @property
    def scope_unit(self):
        return self.unit

    def state(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status == TaskStatus.CANCELLED:
            return TaskState.CANCELLED
        if self.status == TaskStatus.DONE:
            done_day = timezone.localtime(self.done_at).date() if self.done_at else today
            late = self.due_date is not None and done_day > self.due_date
            return TaskState.DONE_LATE if late else TaskState.DONE_ON_TIME
        if self.due_date is not None and today > self.due_date:
            return TaskState.OVERDUE
        return TaskState.PENDING

    def get_state_display(self) -> str:
        return str(TaskState(self.state()).label)


class Channel(models.TextChoices):
    PORTAL = "portal", _("Ward portal")
    SOCIAL = "social", _("Social media")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker system")
    NEWSLETTER = "newsletter", _("Newsletter, printed material")
    VISUAL = "visual", _("Panels, posters, banners")
    MEETING = "meeting", _("Meeting, cell session")
    ORAL = "oral", _("Oral communication")
    CULTURE_EVENT = "culture_event", _("Cultural, arts or sports event")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    CADRES = "cadres", _("Cadres and civil servants")
    PARTY_MEMBERS = "party_members", _("Party members")
    YOUTH = "youth", _("Youth union members")
    ASSOCIATION = "association", _("Association members")
    WORKERS = "workers", _("Workers")
    BUSINESS = "business", _("Business people")
    PEOPLE = "people", _("Residents")
    STUDENTS = "students", _("Pupils and students")
    OTHER = "other", _("Others")


# The output counters of an activity, in the order forms and reports show them.
OUTPUT_FIELDS = (
    "news_items",
    "articles",
    "infographics",
    "video_clips",
    "broadcasts",
    "broadcast_minutes",
    "posters",
    "meetings",
)
REACH_FIELDS = ("participants", "listeners", "views")


class Activity(TimeStampedModel):
    """One thing a unit did to communicate the plan, with what it reached and produced."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    topics = models.ManyToManyField(
        "plans.Topic", through="ActivityTopic", verbose_name=_("topics"), related_name="+"
    )
    channel = models.CharField(_("form"), max_length=16, choices=Channel.choices)
    task = models.ForeignKey(
        Task,
        verbose_name=_("task it advances"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    description = models.TextField(_("short description"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    listeners = models.PositiveIntegerField(_("listeners"), default=0)
    views = models.PositiveIntegerField(_("views"), default=0)
    news_items = models.PositiveIntegerField(_("news items"), default=0)
    articles = models.PositiveIntegerField(_("articles"), default=0)
    infographics = models.PositiveIntegerField(_("infographics"), default=0)
    video_clips = models.PositiveIntegerField(_("video clips"), default=0)
    broadcasts = models.PositiveIntegerField(_("loudspeaker broadcasts"), default=0)
    broadcast_minutes = models.PositiveIntegerField(_("broadcast minutes"), default=0)
    posters = models.PositiveIntegerField(_("posters and panels"), default=0)
    meetings = models.PositiveIntegerField(_("meetings held"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the period's unit report is accepted; only the coordinator unlocks.
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    unlock_reason = models.TextField(_("reason for unlocking"), blank=True)
    # Soft delete: a mistaken delete can be undone and figures stay explainable.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [
            # On PostgreSQL it carries the list's totals (and the id for its ordering), so
            # the activity list of a ward of 94,000 activities counts and sums from the
            # index alone: 190 → 31 ms, page 500 200 → 85 ms (docs/benchmarks.md). SQLite
            # has no INCLUDE and keeps the two key columns.
            models.Index(
                fields=["unit", "date"],
                include=["id", "deleted_at", *REACH_FIELDS, *OUTPUT_FIELDS],
                name="activity_unit_date_totals",
            ),
            models.Index(fields=["plan", "unit"]),
            # The list's order, newest first, with what its scope filters on: a ward's first
            # page is read from the index alone, skipping the other wards' newer rows in it,
            # instead of visiting each of them in the table (PostgreSQL, a typical ward of
            # the city: 15 -> 1 ms; docs/benchmarks.md). It serves date ranges as the date's
            # own index did.
            models.Index(
                fields=["-date", "-id", "unit", "deleted_at"], name="activity_newest_scope"
            ),
            # Covers the dashboard's and the lists' grouping by plan, date, channel and unit,
            # so SQLite reads the index alone instead of every row.
            models.Index(
                fields=[
                    "plan",
                    "unit",
                    "date",
                    "channel",
                    "deleted_at",
                    "participants",
                    "listeners",
                    "views",
                ],
                name="activity_plan_unit_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} — {self.unit} — {self.date:%d/%m/%Y}"

    @property
    def scope_unit(self):
        return self.unit

    @property
    def reached(self) -> int:
        return self.participants + self.listeners + self.views

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ActivityTopic(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(
        "plans.Topic", on_delete=models.CASCADE, related_name="activity_links"
    )

    class Meta:
        verbose_name = _("topic covered")
        verbose_name_plural = _("topics covered")
        constraints = [
            models.UniqueConstraint(fields=["activity", "topic"], name="unique_activity_topic")
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.topic}"

    @property
    def scope_unit(self):
        return self.activity.unit


class ActivityAudience(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)

    class Meta:
        verbose_name = _("audience reached")
        verbose_name_plural = _("audiences reached")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "audience"], name="unique_activity_audience"
            )
        ]

    def __str__(self) -> str:
        return self.get_audience_display()

    @property
    def scope_unit(self):
        return self.activity.unit


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


class Evidence(TimeStampedModel):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.url or str(self.pk)

    @property
    def scope_unit(self):
        return self.activity.unit


class EntryDefaults(models.Model):
    """What a person last chose on the quick entry form, offered again next time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_defaults"
    )
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return str(self.user)


class Notification(TimeStampedModel):
    """The in-app notification centre; the daily digest sends the same by email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class DigestLog(models.Model):
    """At most one digest a person a day: the row is the promise."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"

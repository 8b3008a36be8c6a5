"""Residents' concerns as issues (never a file on a person), routing rules, opinion digests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel
from kehoach.feedback.querysets import ConcernQuerySet, OpinionDigestQuerySet


class Category(models.TextChoices):
    LAND_HOUSING = "land_housing", _("Land and housing")
    ENVIRONMENT = "environment", _("Environment")
    WAGES_INSURANCE = "wages_insurance", _("Wages and social insurance")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare")
    URBAN_ORDER = "urban_order", _("Urban order")
    PUBLIC_SERVICES = "public_services", _("Public services")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    ATTENTION = "attention", _("Needs attention")
    HOT_SPOT = "hot_spot", _("Hot spot")


class Source(models.TextChoices):
    NEIGHBOURHOOD_MEETING = "neighbourhood_meeting", _("Neighbourhood meeting")
    CELL_MEETING = "cell_meeting", _("Party cell meeting")
    VISIT = "visit", _("Visit")
    PUBLIC_FORM = "public_form", _("Public form")
    OTHER = "other", _("Other")


class ConcernStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")
    OUT_OF_SCOPE = "out_of_scope", _("Outside our competence")
    DUPLICATE = "duplicate", _("Duplicate")


class Concern(TimeStampedModel):
    ward = models.ForeignKey(
        "org.Unit", verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    recorded_by_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=32, choices=Source.choices)
    topic = models.ForeignKey(
        "plans.Topic",
        verbose_name=_("plan topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    place = models.CharField(_("place (residential group)"), max_length=128, blank=True)
    summary = models.TextField(_("summary"))
    people_count = models.PositiveIntegerField(_("people who raised it"), default=1)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    # The resident follows the concern with the code and the private link's token.
    code = models.CharField(_("acknowledgement code"), max_length=16, unique=True)
    token = models.CharField(max_length=64, unique=True)
    wants_answer = models.BooleanField(_("the resident asked for an answer"), default=False)
    resident_name = models.CharField(_("resident's name"), max_length=128, blank=True)
    resident_contact = models.CharField(_("resident's contact"), max_length=128, blank=True)
    contact_erased_at = models.DateTimeField(_("contact erased at"), null=True, blank=True)
    acknowledge_due = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    answer_due = models.DateTimeField(_("answer by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answer = models.TextField(_("answer to the resident"), blank=True)
    note = models.TextField(_("note (transfer, where to turn, duplicate)"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["ward", "status"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.summary[:80]}"

    @property
    def scope_unit(self):
        return self.unit


class ConcernAttachment(TimeStampedModel):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="concerns/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def scope_unit(self):
        return self.concern.unit


class RoutingRule(TimeStampedModel):
    """Which unit of a ward handles a category of concerns."""

    ward = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["ward", "category"], name="one_rule_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.unit}"

    @property
    def scope_unit(self):
        return self.ward


class Holiday(TimeStampedModel):
    """A public holiday: not a working day for deadlines."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=128)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    MIXED = "mixed", _("Mixed")
    NEGATIVE = "negative", _("Negative")


class OpinionDigest(TimeStampedModel):
    """A unit's aggregate account of opinion for a period: subjects, tone, problems."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="digests"
    )
    period = models.ForeignKey(
        "reports.ReportingPeriod",
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="opinion_digests",
    )
    subjects = models.TextField(_("main subjects people discuss"), blank=True)
    # {topic_id: "positive" | "mixed" | "negative"}
    tones = models.JSONField(_("tone per topic"), default=dict, blank=True)
    problems = models.TextField(_("problems arising"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    has_hot_spot = models.BooleanField(_("hot spot"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OpinionDigestQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion digest")
        verbose_name_plural = _("opinion digests")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="one_digest_per_unit_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def scope_unit(self):
        return self.unit

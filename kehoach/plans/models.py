from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel
from kehoach.plans.querysets import PlanImportQuerySet, PlanQuerySet


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SUPERSEDED = "superseded", _("Superseded")


class Family(models.TextChoices):
    PARTY = "party", _("Party document")
    STATE = "state", _("State document")


class Plan(TimeStampedModel):
    """A Kế hoạch in structure; children keep the document's order."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit holding the plan"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    issuing_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("issuing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_plans",
    )
    kind = models.CharField(_("document type"), max_length=16, default="KH")
    family = models.CharField(
        _("format"), max_length=8, choices=Family.choices, default=Family.PARTY
    )
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    superior_text = models.CharField(_("superior body"), max_length=255, blank=True)
    issuer_text = models.CharField(_("issuing body as written"), max_length=255, blank=True)
    place = models.CharField(_("place"), max_length=128, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.TextField(_("subject"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    signer_authority = models.CharField(_("signing authority"), max_length=128, blank=True)
    signer_deputy = models.CharField(_("deputy line"), max_length=128, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=128, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=128, blank=True)
    basis = models.JSONField(_("basis"), default=list, blank=True)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    sections = models.JSONField(_("sections"), default=list, blank=True)
    other_sections = models.JSONField(_("other sections"), default=dict, blank=True)
    closing = models.TextField(_("closing sentence"), blank=True)
    annexes = models.JSONField(_("annexes"), default=list, blank=True)
    footnotes = models.JSONField(_("footnotes"), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_plans",
    )
    original_file = models.FileField(_("original file"), upload_to="plans/%Y/%m/", blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    source_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        label = f"{self.number} " if self.number else ""
        return f"{label}{self.title[:120]}"

    @property
    def scope_unit(self):
        return self.unit


class PlanChild(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    @property
    def scope_unit(self):
        return self.plan.unit


class Topic(PlanChild):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="topics")
    title = models.TextField(_("title"))
    points = models.JSONField(_("points"), default=list, blank=True)

    class Meta(PlanChild.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title[:120]


class Channel(PlanChild):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="channels")
    name = models.TextField(_("form"))
    details = models.TextField(_("details"), blank=True)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)

    class Meta(PlanChild.Meta):
        verbose_name = _("form of communication")
        verbose_name_plural = _("forms of communication")

    def __str__(self) -> str:
        return self.name[:120]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORT = "support", _("Support")


class Assignment(PlanChild):
    """A heading of the organisation section: one unit, several, or an outside body."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    heading = models.TextField(_("heading as written"))
    role = models.CharField(
        _("role"), max_length=8, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    outside_body = models.CharField(_("outside body"), max_length=255, blank=True)
    units = models.ManyToManyField("org.Unit", through="AssignmentUnit", related_name="+")

    class Meta(PlanChild.Meta):
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return self.heading[:120]


class AssignmentUnit(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        verbose_name = _("assigned unit")
        verbose_name_plural = _("assigned units")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "unit"], name="unique_assignment_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} ← {self.assignment}"

    @property
    def scope_unit(self):
        return self.assignment.plan.unit


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEAR = "half_year", _("Every six months")
    YEARLY = "yearly", _("Yearly")
    PERIODIC = "periodic", _("Periodically")
    AD_HOC = "ad_hoc", _("Periodically and when required")
    PER_PHASE = "per_phase", _("After each phase")


class Duty(TimeStampedModel):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="duties")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("duty"))
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, blank=True
    )
    due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(_("due month"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:120]

    @property
    def scope_unit(self):
        return self.assignment.plan.unit


class Recipient(PlanChild):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recipients")
    name = models.CharField(_("recipient"), max_length=255)
    note = models.CharField(_("note"), max_length=128, blank=True)

    class Meta(PlanChild.Meta):
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return self.name


class Citation(models.Model):
    """A plan (and, when known, one of its topics) citing a registered document."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="citations")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    document = models.ForeignKey(
        "documents.SourceDocument", on_delete=models.PROTECT, related_name="citations"
    )

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(fields=["plan", "topic", "document"], name="unique_citation")
        ]

    def __str__(self) -> str:
        return f"{self.plan} → {self.document}"

    @property
    def scope_unit(self):
        return self.plan.unit


class PlanImport(TimeStampedModel):
    """An uploaded document waiting on the review screen; becomes a Plan when saved."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    parsed = models.JSONField(default=dict)
    source_text = models.TextField(blank=True)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return self.file_name or str(self.pk)

    @property
    def scope_unit(self):
        return self.unit


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class PlanExport(TimeStampedModel):
    """A rendered file of a plan, made in the background because LibreOffice is slow."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="exports")
    fmt = models.CharField(max_length=8, default="pdf")
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("plan export")
        verbose_name_plural = _("plan exports")

    def __str__(self) -> str:
        return f"{self.plan} ({self.fmt})"

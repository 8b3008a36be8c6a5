"""Reporting periods of a plan, the units' reports and the board's summary report."""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel
from kehoach.reports.querysets import (
    PeriodQuerySet,
    SummaryReportQuerySet,
    UnitReportQuerySet,
)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Yearly")
    EVENT = "event", _("Event (preliminary or final review, after a phase)")


class ReportingPeriod(TimeStampedModel):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind.choices)
    label = models.CharField(_("period"), max_length=128)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    due_date = models.DateField(_("reports due"))
    # Where the due date came from: the plan's own words, or the coordinator.
    due_text = models.CharField(_("due date as written"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "start", "end"], name="unique_period_per_plan"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def scope_unit(self):
        return self.plan.unit


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class UnitReport(TimeStampedModel):
    """What one unit owes for one period: created when the period is opened."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="unit_reports",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The narrative, under the headings of a results report.
    leadership = models.TextField(_("leadership, direction and dissemination"), blank=True)
    results = models.TextField(_("results"), blank=True)
    limitations = models.TextField(_("limitations and their causes"), blank=True)
    tasks_ahead = models.TextField(_("tasks ahead"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    opinion = models.TextField(_("public opinion and concerns"), blank=True)
    # Incremented on every save: two people editing one draft never overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    # The day it first came in, in the ward's time zone, kept with the moment by save(): what
    # timeliness is judged by. Read as stored, a board of 240 reports no longer converts
    # each moment to a day (SQLite did it in Python per row: the statement 1.65 -> 0.72 ms).
    first_submitted_on = models.DateField(
        _("first submitted on"), null=True, blank=True, editable=False
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_comment = models.TextField(_("comment on return"), blank=True)
    # The figures as they were when the report was accepted (see reports/figures.py).
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["period", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_report_per_unit_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def scope_unit(self):
        return self.unit

    def save(self, *args, **kwargs) -> None:
        self.first_submitted_on = first_day(self.first_submitted_at)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "first_submitted_at" in update_fields:
            kwargs["update_fields"] = {*update_fields, "first_submitted_on"}
        super().save(*args, **kwargs)


def first_day(moment: datetime | None) -> date | None:
    """The day of a moment in the current (the ward's) time zone; None for none."""
    return timezone.localdate(moment) if moment is not None else None


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class SummaryReport(TimeStampedModel):
    """The board's results report for a period: BÁO CÁO kết quả thực hiện Kế hoạch số …"""

    period = models.OneToOneField(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="summary",
    )
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.TextField(_("subject"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    leadership = models.TextField(_("leadership, direction and dissemination"), blank=True)
    results = models.TextField(_("results"), blank=True)
    assessment = models.TextField(_("overall assessment"), blank=True)
    tasks_ahead = models.TextField(_("tasks ahead"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    signer_authority = models.CharField(_("signing authority"), max_length=128, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=128, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=128, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SummaryReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary report")
        verbose_name_plural = _("summary reports")

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.period}"

    @property
    def scope_unit(self):
        return self.period.plan.unit


# ---------------------------------------------------------------------------------------------
# Summary report exports (engineer C, migration 0002_summary_export): the PDF of a summary,
# rendered in the background because LibreOffice is slow. Mirrors plans.PlanExport.


class SummaryExport(TimeStampedModel):
    summary = models.ForeignKey(SummaryReport, on_delete=models.CASCADE, related_name="exports")
    fmt = models.CharField(max_length=8, default="pdf")
    status = models.CharField(
        max_length=16,
        choices=[("pending", _("Being prepared")), ("done", _("Ready")), ("failed", _("Failed"))],
        default="pending",
    )
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("summary report export")
        verbose_name_plural = _("summary report exports")

    def __str__(self) -> str:
        return f"{self.summary} ({self.fmt})"

    @property
    def scope_unit(self):
        return self.summary.period.plan.unit

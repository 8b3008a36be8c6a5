"""Targets of a programme (e.g. the 35 of Chương trình hành động 20-CTr/TU) and their progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel
from kehoach.indicators.querysets import IndicatorQuerySet


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(TimeStampedModel):
    ward = models.ForeignKey(
        "org.Unit", verbose_name=_("ward"), on_delete=models.CASCADE, related_name="+"
    )
    programme = models.CharField(_("programme"), max_length=128)
    name = models.CharField(_("indicator"), max_length=255)
    measure = models.CharField(_("unit of measure"), max_length=64)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4)
    baseline_year = models.PositiveIntegerField(_("baseline year"))
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    responsible = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    topic = models.ForeignKey(
        "plans.Topic",
        verbose_name=_("plan topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    # Demo and training values are marked so nobody mistakes them for real figures.
    is_example = models.BooleanField(_("example values"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_unit(self):
        return self.responsible


class Target(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    @property
    def scope_unit(self):
        return self.indicator.responsible


class Measurement(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period_label = models.CharField(_("period"), max_length=64)
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=255)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["as_of", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "as_of"], name="one_measurement_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.as_of}: {self.value}"

    @property
    def scope_unit(self):
        return self.indicator.responsible

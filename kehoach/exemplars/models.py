"""Exemplary people, collectives and models: nominated → verified → commended → promoted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel
from kehoach.exemplars.querysets import ExemplarQuerySet


class ExemplarKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")
    MODEL = "model", _("Model or practice")


class Field(models.TextChoices):
    ECONOMY = "economy", _("Production and economic development")
    CULTURE = "culture", _("Cultural life")
    SOCIAL = "social", _("Social welfare and community")
    PARTY_BUILDING = "party_building", _("Party building")
    MASS_MOBILISATION = "mass_mobilisation", _("Mass mobilisation (Dân vận khéo)")
    ENVIRONMENT = "environment", _("Environment and urban order")
    DIGITAL = "digital", _("Digital transformation")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    RETURNED = "returned", _("Returned for more information")
    VERIFIED = "verified", _("Verified")
    COMMENDED = "commended", _("Commended")
    PROMOTED = "promoted", _("Promoted")


class Exemplar(TimeStampedModel):
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("nominating unit"),
        on_delete=models.PROTECT,
        related_name="exemplars",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExemplarKind.choices)
    field = models.CharField(_("field"), max_length=32, choices=Field.choices)
    name = models.CharField(_("name"), max_length=255)
    story = models.TextField(_("story"))
    evidence = models.TextField(_("evidence"), blank=True)
    year = models.PositiveIntegerField(_("year"))
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exemplars",
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.NOMINATED
    )
    review_comment = models.TextField(_("comment on return"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commendation_form = models.CharField(_("form of commendation"), max_length=255, blank=True)
    commended_on = models.DateField(_("commended on"), null=True, blank=True)
    commended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promoted_link = models.CharField(_("content that spreads it"), max_length=500, blank=True)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ExemplarQuerySet.as_manager()

    class Meta:
        verbose_name = _("exemplar")
        verbose_name_plural = _("exemplars")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_unit(self):
        return self.unit


class ExemplarPhoto(TimeStampedModel):
    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="exemplars/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.original_name

    @property
    def scope_unit(self):
        return self.exemplar.unit

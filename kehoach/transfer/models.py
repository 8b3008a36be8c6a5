"""A ward's move between servers: one export or import, run in the background."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel


class Direction(models.TextChoices):
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def archive_path(instance: "WardTransfer", filename: str) -> str:
    # The archive holds password hashes and residents' contacts: a name nobody can guess.
    return f"transfers/{uuid.uuid4().hex}/{filename}"


class WardTransfer(TimeStampedModel):
    direction = models.CharField(_("kind of move"), max_length=8, choices=Direction.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    ward = models.ForeignKey(
        "org.Unit",
        verbose_name=_("ward"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ward_name = models.CharField(_("ward"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=archive_path, blank=True, max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    counts = models.JSONField(_("records"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ward transfer")
        verbose_name_plural = _("ward transfers")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.ward_name}"

    @property
    def total(self) -> int:
        return sum(self.counts.values()) if isinstance(self.counts, dict) else 0

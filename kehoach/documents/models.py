from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel
from kehoach.documents.querysets import SourceDocumentQuerySet


class SourceDocument(TimeStampedModel):
    """A document cited by plans (58-CT/TW, 159/KH-UBND…), registered once.

    Cited documents are public acts of Party and state bodies, so the registry is
    shared by every ward; what cites them stays scoped.
    """

    number = models.CharField(_("number and symbol"), max_length=64)
    # Folded number (+ year when known): the same document cited two ways is one row.
    number_key = models.CharField(max_length=80, unique=True, editable=False)
    doc_type = models.CharField(_("document type"), max_length=16, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=255, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.TextField(_("subject"), blank=True)

    objects = SourceDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-date", "number"]

    def __str__(self) -> str:
        return self.number

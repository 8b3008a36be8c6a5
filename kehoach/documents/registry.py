"""Registering cited documents once, whatever spelling the citation used."""

from django.db.models import Q

from kehoach.core.text import fold
from kehoach.documents.models import SourceDocument
from kehoach.plans.importer.result import Citation


def number_key(number: str) -> str:
    return fold(number).replace(" ", "")


def register(citation: Citation) -> SourceDocument:
    """The registered document for a citation; created, or completed where it was blank.

    State numbers restart every year, so a dated citation is keyed with its year; an
    undated one matches the single registered document with that number, if any.
    """
    base = number_key(citation.number)
    year = citation.date.year if citation.date else None
    same_number = list(
        SourceDocument.objects.filter(Q(number_key=base) | Q(number_key__startswith=base + "@"))
    )
    document = None
    if year:
        document = next((d for d in same_number if d.number_key == f"{base}@{year}"), None)
        if document is None:
            # A document first cited without a date gets its year now.
            document = next((d for d in same_number if d.number_key == base), None)
    elif len(same_number) == 1:
        document = same_number[0]
    if document is None:
        document = SourceDocument(number=citation.number, number_key=base)
    changed = document.pk is None
    if year and document.number_key == base:
        document.number_key = f"{base}@{year}"
        changed = True
    for field, value in (
        ("doc_type", citation.type),
        ("issuer", citation.issuer),
        ("date", citation.date),
        ("title", citation.title),
    ):
        if value and not getattr(document, field):
            setattr(document, field, value)
            changed = True
    if changed:
        document.save()
    return document

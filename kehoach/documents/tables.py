"""The source-document registry as a spreadsheet (core.tabular)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table
from kehoach.documents.models import SourceDocument


def documents_table(documents: Iterable[SourceDocument], notes: list[str]) -> Table:
    """`documents` is scoped, filtered and annotated with `cited_by` (visible plans)."""
    return Table(
        title=_("Source documents"),
        columns=[
            Column(_("Number and symbol"), lambda d: d.number, width=18),
            Column(_("Document type"), lambda d: d.doc_type, width=10),
            Column(_("Date"), lambda d: d.date, "date", width=12),
            Column(_("Issuing body"), lambda d: d.issuer, width=30),
            Column(_("Subject"), lambda d: d.title, width=60),
            Column(_("Plans citing it"), lambda d: d.cited_by, "int", width=12),
        ],
        rows=documents,
        notes=notes,
    )

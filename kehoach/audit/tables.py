"""The audit log as a spreadsheet (core.tabular)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kehoach.audit.models import AuditEntry
from kehoach.audit.templatetags.audit_tags import readable_changes
from kehoach.core.tabular import Column, Table


def _changes(entry: AuditEntry) -> str:
    """One line a field, as the page shows it: 'Field: before → after'."""
    lines = []
    for label, old, new in readable_changes(entry):
        shown = new if entry.action == "create" else f"{old} → {new}"
        lines.append(f"{label[:1].upper()}{label[1:]}: {shown}")
    return "\n".join(lines)


def audit_table(entries: Iterable[AuditEntry], notes: list[str]) -> Table:
    """`entries` is filtered, with actor and content type loaded (AuditEntry.for_list)."""
    return Table(
        title=_("Audit log"),
        columns=[
            Column(_("Time"), lambda e: e.at, "datetime", width=17),
            Column(_("Actor"), lambda e: e.actor_label or _("(system)"), width=20),
            Column(_("Source"), lambda e: e.get_source_display(), width=12),
            Column(_("Action"), lambda e: e.get_action_display(), width=12),
            Column(_("Object type"), lambda e: str(e.content_type.name).capitalize(), width=20),
            Column(_("Object id"), lambda e: e.object_id, width=10),
            Column(_("Object"), lambda e: e.object_repr, width=40),
            Column(_("Changes"), _changes, width=80),
            Column(_("Request id"), lambda e: e.request_id, width=20),
        ],
        rows=entries,
        notes=notes,
    )

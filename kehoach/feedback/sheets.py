"""Concerns recorded on paper: the template, the import, and the list's export.

Every row goes through `record_concern`, so routing, deadlines, notifications, the
privacy rules and the audit are those of a concern typed in by hand. The received date
of the paper record becomes the concern's recording date (its place in lists and
period figures); deadlines count from the import, when the handling unit first hears
of it. The export has the same columns without the resident's name and contact, plus
three that only inform (code, handling unit, status), which the import ignores.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehoach.accounts import policy
from kehoach.core import spreadsheet_imports as si
from kehoach.core import spreadsheets as sh
from kehoach.core import tabular
from kehoach.feedback import services
from kehoach.feedback.models import Category, Concern, Source, Urgency
from kehoach.org.models import Unit, UnitKind

STAFF_SOURCES = [(v, label) for v, label in Source.choices if v != Source.PUBLIC_FORM]
CONTACT_KEYS = ("resident_name", "resident_contact")
MAX_ROWS = sh.MAX_ROWS

FIELDS: list[sh.Field] = [
    sh.Field("received", gettext_lazy("Date received"), required=True, width=12, kind="date"),
    sh.Field("source", gettext_lazy("Heard at"), required=True, width=24),
    sh.Field("category", gettext_lazy("Category"), required=True, width=26),
    sh.Field("unit", gettext_lazy("Recorded by"), required=True, width=32),
    sh.Field("place", gettext_lazy("Place (residential group)"), width=22),
    sh.Field("summary", gettext_lazy("What is the concern?"), required=True, width=60),
    sh.Field("people_count", gettext_lazy("People who raised it"), width=10),
    sh.Field("urgency", gettext_lazy("Urgency"), width=16),
    sh.Field("wants_answer", gettext_lazy("The resident wants an answer"), width=12),
    sh.Field("resident_name", gettext_lazy("Resident's name"), width=24),
    sh.Field("resident_contact", gettext_lazy("Phone or address for the answer"), width=28),
]
EXPORT_FIELDS = [f for f in FIELDS if f.key not in CONTACT_KEYS]


def recordable_units(actor) -> list[Unit]:
    units = Unit.objects.pickable_for(actor).exclude(kind=UnitKind.EXTERNAL).order_by("path")
    return [u for u in units if policy.can(actor, "concerns.record", u)]


def wards_for(actor) -> list[Unit]:
    return sh.wards_of(recordable_units(actor))


def ward_units(actor, ward: Unit) -> list[Unit]:
    return [u for u in recordable_units(actor) if u.path.startswith(ward.path)]


# ---------------------------------------------------------------- export


def received_on(concern: Concern):
    return timezone.localtime(concern.created_at).date()


def notes(form) -> list[str]:
    """The list's filters, written under the exported table."""
    if not form.is_bound or not form.is_valid():
        return []
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(value, str) and isinstance(field, forms.ChoiceField):
            shown = dict(field.choices).get(value, value)
        else:
            shown = value
        parts.append(f"{field.label}: {shown}")
    return [_("Filters") + ": " + "; ".join(str(p) for p in parts)] if parts else []


def concerns_table(concerns, notes: list[str] | None = None) -> tabular.Table:
    """The concern list in the import's columns, never with a resident's name or contact."""
    values = {
        "received": received_on,
        "source": lambda c: str(c.get_source_display()),
        "category": lambda c: str(c.get_category_display()),
        "unit": lambda c: c.recorded_by_unit.name if c.recorded_by_unit else "",
        "place": lambda c: c.place,
        "summary": lambda c: c.summary,
        "people_count": lambda c: c.people_count,
        "urgency": lambda c: str(c.get_urgency_display()),
        "wants_answer": lambda c: c.wants_answer,
    }
    kinds = {"received": "date", "people_count": "int", "wants_answer": "bool"}
    columns = [
        tabular.Column(f.header, values[f.key], kinds.get(f.key, "text"), f.width)
        for f in EXPORT_FIELDS
    ]
    columns += [
        tabular.Column(gettext_lazy("Code"), lambda c: c.code, width=12),
        tabular.Column(gettext_lazy("Handling unit"), lambda c: c.unit.name, width=32),
        tabular.Column(gettext_lazy("Status"), lambda c: str(c.get_status_display())),
    ]
    rows = concerns.select_related("unit", "recorded_by_unit").order_by("-created_at", "-pk")
    return tabular.Table(_("Concerns"), columns, rows, notes or [])


# ---------------------------------------------------------------- template and import


def build_template(actor, ward: Unit) -> bytes:
    return si.build_template(
        title=_("Concerns"),
        fields=FIELDS,
        lists={
            "source": [str(label) for _v, label in STAFF_SOURCES],
            "category": [str(label) for label in Category.labels],
            "unit": [u.name for u in ward_units(actor, ward)],
            "urgency": [str(label) for label in Urgency.labels],
            "wants_answer": [_("Yes")],
        },
        guide=[
            _(
                "One concern per row on the first sheet, starting from row 2: an issue, not a"
                " file on a person."
            ),
            _("Date received: dd/mm/yyyy. Recorded by: the unit that heard it."),
            _(
                "Each concern goes to the unit that handles its category, with the usual"
                " deadlines, counted from the import."
            ),
            _(
                "The resident's name and contact: only when the resident asked for an answer"
                " (“Yes” in that column); they are erased when the concern is closed."
            ),
        ],
    )


def _read_row(reader: sh.RowReader, lookups: dict) -> dict:
    today = timezone.localdate()
    received = reader.date("received", required=True)
    if received is not None and received > today:
        reader.fail(_("the date cannot be in the future."), "received")
    entry = {
        "received": received,
        "source": reader.choice("source", lookups["sources"], required=True),
        "category": reader.choice("category", lookups["categories"], required=True),
        "unit": reader.unit("unit", lookups["units"]),
        "place": reader.text("place", max_length=services.SHORT_MAX),
        "summary": reader.text("summary", required=True, max_length=services.SUMMARY_MAX),
        "people_count": reader.integer("people_count", minimum=1, maximum=services.PEOPLE_MAX) or 1,
        "urgency": reader.choice("urgency", lookups["urgencies"]) or Urgency.NORMAL,
        "wants_answer": reader.boolean("wants_answer"),
        "resident_name": reader.text("resident_name", max_length=services.SHORT_MAX),
        "resident_contact": reader.text("resident_contact", max_length=services.SHORT_MAX),
    }
    if not entry["wants_answer"] and (entry["resident_name"] or entry["resident_contact"]):
        # Nothing stores a named resident with their views unless they asked for an answer.
        reader.fail(
            _(
                "a resident's name or contact is kept only when the resident asked for an"
                " answer; write “Yes” in that column or clear them."
            )
        )
    return entry


def _received_at(received, now: datetime) -> datetime:
    """The paper's date at the time of day of the import, so rows keep their order."""
    local = timezone.localtime(now)
    if received == local.date():
        return now
    return local.replace(year=received.year, month=received.month, day=received.day)


def import_concerns(*, actor, ward: Unit, data: bytes, dry_run: bool = False) -> si.Outcome:
    """Records every row, or none: raises sh.ImportRejected with every problem of every row."""
    try:
        rows = sh.read_records(
            data, FIELDS, max_rows=MAX_ROWS, stop=sh.stop_at_note(_("Filters") + ":")
        )
    except sh.SheetError as exc:
        raise sh.ImportRejected([str(exc)]) from None
    lookups = {
        "sources": sh.Lookup(STAFF_SOURCES),
        "categories": sh.Lookup(Category.choices),
        "urgencies": sh.Lookup(Urgency.choices),
        "units": sh.UnitIndex(ward_units(actor, ward)),
    }
    readers, entries = [], {}
    for row in rows:
        reader = sh.RowReader(row, FIELDS)
        entries[row.number] = _read_row(reader, lookups)
        readers.append(reader)
    now = timezone.now()

    def save(reader: sh.RowReader) -> Concern:
        entry = dict(entries[reader.number])
        received = entry.pop("received")
        concern = services.record_concern(actor=actor, **entry)
        concern.created_at = _received_at(received, now)
        # Saved, not updated: the date of the paper record is in the audit log too.
        concern.save(update_fields=["created_at", "updated_at"])
        return concern

    return si.save_all(actor, readers, save, dry_run=dry_run)

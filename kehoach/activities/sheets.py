"""A unit's monthly spreadsheet of activities: its template, and its import.

The columns are the activity list export's (exports.FIELDS), so an exported month
imports back. Every row goes through `log_activity`, the service behind quick entry:
the same checks, the same audit. Only units the person may log for, within one ward.
A row dated in a period whose unit report has been accepted is refused: those figures
are final and their activities locked.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from kehoach.activities import activity_services
from kehoach.activities.exports import COUNTS, FIELDS, TOPIC_TITLE_MAX
from kehoach.activities.forms_activities import loggable_units
from kehoach.activities.models import Activity, Audience, Channel
from kehoach.core import spreadsheet_imports as si
from kehoach.core import spreadsheets as sh
from kehoach.core.text import fold
from kehoach.org.models import Unit
from kehoach.plans.models import Plan, Topic

MAX_ROWS = sh.MAX_ROWS
DESCRIPTION_MAX = 4000


def ward_units(actor, ward: Unit) -> list[Unit]:
    return [u for u in loggable_units(actor) if u.path.startswith(ward.path)]


def wards_for(actor) -> list[Unit]:
    return sh.wards_of(loggable_units(actor))


def _plans(actor, ward: Unit) -> list[Plan]:
    """Plans the person sees that belong to the ward or give its units duties."""
    inside = Q(unit__path__startswith=ward.path) | Q(
        pk__in=Plan.objects.filter(assignments__targets__unit__path__startswith=ward.path).values(
            "pk"
        )
    )
    return list(Plan.objects.for_user(actor).filter(inside).order_by("-date", "-created_at"))


class _PlanIndex:
    def __init__(self, plans: list[Plan]) -> None:
        self.plans = plans
        self._map: dict[str, list[Plan]] = {}
        for plan in plans:
            keys = {fold(str(plan)), fold(plan.title), fold(plan.title[:120]), fold(plan.number)}
            for key in keys - {""}:
                self._map.setdefault(key, []).append(plan)

    def find(self, text: str) -> Plan:
        matches = self._map.get(fold(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise sh.CellError(
                _("several plans match “%(plan)s”; give its number and title.") % {"plan": text}
            )
        raise sh.CellError(
            _("plan “%(plan)s” is not one of the plans of this ward you may use.") % {"plan": text}
        )


def _topic_finder(topics: list[Topic]):
    by_key: dict[str, Topic] = {}
    for topic in topics:
        by_key.setdefault(fold(topic.title), topic)
        by_key.setdefault(fold(topic.title[:TOPIC_TITLE_MAX]), topic)
    return lambda text: by_key.get(fold(text))


def build_template(actor, ward: Unit) -> bytes:
    units = ward_units(actor, ward)
    return si.build_template(
        title=_("Activities"),
        fields=FIELDS,
        lists={
            "unit": [u.name for u in units],
            "plan": [str(p) for p in _plans(actor, ward)],
            "channel": [str(label) for label in Channel.labels],
            "audiences": [str(label) for label in Audience.labels],
        },
        multi={"audiences"},
        guide=[
            _("One activity per row on the first sheet, starting from row 2."),
            _("Activity date: dd/mm/yyyy, not in the future. Unit: a unit you log activities for."),
            _(
                "Plan: as in the list, or leave it blank. Topics covered: the titles of the plan's"
                " topics, separated by semicolons."
            ),
            _(
                "Audience groups: one or more from the list, separated by semicolons."
                " Counts: whole numbers, blank for none."
            ),
            _(
                "An exported activity list imports as it is: the columns after the description"
                " and the totals row are ignored."
            ),
        ],
    )


def _read_row(
    reader: sh.RowReader,
    *,
    units: sh.UnitIndex,
    plans: _PlanIndex,
    topics_of: dict[int, list[Topic]],
    channels: sh.Lookup,
    audiences: sh.Lookup,
) -> dict:
    entry: dict = {
        "date": reader.date("date", required=True),
        "unit": reader.unit("unit", units),
        "channel": reader.choice("channel", channels, required=True),
        "audiences": reader.choices("audiences", audiences),
        "description": reader.text("description", max_length=DESCRIPTION_MAX),
        "plan": None,
        "topics": [],
    }
    for name in COUNTS:
        entry[name] = reader.integer(name, maximum=activity_services.MAX_COUNT) or 0
    plan_text = reader.text("plan")
    if plan_text:
        try:
            entry["plan"] = plans.find(plan_text)
        except sh.CellError as exc:
            reader.fail(str(exc), "plan")
    topic_text = reader.list_text("topics")
    if sh.split_list(topic_text, ";"):
        if entry["plan"] is None:
            if not plan_text:
                reader.fail(_("name the plan the topics belong to."), "topics")
        else:
            find = _topic_finder(topics_of.get(entry["plan"].pk, []))
            found, unknown = sh.greedy(sh.split_list(topic_text, ";"), "; ", find)
            for part in unknown:
                reader.fail(
                    _("“%(topic)s” is not a topic of the plan.") % {"topic": part[:80]}, "topics"
                )
            entry["topics"] = list(dict.fromkeys(found))
    return entry


def _accepted_periods(units: list[Unit]) -> dict[int, list[tuple[date, date, str]]]:
    from kehoach.reports.models import ReportStatus, UnitReport

    locked: dict[int, list[tuple[date, date, str]]] = {}
    reports = UnitReport.objects.filter(
        unit__in=units, status=ReportStatus.ACCEPTED
    ).select_related("period")
    for report in reports:
        period = report.period
        locked.setdefault(report.unit_id, []).append((period.start, period.end, str(period)))
    return locked


def import_activities(*, actor, ward: Unit, data: bytes, dry_run: bool = False) -> si.Outcome:
    """Logs every row, or none: raises sh.ImportRejected with every problem of every row."""
    try:
        rows = sh.read_records(
            data, FIELDS, max_rows=MAX_ROWS, stop=sh.stop_at_first_cell(_("Total"))
        )
    except sh.SheetError as exc:
        raise sh.ImportRejected([str(exc)]) from None
    units = ward_units(actor, ward)
    plans = _plans(actor, ward)
    topics_of: dict[int, list[Topic]] = {}
    for topic in Topic.objects.filter(plan__in=plans).order_by("order", "pk"):
        topics_of.setdefault(topic.plan_id, []).append(topic)
    locked = _accepted_periods(units)
    lookups = {
        "units": sh.UnitIndex(units),
        "plans": _PlanIndex(plans),
        "topics_of": topics_of,
        "channels": sh.Lookup(Channel.choices),
        "audiences": sh.Lookup(Audience.choices),
    }
    readers: list[sh.RowReader] = []
    entries: dict[int, dict] = {}
    for row in rows:
        reader = sh.RowReader(row, FIELDS)
        entry = _read_row(reader, **lookups)
        unit, day = entry["unit"], entry["date"]
        if unit is not None and day is not None:
            for start, end, label in locked.get(unit.pk, []):
                if start <= day <= end:
                    reader.fail(
                        _(
                            "the report of %(unit)s for %(period)s has been accepted; its"
                            " activities are locked. Ask the coordinating board."
                        )
                        % {"unit": unit.name, "period": label}
                    )
                    break
        readers.append(reader)
        entries[row.number] = entry

    def save(reader: sh.RowReader) -> Activity:
        entry = dict(entries[reader.number])
        return activity_services.log_activity(actor=actor, **entry)

    return si.save_all(actor, readers, save, dry_run=dry_run)

"""Every change to targets: the catalogue (coordinator), figures (responsible unit), Excel.

All audited (`acting_as`) and atomic. Excel import checks every row before writing
anything: one bad row and nothing is saved; errors name their row.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kehoach.accounts import policy
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import check_fresh
from kehoach.core.text import fold, normalize
from kehoach.indicators.models import Direction, Indicator, Measurement, Target
from kehoach.org.models import Unit

FIRST_YEAR = 1990
LAST_YEAR = 2100
MAX_ROWS = 1000
LIMIT = Decimal("1e13")
FIELDS = ("programme", "name", "measure", "baseline", "baseline_year", "direction")
COLUMNS = [
    gettext_lazy("Programme"),
    gettext_lazy("Indicator"),
    gettext_lazy("Unit of measure"),
    gettext_lazy("Direction"),
    gettext_lazy("Baseline"),
    gettext_lazy("Baseline year"),
    gettext_lazy("Responsible unit"),
]

# ---------------------------------------------------------------- checks


def _in_ward(unit: Unit | None, ward: Unit) -> bool:
    return unit is not None and unit.path.startswith(ward.path)


def _check(ward: Unit, data: dict, targets: dict[int, Decimal]) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, label in (("programme", _("programme")), ("name", _("indicator"))):
        if not normalize(str(data.get(field) or "")):
            add(field, _("The %(field)s is required.") % {"field": label})
    if not normalize(str(data.get("measure") or "")):
        add("measure", _("The unit of measure is required."))
    if data.get("direction") not in Direction.values:
        add("direction", _("Choose whether higher or lower is better."))
    year = data.get("baseline_year")
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        add(
            "baseline_year",
            _("Enter a year between %(a)d and %(b)d.") % {"a": FIRST_YEAR, "b": LAST_YEAR},
        )
    baseline = data.get("baseline")
    if not isinstance(baseline, Decimal) or abs(baseline) >= LIMIT:
        add("baseline", _("Enter the baseline as a number."))
    responsible = data.get("responsible")
    if not _in_ward(responsible, ward) or not responsible.is_active:
        add("responsible", _("Choose a unit of this ward."))
    topic = data.get("topic")
    if topic is not None and not _in_ward(topic.plan.unit, ward):
        add("topic", _("Choose a topic of this ward's plans."))
    for target_year, value in targets.items():
        if isinstance(year, int) and target_year <= year:
            add("targets", _("Targets are for years after the baseline year."))
            break
        if abs(value) >= LIMIT:
            add("targets", _("A target is too large."))
            break
    return errors


def _save_targets(indicator: Indicator, targets: dict[int, Decimal]) -> None:
    existing = {t.year: t for t in indicator.targets.all()}
    for year, target in existing.items():
        if year not in targets:
            target.delete()
    for year, value in targets.items():
        target = existing.get(year)
        if target is None:
            Target.objects.create(indicator=indicator, year=year, value=value)
        elif target.value != value:
            target.value = value
            target.save()


# ---------------------------------------------------------------- catalogue


def create_indicator(
    *,
    actor,
    ward: Unit,
    programme: str,
    name: str,
    measure: str,
    baseline: Decimal,
    baseline_year: int,
    direction: str,
    responsible: Unit,
    topic=None,
    is_example: bool = False,
    order: int = 0,
    targets: dict[int, Decimal] | None = None,
) -> Indicator:
    policy.require(actor, "indicators.manage", ward)
    targets = targets or {}
    data = {
        "programme": programme,
        "name": name,
        "measure": measure,
        "baseline": baseline,
        "baseline_year": baseline_year,
        "direction": direction,
        "responsible": responsible,
        "topic": topic,
    }
    errors = _check(ward, data, targets)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        indicator = Indicator.objects.create(
            ward=ward,
            programme=normalize(programme),
            name=normalize(name),
            measure=normalize(measure),
            baseline=baseline,
            baseline_year=baseline_year,
            direction=direction,
            responsible=responsible,
            topic=topic,
            is_example=is_example,
            order=order,
        )
        _save_targets(indicator, targets)
    return indicator


def update_indicator(
    *,
    actor,
    indicator: Indicator,
    seen_updated_at: datetime | None = None,
    targets: dict[int, Decimal] | None = None,
    **fields,
) -> Indicator:
    """Changes the given fields (and, when given, replaces the targets)."""
    policy.require(actor, "indicators.manage", indicator.ward)
    allowed = set(FIELDS) | {"responsible", "topic", "is_example", "order"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    data = {f: getattr(indicator, f) for f in allowed} | fields
    current = {t.year: t.value for t in indicator.targets.all()} if targets is None else targets
    errors = _check(indicator.ward, data, current)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        check_fresh(
            locked,
            seen_updated_at,
            _("Someone changed this indicator after you opened it. Reload and try again."),
        )
        for field, value in fields.items():
            if field in ("programme", "name", "measure"):
                value = normalize(value)
            setattr(locked, field, value)
        locked.save()
        if targets is not None:
            _save_targets(locked, targets)
    return locked


def set_targets(*, actor, indicator: Indicator, targets: dict[int, Decimal]) -> Indicator:
    return update_indicator(actor=actor, indicator=indicator, targets=targets)


# ---------------------------------------------------------------- figures


def record_measurement(
    *, actor, indicator: Indicator, period_label: str, as_of: date, value: Decimal, source: str
) -> Measurement:
    """A figure for a date; a second figure for the same date corrects the first."""
    policy.require(actor, "indicators.measure", indicator)
    errors: dict[str, list[str]] = {}
    period_label = normalize(period_label or "")
    source = normalize(source or "")
    if not period_label:
        errors["period_label"] = [_("Name the period, e.g. “6 tháng đầu năm 2026”.")]
    if not source:
        errors["source"] = [_("Say where the figure comes from.")]
    if not isinstance(as_of, date) or as_of.year < FIRST_YEAR or as_of.year > LAST_YEAR:
        errors["as_of"] = [_("Enter the date the figure is for.")]
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= LIMIT:
        errors["value"] = [_("Enter the figure as a number.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        measurement = Measurement.objects.filter(indicator=indicator, as_of=as_of).first()
        if measurement is None:
            measurement = Measurement(indicator=indicator, as_of=as_of)
        measurement.period_label = period_label
        measurement.value = value
        measurement.source = source
        measurement.entered_by = actor
        measurement.save()
    return measurement


# ---------------------------------------------------------------- Excel


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "")
    # Vietnamese writing: 1.234,5
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def _direction_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Direction.choices:
        lookup[fold(value)] = value
        lookup[fold(str(label))] = value
    return lookup


def export_excel(indicators) -> bytes:
    """The catalogue with its targets, and the figures; the first sheet imports back."""
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    targets = list(Target.objects.filter(indicator_id__in=ids))
    years = sorted({t.year for t in targets})
    by_pair = {(t.indicator_id, t.year): t.value for t in targets}
    responsible = {
        u.pk: u for u in Unit.objects.filter(pk__in={i.responsible_id for i in indicators})
    }
    wb = Workbook()
    ws = wb.active
    ws.title = _("Indicators")
    ws.append([str(c) for c in COLUMNS] + years + [_("Example values")])
    for i in indicators:
        ws.append(
            [
                i.programme,
                i.name,
                i.measure,
                str(i.get_direction_display()),
                float(i.baseline),
                i.baseline_year,
                responsible[i.responsible_id].name,
                *[float(by_pair[(i.pk, y)]) if (i.pk, y) in by_pair else None for y in years],
                _("Yes") if i.is_example else "",
            ]
        )
    ws.column_dimensions["B"].width = 60
    figures = wb.create_sheet(_("Figures"))
    figures.append(
        [_("Programme"), _("Indicator"), _("Period"), _("As of"), _("Value"), _("Source")]
    )
    names = {i.pk: i for i in indicators}
    for m in Measurement.objects.filter(indicator_id__in=ids).order_by("indicator_id", "as_of"):
        i = names[m.indicator_id]
        figures.append([i.programme, i.name, m.period_label, m.as_of, float(m.value), m.source])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _read(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(
            _("The file is not a valid Excel workbook (.xlsx). Export the catalogue and use it.")
        ) from None
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    if not rows:
        raise ImportFileError(_("The file has no indicators in it."))
    header, body = list(rows[0]), []
    for number, values in enumerate(rows[1:], 2):
        values = list(values)
        if not any(_text(v) for v in values):
            continue
        body.append((number, values))
    if not body:
        raise ImportFileError(_("The file has no indicators in it."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)d rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    return header, body


def _year_columns(header: list) -> list[tuple[int, int]]:
    """(column index, year) for every header cell after the fixed columns that is a year."""
    found = []
    for index, cell in enumerate(header[len(COLUMNS) :], len(COLUMNS)):
        text = _text(cell)
        if text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
            found.append((index, int(text)))
    return found


def import_excel(*, actor, ward: Unit, data: bytes) -> dict:
    """Creates or updates (matched by programme and name) the ward's indicators and their
    targets from the first sheet. All rows or none. Returns counts of created and updated;
    raises ImportFileError for an unreadable file and ValidationError listing every bad row."""
    policy.require(actor, "indicators.manage", ward)
    header, body = _read(data)
    years = _year_columns(header)
    directions = _direction_lookup()
    units: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(path__startswith=ward.path, is_active=True):
        for key in {fold(unit.name), fold(unit.short_name)} - {""}:
            units.setdefault(key, []).append(unit)
    existing = {(fold(i.programme), fold(i.name)): i for i in Indicator.objects.filter(ward=ward)}
    errors: list[str] = []
    planned: list[tuple[Indicator | None, dict, dict[int, Decimal]]] = []
    seen: set[tuple[str, str]] = set()
    for number, values in body:
        values = values + [None] * (len(COLUMNS) - len(values))
        problems: list[str] = []
        programme, name, measure = (_text(v) for v in values[:3])
        row = {"programme": programme, "name": name, "measure": measure}
        row["direction"] = directions.get(fold(_text(values[3])), "")
        try:
            row["baseline"] = _number(values[4])
        except ValueError:
            row["baseline"] = None
        year_text = _text(values[5])
        row["baseline_year"] = int(year_text) if year_text.isdigit() else None
        matches = units.get(fold(_text(values[6])), [])
        if len(matches) > 1:
            problems.append(
                _("several units are named “%(name)s”; give the full name.")
                % {"name": _text(values[6])}
            )
        row["responsible"] = matches[0] if len(matches) == 1 else None
        row["topic"] = None
        targets: dict[int, Decimal] = {}
        for index, year in years:
            cell = values[index] if index < len(values) else None
            try:
                number_value = _number(cell)
            except ValueError:
                problems.append(
                    _("the target for %(year)d is not a number: “%(value)s”.")
                    % {"year": year, "value": _text(cell)}
                )
                continue
            if number_value is not None:
                targets[year] = number_value
        for field_errors in _check(ward, row, targets).values():
            problems.extend(m.rstrip(".") + "." for m in field_errors)
        key = (fold(programme), fold(name))
        if name and key in seen:
            problems.append(_("the indicator appears twice in the file."))
        seen.add(key)
        for message in problems:
            errors.append(_("Row %(row)d: %(message)s") % {"row": number, "message": message})
        row.pop("topic")
        planned.append((existing.get(key), row, targets))
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    with transaction.atomic(), acting_as(actor):
        order = max((i.order for i in existing.values()), default=0)
        for indicator, row, targets in planned:
            if indicator is None:
                order += 1
                indicator = Indicator.objects.create(ward=ward, order=order, **row)
                created += 1
            else:
                changed = [f for f, v in row.items() if getattr(indicator, f) != v]
                for f in changed:
                    setattr(indicator, f, row[f])
                if changed:
                    indicator.save()
                updated += 1
            merged = {t.year: t.value for t in indicator.targets.all()} | targets
            _save_targets(indicator, merged)
    return {"created": created, "updated": updated}

"""Figures of targets from a spreadsheet: template, import and export in the same columns.

The columns are those of the "Figures" sheet of the catalogue file, so that file, this
export and the template all import. Every row goes through `record_measurement`: a
figure for a date already entered corrects it, as on the indicator's page. Only
indicators the person enters figures for (their responsible unit), in one ward.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehoach.accounts import policy
from kehoach.core import spreadsheet_imports as si
from kehoach.core import spreadsheets as sh
from kehoach.core import tabular
from kehoach.core.text import fold
from kehoach.indicators import services
from kehoach.indicators.models import Indicator, Measurement
from kehoach.org.models import Unit

SHEET_TITLE = gettext_lazy("Figures")
MAX_ROWS = sh.MAX_ROWS
FIELDS: list[sh.Field] = [
    sh.Field("programme", gettext_lazy("Programme"), width=30),
    sh.Field("indicator", gettext_lazy("Indicator"), required=True, width=60),
    sh.Field("period", gettext_lazy("Period"), required=True, width=22),
    sh.Field("as_of", gettext_lazy("As of"), required=True, width=12, kind="date"),
    sh.Field("value", gettext_lazy("Value"), required=True, width=14),
    sh.Field("source", gettext_lazy("Source"), required=True, width=40),
]


def measurable(actor) -> list[Indicator]:
    indicators = Indicator.objects.for_user(actor).select_related("ward", "responsible")
    return [
        i
        for i in indicators.order_by("programme", "order", "pk")
        if policy.can(actor, "indicators.measure", i)
    ]


def wards_for(actor) -> list[Unit]:
    return sh.wards_of({i.ward for i in measurable(actor)})


def ward_indicators(actor, ward: Unit) -> list[Indicator]:
    return [i for i in measurable(actor) if i.ward_id == ward.pk]


def measurements_table(actor, ward: Unit) -> tabular.Table:
    indicators = {i.pk: i for i in Indicator.objects.for_user(actor).filter(ward=ward)}
    rows = (
        Measurement.objects.filter(indicator_id__in=list(indicators))
        .select_related("indicator")
        .order_by("indicator__programme", "indicator__order", "indicator_id", "as_of")
    )
    values = {
        "programme": lambda m: m.indicator.programme,
        "indicator": lambda m: m.indicator.name,
        "period": lambda m: m.period_label,
        "as_of": lambda m: m.as_of,
        "value": lambda m: m.value,
        "source": lambda m: m.source,
    }
    kinds = {"as_of": "date", "value": "number"}
    columns = [
        tabular.Column(f.header, values[f.key], kinds.get(f.key, "text"), f.width) for f in FIELDS
    ]
    # No notes under the table: the file imports back as it is.
    return tabular.Table(SHEET_TITLE, columns, rows)


def build_template(actor, ward: Unit) -> bytes:
    indicators = ward_indicators(actor, ward)
    return si.build_template(
        title=SHEET_TITLE,
        fields=FIELDS,
        lists={
            "programme": sorted({i.programme for i in indicators}),
            "indicator": [i.name for i in indicators],
        },
        guide=[
            _("One figure per row on the first sheet, starting from row 2."),
            _(
                "Programme and indicator: as in the catalogue. As of: the date the figure is for,"
                " dd/mm/yyyy; a second figure for the same date corrects the first."
            ),
            _("Value: a number (1.234,5 or 1234.5). Source: where the figure comes from."),
        ],
    )


class _IndicatorIndex:
    def __init__(self, indicators: list[Indicator]) -> None:
        self.pairs: dict[tuple[str, str], Indicator] = {}
        self.names: dict[str, list[Indicator]] = {}
        for i in indicators:
            self.pairs[(fold(i.programme), fold(i.name))] = i
            self.names.setdefault(fold(i.name), []).append(i)

    def find(self, programme: str, name: str) -> Indicator:
        if programme:
            found = self.pairs.get((fold(programme), fold(name)))
            if found is not None:
                return found
        else:
            matches = self.names.get(fold(name), [])
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise sh.CellError(
                    _("several programmes have an indicator “%(name)s”; name the programme.")
                    % {"name": name}
                )
        raise sh.CellError(
            _("indicator “%(name)s” is not one you enter figures for in this ward.")
            % {"name": name}
        )


def import_measurements(*, actor, ward: Unit, data: bytes, dry_run: bool = False) -> si.Outcome:
    """Records every figure, or none: raises sh.ImportRejected with every problem."""
    try:
        rows = sh.read_records(data, FIELDS, max_rows=MAX_ROWS, sheet=SHEET_TITLE)
    except sh.SheetError as exc:
        raise sh.ImportRejected([str(exc)]) from None
    index = _IndicatorIndex(ward_indicators(actor, ward))
    readers, entries = [], {}
    seen: set[tuple[int, object]] = set()
    for row in rows:
        reader = sh.RowReader(row, FIELDS)
        # The service names the period by its field; the file by its column.
        reader.headers["period_label"] = reader.headers["period"]
        programme = reader.text("programme")
        name = reader.text("indicator", required=True)
        indicator = None
        if name:
            try:
                indicator = index.find(programme, name)
            except sh.CellError as exc:
                reader.fail(str(exc), "indicator")
        entry = {
            "indicator": indicator,
            "period_label": reader.text("period", required=True, max_length=64),
            "as_of": reader.date("as_of", required=True),
            "value": reader.decimal("value", required=True),
            "source": reader.text("source", required=True, max_length=255),
        }
        if indicator is not None and entry["as_of"] is not None:
            key = (indicator.pk, entry["as_of"])
            if key in seen:
                reader.fail(
                    _("this indicator already has a figure for this date on an earlier row.")
                )
            seen.add(key)
        entries[row.number] = entry
        readers.append(reader)

    def save(reader: sh.RowReader) -> Measurement:
        return services.record_measurement(actor=actor, **entries[reader.number])

    return si.save_all(actor, readers, save, dry_run=dry_run)

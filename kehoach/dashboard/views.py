"""The dashboard page and its Excel export: filters, read the figures, draw, render."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kehoach.accounts import policy
from kehoach.core import tabular
from kehoach.dashboard import charts
from kehoach.dashboard.figures import Filters, allowed, dashboard, quarters_around
from kehoach.dashboard.tables import dashboard_table, filter_pairs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def activities_url() -> str:
    try:
        return reverse("activities:list")
    except NoReverseMatch:
        return "/hoat-dong/"


def _linker(f: Filters):
    base = activities_url()
    common = f.link_params()

    # The filters' part of every link is written once: a ward's heat map alone has 500
    # links, and encoding the whole query for each was a fifth of the page's time.
    prefix = f"{base}?{urlencode(common)}"
    joiner = "&" if common else ""

    def link(**params) -> str:
        given = {k: v for k, v in params.items() if v is not None}
        if given.keys() & common.keys():
            return f"{base}?{urlencode({**common, **given})}"
        return f"{prefix}{joiner}{urlencode(given)}" if given else prefix

    return link


def _bucket_label(bucket: dict, step: str) -> str:
    if step == "week":
        return date_format(bucket["start"], "d/m")
    return date_format(bucket["start"], "m/Y")


def _display(f: Filters, data: dict) -> dict:
    """Charts and links for the template."""
    link = _linker(f)
    acts = data["activities"]
    series = acts["over_time"]
    step = series["step"]
    labels = [_bucket_label(b, step) for b in series["buckets"]]
    for bucket in series["buckets"]:
        bucket["url"] = link(
            date_from=bucket["start"].isoformat(), date_to=bucket["end"].isoformat()
        )
        bucket["label"] = _bucket_label(bucket, step)
    for row in acts["by_channel"]:
        row["url"] = link(channel=row["channel"])
    for row in acts["by_topic"]:
        row["url"] = link(topic=row["topic_id"])
    for row in acts["by_audience"]:
        row["url"] = link(audience=row["audience"])
    result = {
        "time_chart": charts.stacked_chart(
            _("Activities over time by form of communication"),
            labels,
            [(s["label"], s["values"]) for s in series["series"]],
        ),
        "channel_chart": charts.bar_chart(
            _("Activities by form of communication"),
            [(r["label"], r["activities"]) for r in acts["by_channel"]],
        ),
        "topic_chart": charts.bar_chart(
            _("Activities by topic"),
            [(f"{r['number']}. {r['label']}", r["activities"]) for r in acts["by_topic"]],
        )
        if acts["by_topic"]
        else None,
        "audience_chart": charts.bar_chart(
            _("People reached by audience group"),
            [(r["label"], r["reached"]) for r in acts["by_audience"]],
        ),
        "exemplar_chart": charts.bar_chart(
            _("Exemplary models by stage"),
            [(r["label"], r["count"]) for r in data["exemplars"]["stages"]],
        ),
        "content_chart": charts.bar_chart(
            _("Content published by channel"),
            [(r["label"], r["count"]) for r in data["content"]["outlets"]],
        ),
        "tasks_chart": charts.bar_chart(
            _("Overdue tasks by unit"),
            [(r["unit"], r["overdue"]) for r in data["tasks_overdue"]["units"][:15]],
        )
        if data["tasks_overdue"]["units"]
        else None,
    }
    heat = data["heat_map"]
    if heat and heat["rows"] and heat["topics"]:
        cell_links: dict[tuple[int, int], str] = {}
        for row in heat["rows"]:
            # The table's cells written here, like the chart's: 500 of them through the
            # template's loop were a third of the page.
            cells = []
            for t, count in zip(heat["topics"], row["cells"], strict=True):
                url = link(unit=row["unit_id"], topic=t["topic_id"])
                cell_links[(row["unit_id"], t["topic_id"])] = url
                cells.append(
                    f'<td class="num"><a href="{escape(url)}">{count}</a></td>'
                    if count
                    else '<td class="num">—</td>'
                )
            row["cells_html"] = mark_safe("".join(cells))
        result["heat_chart"] = charts.heat_map(
            _("Coverage: activities by unit and topic"),
            [(r["unit_id"], r["unit"], r["cells"]) for r in heat["rows"]],
            [
                (t["topic_id"], _("Topic %(number)s") % {"number": t["number"]})
                for t in heat["topics"]
            ],
            lambda unit_id, topic_id: cell_links[(unit_id, topic_id)],
            peak=heat["max"],
        )
    completeness = data["completeness"]
    if completeness and completeness["periods"]:
        result["completeness_chart"] = charts.stacked_chart(
            _("Report completeness and timeliness by period"),
            [p["label"] for p in completeness["periods"]],
            [
                (_("On time"), [p["on_time"] for p in completeness["periods"]]),
                (_("Late"), [p["late"] for p in completeness["periods"]]),
                (_("Missing"), [p["missing"] for p in completeness["periods"]]),
                (_("Not yet due"), [p["not_due"] for p in completeness["periods"]]),
            ],
        )
    return result


ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def quarter_label(value: str) -> str:
    """'2026-Q2' as a ward office writes it: 'Quý II/2026'."""
    year, quarter = value.split("-Q")
    return _("Quarter %(roman)s/%(year)s") % {"roman": ROMAN[quarter], "year": year}


def _filters(request: HttpRequest) -> Filters:
    return Filters.from_params(request.user, request.GET)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    fmt = tabular.requested_format(request)
    if fmt == "csv":
        table = dashboard_table(dashboard(f), tabular.notes(filter_pairs(f)))
        return tabular.response(table, f"tong-quan-{f.start.isoformat()}-{f.end.isoformat()}", fmt)
    if fmt == "xlsx":
        return excel(request)
    context = {
        "f": f,
        "quarters": [(q, quarter_label(q)) for q in quarters_around(timezone.localdate())],
        "allowed": allowed(request.user),
        "query": request.GET.urlencode(),
    }
    if context["allowed"]:
        data = dashboard(f)
        context["data"] = data
        context["charts"] = _display(f, data)
        # Infographics of the ward's plan periods are made by its oversight; of a target,
        # by whoever may make one for the ward (per-row rights are checked on POST).
        context["can_make_infographic"] = policy.can(request.user, "infographics.make")
        context["can_make_period_infographic"] = f.plan is not None and policy.can(
            request.user, "infographics.make", f.plan
        )
    return render(request, "dashboard/index.html", context)


@login_required
@require_GET
def excel(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    data = dashboard(f)  # refuses (403) without the dashboard.view role
    content = workbook(f, data)
    response = HttpResponse(content, content_type=XLSX)
    name = f"tong-quan-{f.start.isoformat()}-{f.end.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _safe(value):
    """Text cells never start a formula; numbers and dates stay what they are."""
    return tabular.safe_text(value) if isinstance(value, str) else value


def workbook(f: Filters, data: dict) -> bytes:
    """Every panel as its own sheet: the tables of the page."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)

    def sheet(title: str, header: list[str], rows: list[list]) -> None:
        ws = book.create_sheet(title[:31])
        ws.append([_safe(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_safe(v) for v in row])

    acts = data["activities"]
    series = acts["over_time"]
    sheet(
        _("Over time"),
        [_("From"), _("To"), *[s["label"] for s in series["series"]], _("Total")],
        [
            [b["start"], b["end"], *[s["values"][i] for s in series["series"]], b["total"]]
            for i, b in enumerate(series["buckets"])
        ],
    )
    sheet(
        _("By channel"),
        [_("Form of communication"), _("Activities")],
        [[r["label"], r["activities"]] for r in acts["by_channel"]],
    )
    sheet(
        _("By topic"),
        [_("No."), _("Topic"), _("Activities"), _("People reached")],
        [[r["number"], r["label"], r["activities"], r["reached"]] for r in acts["by_topic"]],
    )
    sheet(
        _("By audience"),
        [_("Audience group"), _("Activities"), _("People reached")],
        [[r["label"], r["activities"], r["reached"]] for r in acts["by_audience"]],
    )
    heat = data["heat_map"]
    if heat:
        sheet(
            _("Coverage"),
            [_("Unit"), *[f"{t['number']}. {t['label']}" for t in heat["topics"]]],
            [[r["unit"], *r["cells"]] for r in heat["rows"]],
        )
    completeness = data["completeness"]
    if completeness:
        sheet(
            _("Reports"),
            [
                _("Period"),
                _("Due"),
                _("Expected"),
                _("On time"),
                _("Late"),
                _("Missing"),
                _("Not yet due"),
            ],
            [
                [
                    p["label"],
                    p["due_date"],
                    p["expected"],
                    p["on_time"],
                    p["late"],
                    p["missing"],
                    p["not_due"],
                ]
                for p in completeness["periods"]
            ],
        )
    sheet(
        _("Overdue tasks"),
        [_("Unit"), _("Overdue tasks")],
        [[r["unit"], r["overdue"]] for r in data["tasks_overdue"]["units"]],
    )
    c = data["concerns"]
    sheet(
        _("Concerns"),
        [_("Received"), _("Open"), _("Overdue"), _("Open hot spots")],
        [[c["received"], c["open"], c["overdue"], c["open_hot_spots"]]],
    )
    sheet(
        _("Exemplary models"),
        [_("Stage"), _("Exemplary models")],
        [[r["label"], r["count"]] for r in data["exemplars"]["stages"]],
    )
    sheet(
        _("Content"),
        [_("Channel"), _("Published")],
        [[r["label"], r["count"]] for r in data["content"]["outlets"]],
    )
    if data["targets"] is not None:
        sheet(
            _("Targets"),
            [_("Indicator"), _("Unit of measure"), _("Latest"), _("Target"), _("Status")],
            [
                [r.get("name"), r.get("measure"), r.get("latest"), r.get("target"), r.get("status")]
                for r in data["targets"]
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

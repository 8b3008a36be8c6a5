"""Target pages: the catalogue with progress, one indicator with its history chart and
figure form, adding and editing (coordinator), Excel import and export (coordinator)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kehoach.accounts import policy
from kehoach.accounts.querysets import memberships_of
from kehoach.core import tabular
from kehoach.core.scoping import get_for_user_or_404
from kehoach.indicators import progress, services
from kehoach.indicators.forms import ImportForm, IndicatorForm, MeasurementForm, initial_for
from kehoach.indicators.models import Indicator
from kehoach.indicators.tables import catalogue_table
from kehoach.org.models import Unit

CHART_W, CHART_H, PAD = 600, 240, 28
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def managed_ward(user) -> Unit | None:
    """The ward whose catalogue the person keeps (coordinator on the ward root), if any."""
    if user.is_staff:
        return Unit.objects.filter(parent=None).exclude(kind="external").order_by("pk").first()
    ids = sorted({int(m.unit.path.strip("/").split("/")[0]) for m in memberships_of(user)})
    for ward in Unit.objects.filter(pk__in=ids).order_by("pk"):
        if policy.can(user, "indicators.manage", ward):
            return ward
    return None


def _indicator(user, pk: int) -> Indicator:
    return get_for_user_or_404(Indicator, user, related=("ward", "responsible", "topic"), pk=pk)


def _require_manage(user, ward: Unit | None) -> Unit:
    if ward is None or not policy.can(user, "indicators.manage", ward):
        raise PermissionDenied
    return ward


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.for_user(request.user).order_by("programme", "order", "pk")
    rows = progress.progress_rows(indicators, timezone.localdate())
    if fmt := tabular.requested_format(request):
        return tabular.response(catalogue_table(rows, tabular.notes()), "chi-tieu-tien-do", fmt)
    programmes: list[dict] = []
    for row in rows:
        if not programmes or programmes[-1]["name"] != row["programme"]:
            programmes.append({"name": row["programme"], "rows": []})
        row["bar"] = _bar(row["progress_pct"])
        programmes[-1]["rows"].append(row)
    return render(
        request,
        "indicators/list.html",
        {
            "programmes": programmes,
            "count": len(rows),
            "can_manage": managed_ward(request.user) is not None,
            "can_measure_any": policy.can(request.user, "indicators.measure"),
        },
    )


def _bar(pct) -> int:
    if pct is None:
        return 0
    return max(0, min(100, int(pct)))


# ---------------------------------------------------------------- chart


def chart(indicator: Indicator, targets: list, measurements: list) -> dict | None:
    """Coordinates for a small SVG: the target path (line) and the figures (points)."""
    points = progress.path_points(indicator.baseline, indicator.baseline_year, targets)
    dates = [p.on for p in points] + [m.as_of for m in measurements]
    values = [p.value for p in points] + [m.value for m in measurements]
    start, end = min(dates), max(dates)
    low, high = min(values), max(values)
    if start == end:
        return None
    if low == high:
        high = low + 1

    def x(on: date) -> float:
        return round(PAD + (on - start).days / (end - start).days * (CHART_W - 2 * PAD), 1)

    def y(value) -> float:
        share = float((value - low) / (high - low))
        return round(CHART_H - PAD - share * (CHART_H - 2 * PAD), 1)

    return {
        "width": CHART_W,
        "height": CHART_H,
        "path": " ".join(f"{x(p.on)},{y(p.value)}" for p in points),
        "figures": [{"x": x(m.as_of), "y": y(m.value), "m": m} for m in measurements],
        "line": " ".join(f"{x(m.as_of)},{y(m.value)}" for m in measurements),
        "low": low,
        "high": high,
        "start": start,
        "end": end,
        "bottom": CHART_H - PAD,
        "top": PAD,
        "left": PAD,
        "right": CHART_W - PAD,
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request.user, pk)
    return _detail(request, indicator, MeasurementForm())


def _detail(request, indicator: Indicator, form, status: int = 200) -> HttpResponse:
    targets = list(indicator.targets.all())
    measurements = list(indicator.measurements.select_related("entered_by"))
    row = progress.progress_row(indicator, timezone.localdate())
    row["bar"] = _bar(row["progress_pct"])
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "row": row,
            "targets": targets,
            "measurements": measurements,
            "chart": chart(indicator, targets, measurements),
            "form": form,
            "can_measure": policy.can(request.user, "indicators.measure", indicator),
            "can_manage": policy.can(request.user, "indicators.manage", indicator.ward),
            "can_make_infographic": policy.can(request.user, "infographics.make", indicator),
        },
        status=status,
    )


@login_required
@require_POST
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request.user, pk)
    if not policy.can(request.user, "indicators.measure", indicator):
        raise PermissionDenied
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.record_measurement(
                actor=request.user, indicator=indicator, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The figure was recorded."))
            return redirect("indicators:detail", pk=indicator.pk)
    return _detail(request, indicator, form, status=422)


# ---------------------------------------------------------------- catalogue upkeep


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    ward = _require_manage(request.user, managed_ward(request.user))
    form = IndicatorForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.create_indicator(
                actor=request.user, ward=ward, targets=form.targets(), **form.indicator_fields()
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The indicator was added."))
            return redirect("indicators:detail", pk=indicator.pk)
    return render(
        request,
        "indicators/form.html",
        {"form": form, "indicator": None},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request.user, pk)
    _require_manage(request.user, indicator.ward)
    if request.method == "POST":
        form = IndicatorForm(request.POST, ward=indicator.ward, indicator=indicator)
    else:
        form = IndicatorForm(
            ward=indicator.ward, indicator=indicator, initial=initial_for(indicator)
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator(
                actor=request.user,
                indicator=indicator,
                targets=form.targets(),
                **form.indicator_fields(),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect("indicators:detail", pk=indicator.pk)
    return render(
        request,
        "indicators/form.html",
        {"form": form, "indicator": indicator},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    ward = _require_manage(request.user, managed_ward(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_excel(
                actor=request.user, ward=ward, data=form.cleaned_data["file"].read()
            )
        except services.ImportFileError as exc:
            errors = [str(exc)]
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated.") % result,
            )
            return redirect("indicators:list")
    return render(
        request,
        "indicators/import.html",
        {"form": form, "errors": errors, "ward": ward},
        status=422 if errors or form.errors else 200,
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    ward = _require_manage(request.user, managed_ward(request.user))
    indicators = Indicator.objects.filter(ward=ward).order_by("programme", "order", "pk")
    response = HttpResponse(services.export_excel(indicators), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="chi-tieu.xlsx"'
    return response

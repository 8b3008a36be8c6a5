"""Targets over the API: the catalogue with progress, one indicator, its figures.

Scoped: an indicator of another ward is 404; the catalogue is kept by the coordinator and
figures are entered by the responsible unit (403 otherwise)."""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from kehoach.core.scoping import get_for_user_or_404
from kehoach.indicators import progress, services
from kehoach.indicators.models import Direction, Indicator
from kehoach.org.models import Unit

router = Router(tags=["indicators"])


class TargetOut(Schema):
    year: int
    value: Decimal


class IndicatorOut(Schema):
    id: int
    ward_id: int
    programme: str
    name: str
    measure: str
    baseline: Decimal
    baseline_year: int
    direction: str
    responsible_id: int
    topic_id: int | None
    is_example: bool
    order: int
    targets: list[TargetOut]
    latest: Decimal | None = None
    latest_as_of: date | None = None
    path_value: Decimal | None = None
    progress_pct: Decimal | None = None
    status: str = progress.NO_DATA


class IndicatorIn(Schema):
    ward_id: int
    programme: str
    name: str
    measure: str
    baseline: Decimal
    baseline_year: int
    direction: Direction = Direction.HIGHER
    responsible_id: int
    is_example: bool = False
    order: int = 0
    targets: dict[int, Decimal] = {}


class MeasurementOut(Schema):
    id: int
    indicator_id: int
    period_label: str
    as_of: date
    value: Decimal
    source: str
    entered_by_id: int | None


class MeasurementIn(Schema):
    period_label: str
    as_of: date
    value: Decimal
    source: str


def _out(indicators: list[Indicator]) -> list[dict]:
    rows = {r["indicator_id"]: r for r in progress.progress_rows(indicators, timezone.localdate())}
    result = []
    for i in indicators:
        row = rows[i.pk]
        result.append(
            {
                "id": i.pk,
                "ward_id": i.ward_id,
                "programme": i.programme,
                "name": i.name,
                "measure": i.measure,
                "baseline": i.baseline,
                "baseline_year": i.baseline_year,
                "direction": i.direction,
                "responsible_id": i.responsible_id,
                "topic_id": i.topic_id,
                "is_example": i.is_example,
                "order": i.order,
                "targets": [{"year": t.year, "value": t.value} for t in i.targets.all()],
                "latest": row["latest"],
                "latest_as_of": row["latest_as_of"],
                "path_value": row["path_value"],
                "progress_pct": row["progress_pct"],
                "status": row["status"],
            }
        )
    return result


def _ward(user, ward_id: int) -> Unit:
    """A ward in the person's scope (as the indicators are scoped); another ward is 404."""
    from kehoach.accounts.querysets import memberships_of

    ward = Unit.objects.filter(pk=ward_id, parent=None).first()
    if ward is None:
        raise Http404
    if not user.is_staff:
        roots = {int(m.unit.path.strip("/").split("/")[0]) for m in memberships_of(user)}
        if ward.pk not in roots:
            raise Http404
    return ward


@router.get("", response=list[IndicatorOut], summary="Indicators in your scope, with progress")
def list_indicators(request: HttpRequest, programme: str = ""):
    indicators = Indicator.objects.for_user(request.auth).prefetch_related("targets")
    if programme:
        indicators = indicators.filter(programme=programme)
    return _out(list(indicators.order_by("programme", "order", "pk")))


@router.post("", response={201: IndicatorOut}, summary="Add an indicator (coordinator)")
def create_indicator(request: HttpRequest, payload: IndicatorIn):
    ward = _ward(request.auth, payload.ward_id)
    responsible = Unit.objects.filter(pk=payload.responsible_id).first()
    data = payload.dict(exclude={"ward_id", "responsible_id", "targets"})
    indicator = services.create_indicator(
        actor=request.auth,
        ward=ward,
        responsible=responsible,
        targets=payload.targets,
        **data,
    )
    return Status(201, _out([indicator])[0])


@router.get("/{indicator_id}", response=IndicatorOut, summary="One indicator, with progress")
def get_indicator(request: HttpRequest, indicator_id: int):
    indicator = get_for_user_or_404(Indicator, request.auth, pk=indicator_id)
    return _out([indicator])[0]


@router.get(
    "/{indicator_id}/measurements",
    response=list[MeasurementOut],
    summary="The figures of an indicator",
)
def list_measurements(request: HttpRequest, indicator_id: int):
    indicator = get_for_user_or_404(Indicator, request.auth, pk=indicator_id)
    return list(indicator.measurements.all())


@router.post(
    "/{indicator_id}/measurements",
    response={201: MeasurementOut},
    summary="Record a figure (responsible unit)",
)
def record_measurement(request: HttpRequest, indicator_id: int, payload: MeasurementIn):
    indicator = get_for_user_or_404(Indicator, request.auth, pk=indicator_id)
    measurement = services.record_measurement(
        actor=request.auth, indicator=indicator, **payload.dict()
    )
    return Status(201, measurement)

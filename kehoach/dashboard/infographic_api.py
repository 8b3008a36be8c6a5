"""``POST /infographics``: a target's progress or a period's results as a draft infographic."""

from typing import Literal

from django.urls import reverse
from ninja import Router, Schema, Status

from kehoach.core.scoping import get_for_user_or_404
from kehoach.dashboard import infographic_services as services
from kehoach.dashboard.infographics import SIZES
from kehoach.indicators.models import Indicator
from kehoach.reports.models import ReportingPeriod

router = Router(tags=["infographics"])


class InfographicIn(Schema):
    kind: Literal["target", "period"]
    indicator_id: int | None = None
    period_id: int | None = None


class ImageOut(Schema):
    size: str
    width: int
    height: int
    url: str


class InfographicOut(Schema):
    content_id: int
    status: str
    images: list[ImageOut]


@router.post("", response={201: InfographicOut})
def make(request, data: InfographicIn):
    user = request.auth
    indicator = period = None
    if data.kind == "target" and data.indicator_id is not None:
        indicator = get_for_user_or_404(Indicator, user, pk=data.indicator_id)
    if data.kind == "period" and data.period_id is not None:
        period = get_for_user_or_404(ReportingPeriod, user, pk=data.period_id)
    item = services.make_infographic(actor=user, kind=data.kind, indicator=indicator, period=period)
    images = [
        {
            "size": size,
            "width": width,
            "height": height,
            "url": reverse("infographics:download", args=[item.pk, size]),
        }
        for size, (width, height) in SIZES.items()
    ]
    return Status(201, {"content_id": item.pk, "status": item.status, "images": images})

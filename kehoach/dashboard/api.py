"""GET /api/v1/dashboard: the figures of every panel, for the caller's scope."""

from django.http import HttpRequest
from ninja import Router

from kehoach.dashboard.figures import Filters, dashboard

router = Router(tags=["dashboard"])


@router.get("", summary="The figures of every dashboard panel, within the caller's scope")
def dashboard_figures(
    request: HttpRequest,
    plan: str = "",
    period: str = "",
    unit: str = "",
    quy: str = "",
    date_from: str = "",
    date_to: str = "",
):
    """Filters as on the page: plan (default the latest; "all" for none), a reporting period
    of the plan, a quarter (2026-Q2), a date range (ISO dates) and a unit whose subtree is
    counted. A plan, period or unit outside the caller's scope is a 404; people without a
    head, coordinator or leader role get 403."""
    params = {
        "plan": plan,
        "period": period,
        "unit": unit,
        "quy": quy,
        "date_from": date_from,
        "date_to": date_to,
    }
    return dashboard(Filters.from_params(request.auth, params))

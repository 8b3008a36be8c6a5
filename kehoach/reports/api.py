"""Reporting periods, completeness and the unit reports' workflow. All scoped: another
unit's report is a 404, a wrong role a 403, a stale edit or a refused transition a 422."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from kehoach.accounts import policy
from kehoach.core.scoping import get_for_user_or_404
from kehoach.plans.models import Plan
from kehoach.reports import completeness, services
from kehoach.reports.figures import unit_figures
from kehoach.reports.models import ReportingPeriod, ReportStatus, UnitReport

router = Router(tags=["reports"])


class PeriodOut(Schema):
    id: int
    plan_id: int
    kind: str
    label: str
    start: date
    end: date
    due_date: date
    due_text: str


class PeriodFilters(Schema):
    plan: int | None = None


class Rates(Schema):
    submitted: float | None
    on_time: float | None
    late: float | None
    missing: float | None


class UnitCompleteness(Schema):
    unit_id: int
    unit_name: str
    report_id: int
    status: str
    timeliness: str
    first_submitted_at: datetime | None
    submitted_at: datetime | None


class CompletenessOut(Schema):
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    not_due: int
    rates: Rates
    units: list[UnitCompleteness]


class Allowed(Schema):
    edit: bool
    submit: bool
    review: bool


class UnitReportOut(Schema):
    id: int
    period: PeriodOut
    unit_id: int
    unit_name: str
    status: str
    leadership: str
    results: str
    limitations: str
    tasks_ahead: str
    proposals: str
    opinion: str
    version: int
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    reviewed_at: datetime | None
    return_comment: str
    # Live while the report can change; the snapshot taken on acceptance afterwards.
    figures: dict
    figures_live: bool
    allowed: Allowed


class UnitReportIn(Schema):
    version: int
    leadership: str | None = None
    results: str | None = None
    limitations: str | None = None
    tasks_ahead: str | None = None
    proposals: str | None = None
    opinion: str | None = None


class ReturnIn(Schema):
    comment: str = ""


def _report(user, report_id: int) -> UnitReport:
    return get_for_user_or_404(UnitReport, user, pk=report_id)


def _report_out(user, report: UnitReport) -> dict:
    report = UnitReport.objects.select_related("unit", "period__plan").get(pk=report.pk)
    accepted = report.status == ReportStatus.ACCEPTED
    editable = report.status in services.EDITABLE_STATUSES
    return {
        "id": report.pk,
        "period": report.period,
        "unit_id": report.unit_id,
        "unit_name": report.unit.name,
        "status": report.status,
        **{name: getattr(report, name) for name in services.NARRATIVE_FIELDS},
        "version": report.version,
        "submitted_at": report.submitted_at,
        "first_submitted_at": report.first_submitted_at,
        "reviewed_at": report.reviewed_at,
        "return_comment": report.return_comment,
        "figures": report.figures if accepted else unit_figures(report.unit, report.period),
        "figures_live": not accepted,
        "allowed": {
            "edit": editable and policy.can(user, "reports.edit", report),
            "submit": editable and policy.can(user, "reports.submit", report),
            "review": report.status == ReportStatus.SUBMITTED
            and policy.can(user, "reports.review", report),
        },
    }


@router.get("/periods", response=list[PeriodOut], summary="Reporting periods; ?plan=<id>")
def list_periods(request: HttpRequest, filters: Query[PeriodFilters]):
    periods = ReportingPeriod.objects.for_user(request.auth)
    if filters.plan is not None:
        plan = get_for_user_or_404(Plan, request.auth, pk=filters.plan)
        periods = periods.filter(plan=plan)
    return periods.order_by("plan_id", "start", "end", "pk")


@router.get(
    "/periods/{period_id}/completeness",
    response=CompletenessOut,
    summary="Reports expected, submitted, on time, late and missing, per unit",
)
def period_completeness(request: HttpRequest, period_id: int):
    period = get_for_user_or_404(ReportingPeriod, request.auth, pk=period_id)
    policy.require(request.auth, "reports.view_board", period)
    return completeness.completeness(period)


@router.get("/unit-reports/{report_id}", response=UnitReportOut, summary="One unit's report")
def get_unit_report(request: HttpRequest, report_id: int):
    return _report_out(request.auth, _report(request.auth, report_id))


@router.put(
    "/unit-reports/{report_id}",
    response=UnitReportOut,
    summary="Save the narrative; send the version you started from",
)
def save_unit_report(request: HttpRequest, report_id: int, payload: UnitReportIn):
    report = _report(request.auth, report_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    report = services.save_draft(
        actor=request.auth,
        report=report,
        changes={k: v for k, v in changes.items() if v is not None},
        version=version,
    )
    return _report_out(request.auth, report)


@router.post("/unit-reports/{report_id}/submit", response=UnitReportOut, summary="Submit")
def submit_unit_report(request: HttpRequest, report_id: int):
    report = services.submit(actor=request.auth, report=_report(request.auth, report_id))
    return _report_out(request.auth, report)


@router.post("/unit-reports/{report_id}/accept", response=UnitReportOut, summary="Accept")
def accept_unit_report(request: HttpRequest, report_id: int):
    report = services.accept(actor=request.auth, report=_report(request.auth, report_id))
    return _report_out(request.auth, report)


@router.post(
    "/unit-reports/{report_id}/return",
    response=UnitReportOut,
    summary="Return for correction, with a comment",
)
def return_unit_report(request: HttpRequest, report_id: int, payload: ReturnIn):
    report = services.return_report(
        actor=request.auth, report=_report(request.auth, report_id), comment=payload.comment
    )
    return _report_out(request.auth, report)

"""The summary report over the API: compile, read, edit, approve, download. All scoped."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from kehoach.reports import summary as svc
from kehoach.reports import summary_document as docx_report
from kehoach.reports.models import ReportingPeriod, SummaryExport, SummaryReport
from kehoach.reports.summary_views import DOCX, XLSX, summary_workbook, visible_periods

router = Router(tags=["summary reports"])


class RecipientIn(Schema):
    name: str
    note: str = ""


class SummaryOut(Schema):
    id: int
    period_id: int
    plan_id: int
    number: str
    date: dt.date | None
    title: str
    status: str
    leadership: str
    results: str
    assessment: str
    tasks_ahead: str
    proposals: str
    figures: dict[str, Any]
    recipients: list[dict[str, Any]]
    signer_authority: str
    signer_title: str
    signer_name: str
    version: int
    approved_at: dt.datetime | None
    approved_by_id: int | None

    @staticmethod
    def resolve_plan_id(obj: SummaryReport) -> int:
        return obj.period.plan_id


class SummaryIn(Schema):
    version: int
    number: str | None = None
    date: dt.date | None = None
    title: str | None = None
    leadership: str | None = None
    results: str | None = None
    assessment: str | None = None
    tasks_ahead: str | None = None
    proposals: str | None = None
    recipients: list[RecipientIn] | None = None
    signer_authority: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None


class PdfPending(Schema):
    status: str
    status_url: str
    error: str = ""


def _summary(request: HttpRequest, summary_id: int) -> SummaryReport:
    try:
        return (
            SummaryReport.objects.for_user(request.auth)
            .select_related("period__plan__unit")
            .get(pk=summary_id)
        )
    except SummaryReport.DoesNotExist:
        raise Http404 from None


@router.post(
    "/periods/{period_id}/summary",
    response=SummaryOut,
    summary="Compile the period's summary report from the accepted unit reports (coordinator)",
)
def compile_summary(request: HttpRequest, period_id: int):
    try:
        period = visible_periods(request.auth).get(pk=period_id)
    except (ReportingPeriod.DoesNotExist, ValueError):
        raise Http404 from None
    return svc.compile_summary(actor=request.auth, period=period)


@router.get("/summaries/{summary_id}", response=SummaryOut, summary="One summary report")
def get_summary(request: HttpRequest, summary_id: int):
    return _summary(request, summary_id)


@router.put(
    "/summaries/{summary_id}",
    response=SummaryOut,
    summary="Edit the summary's text (send the version you read; a stale version gives 422)",
)
def update_summary(request: HttpRequest, summary_id: int, payload: SummaryIn):
    summary = _summary(request, summary_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return svc.update_summary(actor=request.auth, summary=summary, changes=data, version=version)


@router.post(
    "/summaries/{summary_id}/approve",
    response=SummaryOut,
    summary="Approve the summary report (a leader); it is final afterwards",
)
def approve_summary(request: HttpRequest, summary_id: int):
    summary = _summary(request, summary_id)
    return svc.approve_summary(actor=request.auth, summary=summary)


@router.get(
    "/summaries/{summary_id}/document",
    response={200: None, 202: PdfPending, 422: PdfPending},
    url_name="summary_document",
    summary=(
        "Download the summary report: format=docx (default) or xlsx at once; format=pdf "
        "returns the PDF when a current one is ready, otherwise queues it and answers 202 with "
        "{status, status_url}: call the status_url (this same address) again until it gives "
        "the file; a failed conversion answers 422 with the reason"
    ),
)
def document(request: HttpRequest, summary_id: int, format: str = "docx"):
    summary = _summary(request, summary_id)
    name = docx_report.export_filename(summary)
    if format == "docx":
        response = HttpResponse(docx_report.summary_document(summary), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
        return response
    if format == "xlsx":
        response = HttpResponse(summary_workbook(summary), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if format != "pdf":
        raise Http404
    job = (
        SummaryExport.objects.filter(summary=summary, created_at__gte=summary.updated_at)
        .order_by("-created_at", "-pk")
        .first()
    )
    if job is None or job.status == "failed" and request.GET.get("retry") == "1":
        job = svc.request_pdf(actor=request.auth, summary=summary)
        job.refresh_from_db()
    status_url = reverse("api:summary_document", kwargs={"summary_id": summary.pk}) + "?format=pdf"
    if job.status == "done":
        response = HttpResponse(job.file.read(), content_type="application/pdf")
        job.file.close()
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if job.status == "failed":
        return Status(422, {"status": "failed", "status_url": status_url, "error": job.error})
    return Status(202, {"status": "pending", "status_url": status_url})

"""Screens of the summary report: compile, read and edit, approve, download.

Scope: a summary belongs to the plan's holder (the ward); its people and those above see it,
everyone else gets 404.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.activities.models import OUTPUT_FIELDS, REACH_FIELDS
from kehoach.core.concurrency import StaleEdit
from kehoach.reports import summary as svc
from kehoach.reports import summary_document as docx_report
from kehoach.reports.models import ReportingPeriod, SummaryExport, SummaryReport, SummaryStatus

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_periods(user):
    """Periods whose plan's holder the person belongs to (or is above)."""
    from kehoach.org.models import Unit

    periods = ReportingPeriod.objects.for_user(user).select_related("plan__unit")
    if user.is_staff:
        return periods
    return periods.filter(plan__unit__in=Unit.objects.for_user(user))


def get_period(user, pk: int) -> ReportingPeriod:
    return get_object_or_404(visible_periods(user), pk=pk)


def get_summary(user, pk: int) -> SummaryReport:
    return get_object_or_404(
        SummaryReport.objects.for_user(user).select_related(
            "period__plan__unit", "approved_by", "compiled_by"
        ),
        pk=pk,
    )


class SummaryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=64)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    title = forms.CharField(label=gettext_lazy("Subject"), widget=forms.Textarea(attrs={"rows": 2}))
    leadership = forms.CharField(
        label=gettext_lazy("I. Leadership, direction and dissemination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    results = forms.CharField(
        label=gettext_lazy("II. Results in the units (beside the figures)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    assessment = forms.CharField(
        label=gettext_lazy("III. Overall assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    tasks_ahead = forms.CharField(
        label=gettext_lazy("IV. Tasks ahead"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    proposals = forms.CharField(
        label=gettext_lazy("V. Proposals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recipients = forms.CharField(
        label=gettext_lazy("Recipients (one a line; a note in brackets)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    signer_authority = forms.CharField(
        label=gettext_lazy("Signing authority"), max_length=128, required=False
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title"), max_length=128, required=False
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Signer's name"), max_length=128, required=False
    )

    @staticmethod
    def initial_for(summary: SummaryReport) -> dict:
        data = {name: getattr(summary, name) for name in svc.EDITABLE_FIELDS}
        data["recipients"] = "\n".join(
            f"{r['name']} ({r['note']})" if r.get("note") else r["name"] for r in summary.recipients
        )
        data["version"] = summary.version
        return data


def _labels() -> dict:
    from kehoach.activities.models import Activity, Audience, Channel

    return {
        "channel": dict(Channel.choices),
        "audience": dict(Audience.choices),
        "output": {f: Activity._meta.get_field(f).verbose_name for f in OUTPUT_FIELDS},
        "reach": {f: Activity._meta.get_field(f).verbose_name for f in REACH_FIELDS},
    }


def _figure_rows(figures: dict) -> dict:
    """The figures with their labels, ready for the template."""
    names = _labels()
    totals = figures.get("totals") or svc.zero_unit()
    return {
        "totals": totals,
        "reach": [(names["reach"][f], totals["reach"][f]) for f in REACH_FIELDS],
        "outputs": [(names["output"][f], totals["outputs"][f]) for f in OUTPUT_FIELDS],
        "channels": [
            (names["channel"].get(c["channel"], c["channel"]), c["activities"], c["reached"])
            for c in figures.get("by_channel", [])
        ],
        "audiences": [
            (names["audience"].get(a["audience"], a["audience"]), a["activities"], a["reached"])
            for a in figures.get("by_audience", [])
        ],
        "topics": figures.get("by_topic", []),
        "units": figures.get("units", []),
        "timeliness": figures.get("timeliness") or {},
        "tasks": totals["tasks"],
    }


def summary_workbook(summary: SummaryReport) -> bytes:
    """Every figure of the summary in an .xlsx, one sheet per dimension."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    figures = summary.figures or {}
    names = docx_report.labels()
    totals = figures.get("totals") or svc.zero_unit()
    wb = Workbook()
    sheets: list[tuple[str, list[str], list[list]]] = []
    sheets.append(
        (
            _("Totals"),
            [_("Figure"), _("Value")],
            [
                [_("Unit reports accepted"), figures.get("accepted", 0)],
                [_("Activities"), totals["activities"]],
                [_("People reached"), totals["reached"]],
                *[[names["reach"][f], totals["reach"][f]] for f in REACH_FIELDS],
            ],
        )
    )
    sheets.append(
        (
            _("By topic"),
            [_("No."), _("Topic"), _("Activities"), _("People reached")],
            [
                [i, t["title"], t["activities"], t["reached"]]
                for i, t in enumerate(figures.get("by_topic", []), 1)
            ],
        )
    )
    sheets.append(
        (
            _("By unit"),
            [
                _("No."),
                _("Unit"),
                _("Activities"),
                _("People reached"),
                *[names["reach"][f] for f in REACH_FIELDS],
                *[names["output"][f] for f in OUTPUT_FIELDS],
                _("Tasks"),
                _("Done on time"),
                _("Done late"),
                _("Not done, within the deadline"),
                _("Not done, overdue"),
                _("Cancelled"),
            ],
            [
                [
                    i,
                    u["name"],
                    u["activities"],
                    u["reached"],
                    *[u["reach"][f] for f in REACH_FIELDS],
                    *[u["outputs"][f] for f in OUTPUT_FIELDS],
                    *[u["tasks"][k] for k in svc.TASK_KEYS],
                ]
                for i, u in enumerate(figures.get("units", []), 1)
            ],
        )
    )
    sheets.append(
        (
            _("By channel"),
            [_("Form"), _("Activities"), _("People reached")],
            [
                [names["channel"].get(c["channel"], c["channel"]), c["activities"], c["reached"]]
                for c in figures.get("by_channel", [])
            ],
        )
    )
    sheets.append(
        (
            _("By audience"),
            [_("Audience"), _("Activities"), _("People reached")],
            [
                [names["audience"].get(a["audience"], a["audience"]), a["activities"], a["reached"]]
                for a in figures.get("by_audience", [])
            ],
        )
    )
    sheets.append(
        (
            _("Outputs"),
            [_("Output"), _("Count")],
            [[names["output"][f], totals["outputs"][f]] for f in OUTPUT_FIELDS],
        )
    )
    tasks = totals["tasks"]
    sheets.append(
        (
            _("Tasks"),
            [_("State"), _("Count")],
            [
                [_("Tasks"), tasks["total"]],
                [_("Done on time"), tasks["done_on_time"]],
                [_("Done late"), tasks["done_late"]],
                [_("Not done, within the deadline"), tasks["pending"]],
                [_("Not done, overdue"), tasks["overdue"]],
                [_("Cancelled"), tasks["cancelled"]],
            ],
        )
    )
    timeliness = figures.get("timeliness") or {}
    sheets.append(
        (
            _("Report timeliness"),
            [_("Figure"), _("Count"), _("Rate (%)")],
            [
                [_("Reports expected"), timeliness.get("expected", 0), None],
                [
                    _("Submitted"),
                    timeliness.get("submitted", 0),
                    timeliness.get("submitted_rate", 0),
                ],
                [_("On time"), timeliness.get("on_time", 0), timeliness.get("on_time_rate", 0)],
                [_("Late"), timeliness.get("late", 0), timeliness.get("late_rate", 0)],
                [_("Missing"), timeliness.get("missing", 0), timeliness.get("missing_rate", 0)],
            ],
        )
    )
    first = True
    for title, header, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = str(title)[:31]
        ws.append([str(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([str(v) if hasattr(v, "__html__") else v for v in row])
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
def compile_page(request: HttpRequest, period_id: int) -> HttpResponse:
    """GET: the period's summary, or the button to compile it. POST: compile (coordinator)."""
    period = get_period(request.user, period_id)
    existing = SummaryReport.objects.filter(period=period).first()
    if request.method == "POST":
        try:
            summary = svc.compile_summary(actor=request.user, period=period)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The summary report has been compiled."))
            return redirect("summary:detail", pk=summary.pk)
    elif existing is not None:
        return redirect("summary:detail", pk=existing.pk)
    return render(
        request,
        "reports/summary_compile.html",
        {
            "period": period,
            "summary": existing,
            "can_compile": policy.can(request.user, "reports.compile", period),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = get_summary(request.user, pk)
    can_edit = summary.status == SummaryStatus.DRAFT and policy.can(
        request.user, "reports.compile", summary
    )
    form = None
    status = 200
    if can_edit:
        if request.method == "POST":
            form = SummaryForm(request.POST)
            if form.is_valid():
                changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                try:
                    summary = svc.update_summary(
                        actor=request.user,
                        summary=summary,
                        changes=changes,
                        version=form.cleaned_data["version"],
                    )
                except StaleEdit as exc:
                    # The person's text stays in the form, nothing is written.
                    form.add_error(None, exc)
                    status = 409
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("The changes have been saved."))
                    return redirect("summary:detail", pk=summary.pk)
        else:
            form = SummaryForm(initial=SummaryForm.initial_for(summary))
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "reports/summary_detail.html",
        {
            "summary": summary,
            "period": summary.period,
            "form": form,
            "figures": _figure_rows(summary.figures or {}),
            "can_compile": can_edit,
            "can_approve": summary.status == SummaryStatus.DRAFT
            and policy.can(request.user, "reports.approve", summary),
            "can_make_infographic": policy.can(
                request.user, "infographics.make", summary.period.plan
            ),
        },
        status=status,
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    summary = get_summary(request.user, pk)
    try:
        svc.approve_summary(actor=request.user, summary=summary)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The summary report has been approved."))
    return redirect("summary:detail", pk=summary.pk)


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """.docx and .xlsx at once; the PDF is prepared in the background."""
    summary = get_summary(request.user, pk)
    name = docx_report.export_filename(summary)
    if fmt == "pdf":
        job = svc.request_pdf(actor=request.user, summary=summary)
        return redirect("summary:export_status", pk=job.pk)
    if fmt == "xlsx":
        response = HttpResponse(summary_workbook(summary), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt != "docx":
        raise Http404
    response = HttpResponse(docx_report.summary_document(summary), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(
        SummaryExport.objects.select_related("summary__period"),
        pk=pk,
        summary__in=SummaryReport.objects.for_user(request.user),
    )
    if request.GET.get("tai") == "1" and job.status == "done":
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1]
        )
    template = (
        "reports/_summary_export_status.html"
        if request.htmx
        else "reports/summary_export_status.html"
    )
    return render(request, template, {"export": job})

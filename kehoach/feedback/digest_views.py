"""Opinion digests: a unit writes its digest for a period; the coordinator reads the ward's
digests side by side by topic, hot spots first (and downloads them as Excel)."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehoach.accounts import policy
from kehoach.core import tabular
from kehoach.core.concurrency import StaleEdit
from kehoach.core.scoping import get_for_user_or_404
from kehoach.core.text import fold
from kehoach.feedback import digests
from kehoach.feedback.models import OpinionDigest, Tone
from kehoach.feedback.tables import digests_table
from kehoach.org.models import Unit
from kehoach.reports.models import ReportingPeriod

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DigestForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    subjects = forms.CharField(
        label=gettext_lazy("Main subjects people discuss"),
        required=False,
        max_length=digests.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    problems = forms.CharField(
        label=gettext_lazy("Problems arising"),
        required=False,
        max_length=digests.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposals = forms.CharField(
        label=gettext_lazy("Proposals"),
        required=False,
        max_length=digests.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    has_hot_spot = forms.BooleanField(
        label=gettext_lazy("There is a hot spot (a matter that may flare up)"), required=False
    )

    def __init__(self, *args, topics, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topics = topics
        choices = [("", _("Not assessed")), *Tone.choices]
        for index, topic in enumerate(topics, 1):
            self.fields[self.tone_name(topic)] = forms.ChoiceField(
                label=_("Topic %(number)s: %(title)s") % {"number": index, "title": topic.title},
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def tone_name(topic) -> str:
        return f"tone_{topic.pk}"

    def tone_fields(self) -> list:
        return [self[self.tone_name(topic)] for topic in self.topics]

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "subjects": data["subjects"],
            "problems": data["problems"],
            "proposals": data["proposals"],
            "has_hot_spot": bool(data["has_hot_spot"]),
            "tones": {
                str(topic.pk): data[self.tone_name(topic)]
                for topic in self.topics
                if data.get(self.tone_name(topic))
            },
        }


def initial_for(digest: OpinionDigest | None, topics) -> dict:
    if digest is None:
        return {"version": 0}
    initial = {
        "version": digest.version,
        "subjects": digest.subjects,
        "problems": digest.problems,
        "proposals": digest.proposals,
        "has_hot_spot": digest.has_hot_spot,
    }
    for topic in topics:
        initial[DigestForm.tone_name(topic)] = (digest.tones or {}).get(str(topic.pk), "")
    return initial


def _period(request: HttpRequest, period_id: int) -> ReportingPeriod:
    return get_for_user_or_404(
        ReportingPeriod, request.user, related=("plan", "plan__unit"), pk=period_id
    )


def _unit_and_period(request: HttpRequest, period_id: int, unit_id: int):
    unit = get_for_user_or_404(Unit, request.user, pk=unit_id)
    period = _period(request, period_id)
    if not digests.in_plan_scope(unit, period):
        raise Http404
    return unit, period


def _context(request, unit, period, form=None, **extra) -> dict:
    digest = digests.digest_for(unit, period)
    report = digests.report_for(unit, period)
    topics = digests.topics_of(period)
    frozen = digests.is_frozen(report)
    can_write = not frozen and policy.can(
        request.user, "opinion.write", OpinionDigest(unit=unit, period=period)
    )
    if form is None:
        form = DigestForm(initial=initial_for(digest, topics), topics=topics)
    return {
        "unit": unit,
        "period": period,
        "plan": period.plan,
        "digest": digest,
        "report": report,
        "frozen": frozen,
        "can_write": can_write,
        "form": form,
        "texts": [(form[name], getattr(digest, name, "")) for name in digests.TEXT_FIELDS],
        "tones": digests.tone_row(digest, topics),
        "can_see_ward": policy.can(request.user, "reports.view_board", period.plan),
        **extra,
    }


@login_required
def edit(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    """The unit's digest for the period: a form for its writers, read-only for the others."""
    unit, period = _unit_and_period(request, period_id, unit_id)
    if request.method != "POST":
        return render(request, "feedback/digest_form.html", _context(request, unit, period))
    topics = digests.topics_of(period)
    form = DigestForm(request.POST, topics=topics)
    if not form.is_valid():
        context = _context(request, unit, period, form=form)
        return render(request, "feedback/digest_form.html", context, status=422)
    try:
        digests.save_digest(
            actor=request.user,
            unit=unit,
            period=period,
            changes=form.changes(),
            version=form.cleaned_data["version"],
        )
    except StaleEdit:
        return _stale(request, unit, period, topics)
    except ValidationError as exc:
        context = _context(request, unit, period, form=form, action_errors=exc.messages)
        return render(request, "feedback/digest_form.html", context, status=422)
    messages.success(request, _("The opinion digest has been saved."))
    report = digests.report_for(unit, period)
    if report is not None:
        return redirect("reports:unit_report", report_id=report.pk)
    return redirect("opinion:edit", period_id=period.pk, unit_id=unit.pk)


def _stale(request, unit, period, topics) -> HttpResponse:
    """Someone saved meanwhile: keep what this person typed, show what the other saved."""
    current = digests.digest_for(unit, period)
    data = request.POST.copy()
    data["version"] = str(current.version if current else 0)
    kept = DigestForm(data, topics=topics)
    kept.is_valid()
    context = _context(request, unit, period, form=kept, stale=True)
    return render(request, "feedback/digest_form.html", context, status=409)


@login_required
def ward(request: HttpRequest, period_id: int) -> HttpResponse:
    """The period's digests side by side: tone marks per unit and topic, hot spots first.
    Everyone sees the digests of their own scope; the coordinator sees the ward's."""
    period = _period(request, period_id)
    data = digests.ward_digests(request.user, period)
    fmt = tabular.requested_format(request)
    if fmt == "csv":
        notes = tabular.notes([(_("Plan"), period.plan), (_("Period"), period.label)])
        return tabular.response(digests_table(data, notes), _basename(period), fmt)
    if fmt == "xlsx":
        return _xlsx(period, data)
    return render(
        request,
        "feedback/digest_ward.html",
        {"period": period, "plan": period.plan, "data": data},
    )


@login_required
def ward_excel(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    return _xlsx(period, digests.ward_digests(request.user, period))


def _basename(period: ReportingPeriod) -> str:
    return slugify(fold(f"du luan {period.label}"))[:60] or "du-luan"


def _xlsx(period: ReportingPeriod, data: dict) -> HttpResponse:
    response = HttpResponse(workbook(period, data), content_type=XLSX)
    name = _basename(period)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def workbook(period: ReportingPeriod, data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {
        Tone.POSITIVE: PatternFill("solid", start_color="D9EAD3", end_color="D9EAD3"),
        Tone.MIXED: PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC"),
        Tone.NEGATIVE: PatternFill("solid", start_color="F4CCCC", end_color="F4CCCC"),
    }
    wb = Workbook()
    ws = wb.active
    ws.title = _("Opinion")[:31]
    ws.cell(row=1, column=1, value=f"{period.plan} — {period.label}").font = bold
    topics = data["topics"]
    headers = [
        _("Unit"),
        _("Hot spot"),
        *[_("Topic %(number)s") % {"number": i} for i in range(1, len(topics) + 1)],
        _("Main subjects people discuss"),
        _("Problems arising"),
        _("Proposals"),
    ]
    for col, label in enumerate(headers, start=1):
        ws.cell(row=3, column=col, value=label).font = bold
    line = 4
    for row in data["rows"]:
        digest = row["digest"]
        ws.cell(row=line, column=1, value=row["unit"].name)
        ws.cell(row=line, column=2, value=_("Yes") if digest.has_hot_spot else "")
        for col, mark in enumerate(row["tones"], start=3):
            if mark["tone"]:
                cell = ws.cell(row=line, column=col, value=str(mark["label"]))
                cell.fill = fills[mark["tone"]]
        base = 3 + len(topics)
        for offset, text in enumerate((digest.subjects, digest.problems, digest.proposals)):
            cell = ws.cell(row=line, column=base + offset, value=tabular.safe_text(text))
            cell.alignment = wrap
        line += 1
    for unit in data["missing"]:
        ws.cell(row=line, column=1, value=unit.name)
        ws.cell(row=line, column=3 + len(topics), value=_("No digest yet"))
        line += 1
    ws.column_dimensions["A"].width = 36
    for offset in range(3):
        ws.column_dimensions[chr(ord("A") + 2 + len(topics) + offset)].width = 50
    ws.freeze_panes = "B4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.core import tabular
from kehoach.core.scoping import get_for_user_or_404
from kehoach.plans import convert, services
from kehoach.plans import models as m
from kehoach.plans.forms import (
    DutyForm,
    IssueForm,
    PlanEditForm,
    ReviewForm,
    SectionRolesForm,
    SubPlanForm,
    TopicForm,
    UploadForm,
)
from kehoach.plans.highlight import highlighted
from kehoach.plans.messages import render as render_notice
from kehoach.plans.tables import plans_table


def _require(request: HttpRequest, action: str, obj=None) -> None:
    if not policy.can(request.user, action, obj):
        raise PermissionDenied


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        m.Plan.objects.for_user(request.user)
        .select_related("unit", "parent")
        .order_by("-date", "-created_at")
    )
    if fmt := tabular.requested_format(request):
        return tabular.response(plans_table(plans, tabular.notes()), "ke-hoach", fmt)
    return render(
        request,
        "plans/list.html",
        {
            "plans": plans,
            "can_import": policy.can(request.user, "plans.import"),
        },
    )


def plan_with_children(user, pk: int) -> m.Plan:
    plan = get_for_user_or_404(m.Plan, user, pk=pk)
    # Everything the page shows, in a fixed number of queries whatever the plan's size.
    return (
        m.Plan.objects.filter(pk=plan.pk)
        .select_related("unit", "issuing_unit", "parent")
        .prefetch_related(
            Prefetch("topics", queryset=m.Topic.objects.prefetch_related("citations__document")),
            "channels",
            Prefetch(
                "assignments",
                queryset=m.Assignment.objects.prefetch_related("duties", "targets__unit"),
            ),
            "recipients",
            Prefetch(
                "citations",
                queryset=m.Citation.objects.filter(topic=None).select_related("document"),
            ),
            "sub_plans",
        )
        .get()
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_with_children(request.user, pk)
    sub_plan_units = list(SubPlanForm(user=request.user, plan=plan).fields["unit"].queryset)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "can_edit": policy.can(request.user, "plans.edit", plan),
            "can_issue": policy.can(request.user, "plans.issue", plan) and plan.status == "draft",
            "can_sub_plan": bool(sub_plan_units),
            "sub_plan_units": sub_plan_units,
            "can_see_history": policy.can(request.user, "audit.view_history", plan),
            "can_view_coverage": policy.can(request.user, "plans.view_coverage", plan),
            "sub_plans": m.Plan.objects.for_user(request.user).filter(parent=plan),
        },
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _require(request, "plans.import")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            if upload_file:
                staged = services.stage_import(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    data=upload_file.read(),
                    filename=upload_file.name,
                )
            else:
                staged = services.stage_import(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    text=form.cleaned_data["text"],
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("plans:review", pk=staged.pk)
    return render(request, "plans/upload.html", {"form": form})


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    staged = get_for_user_or_404(m.PlanImport, request.user, pk=pk)
    sections_form = SectionRolesForm(
        request.POST if "phan_loai" in request.POST else None,
        sections=staged.parsed.get("sections", []),
    )
    if "phan_loai" in request.POST:
        if sections_form.is_valid():
            try:
                services.reclassify_sections(
                    actor=request.user, staged=staged, roles=sections_form.roles()
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The plan has been read again with your sections."))
        return redirect("plans:review", pk=staged.pk)
    form = ReviewForm(request.POST or None, staged=staged, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.save_import(actor=request.user, staged=staged, choices=form.choices())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect("plans:detail", pk=plan.pk)
    parsed = convert.from_store(staged.parsed, staged.source_text)
    return render(
        request,
        "plans/review.html",
        {
            "staged": staged,
            "parsed": parsed,
            "form": form,
            "sections_form": sections_form,
            "source_html": highlighted(staged.source_text, parsed.spans),
            "warnings": [render_notice(n) for n in parsed.warnings],
            "twin": services._twin(staged.unit, parsed),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user_or_404(m.Plan, request.user, pk=pk)
    _require(request, "plans.edit", plan)
    form = PlanEditForm(
        request.POST or None,
        instance=m.Plan.objects.get(pk=plan.pk),
        initial={"seen_updated_at": plan.updated_at},
    )
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in PlanEditForm.Meta.fields}
        try:
            services.update_plan(
                actor=request.user,
                plan=plan,
                changes=changes,
                seen_updated_at=form.cleaned_data["seen_updated_at"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/edit.html", {"form": form, "plan": plan})


@login_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user_or_404(m.Plan, request.user, pk=pk)
    _require(request, "plans.issue", plan)
    form = IssueForm(
        request.POST or None,
        initial={
            "number": plan.number or services.proposed_number(plan),
            "date": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_plan(
                actor=request.user,
                plan=plan,
                number=form.cleaned_data["number"],
                on=form.cleaned_data["date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The plan has been issued."))
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/issue.html", {"form": form, "plan": plan})


@login_required
@require_POST
def sub_plan(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_for_user_or_404(m.Plan, request.user, pk=pk)
    form = SubPlanForm(request.POST, user=request.user, plan=parent)
    if not form.is_valid():
        messages.error(request, _("Choose one of your units that has duties in this plan."))
        return redirect("plans:detail", pk=parent.pk)
    try:
        plan = services.create_sub_plan(
            actor=request.user, parent=parent, unit=form.cleaned_data["unit"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plans:detail", pk=parent.pk)
    messages.success(request, _("Your unit's plan has been drafted from this plan."))
    return redirect("plans:detail", pk=plan.pk)


@login_required
def original(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user_or_404(m.Plan, request.user, pk=pk)
    if not plan.original_file:
        from django.http import Http404

        raise Http404
    return FileResponse(
        plan.original_file.open("rb"), as_attachment=True, filename=plan.original_name or "ke-hoach"
    )


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan in the official format: .docx at once, .pdf prepared in the background."""
    from kehoach.documents.profiles import profile_from_settings
    from kehoach.documents.writer import render_docx

    plan = plan_with_children(request.user, pk)
    if fmt == "pdf":
        export = services.request_pdf(actor=request.user, plan=plan)
        return redirect("plans:export_status", pk=export.pk)
    data = render_docx(convert.from_model(plan), profile_from_settings(family=plan.family))
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{services.export_filename(plan)}.docx"'
    )
    return response


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    plans = m.Plan.objects.for_user(request.user)
    export = get_object_or_404(m.PlanExport.objects.select_related("plan"), pk=pk, plan__in=plans)
    if request.GET.get("tai") == "1" and export.status == m.ExportStatus.DONE:
        return FileResponse(
            export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1]
        )
    template = "plans/_export_status.html" if request.htmx else "plans/export_status.html"
    return render(request, template, {"export": export})


@login_required
def edit_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(
        m.Topic.objects.select_related("plan"),
        pk=pk,
        plan__in=m.Plan.objects.for_user(request.user),
    )
    _require(request, "plans.edit", topic.plan)
    form = TopicForm(
        request.POST or None, initial={"title": topic.title, "points": "\n".join(topic.points)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_topic(
                actor=request.user,
                topic=topic,
                title=form.cleaned_data["title"],
                points=form.cleaned_data["points"].splitlines(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(f"{reverse('plans:detail', args=[topic.plan_id])}#topic-{topic.pk}")
    return render(
        request,
        "plans/edit_part.html",
        {"form": form, "plan": topic.plan, "title": _("Edit topic")},
    )


@login_required
def edit_duty(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(
        m.Duty.objects.select_related("assignment__plan"),
        pk=pk,
        assignment__plan__in=m.Plan.objects.for_user(request.user),
    )
    plan = duty.assignment.plan
    _require(request, "plans.edit", plan)
    form = DutyForm(request.POST or None, instance=m.Duty.objects.get(pk=duty.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_duty(
                actor=request.user,
                duty=duty,
                changes={f: form.cleaned_data[f] for f in DutyForm.Meta.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(f"{reverse('plans:detail', args=[plan.pk])}#duty-{duty.pk}")
    return render(
        request, "plans/edit_part.html", {"form": form, "plan": plan, "title": _("Edit duty")}
    )

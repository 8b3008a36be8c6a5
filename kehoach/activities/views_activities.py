"""Activity pages: quick entry, detail, edit, delete, unlock, evidence, list, calendar, export."""

from __future__ import annotations

import calendar as cal
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kehoach.accounts import policy
from kehoach.activities import activity_services as services
from kehoach.activities.exports import activities_table, activities_workbook, export_filename
from kehoach.activities.forms_activities import (
    ActivityFilterForm,
    ActivityForm,
    EvidenceForm,
    UnlockForm,
    initial_for_edit,
    initial_for_entry,
)
from kehoach.activities.models import (
    OUTPUT_FIELDS,
    REACH_FIELDS,
    Activity,
    ActivityTopic,
    Evidence,
    EvidenceKind,
    Task,
)
from kehoach.activities.rows import activity_rows, list_rows
from kehoach.core import tabular
from kehoach.core.once import single_submission
from kehoach.core.scoping import get_for_user_or_404

PAGE_SIZE = 50
CALENDAR_LIMIT = 600  # activities drawn in a month grid; beyond that, days show counts only
PER_DAY = 3


def _attach(form, exc: ValidationError) -> None:
    """A service's errors onto the form: by field where the form has one, on top otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = "link" if field == "links" else field
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _with_details(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("unit", "plan", "task", "created_by").prefetch_related(
        Prefetch("topic_links", queryset=ActivityTopic.objects.select_related("topic")),
        "audiences",
    )


def _activity(user, pk: int) -> Activity:
    found = get_for_user_or_404(Activity, user, pk=pk)
    return _with_details(Activity.objects.filter(pk=found.pk)).prefetch_related("evidence").get()


# ---------------------------------------------------------------- entry


def _form_context(form: ActivityForm, activity: Activity | None) -> dict:
    max_mb = number_format(settings.MAX_UPLOAD_BYTES / (1024 * 1024), 0)
    return {"form": form, "activity": activity, "max_mb": max_mb}


@login_required
@single_submission
def create(request: HttpRequest) -> HttpResponse:
    task = None
    if request.GET.get("viec", "").isdigit():
        task = Task.objects.for_user(request.user).filter(pk=request.GET["viec"]).first()
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial=initial_for_entry(request.user, task=task),
    )
    if not form.units:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        link = (form.cleaned_data.get("link") or "").strip()
        try:
            activity = services.log_activity(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                files=form.cleaned_data.get("files") or [],
                links=[link] if link else [],
                **form.entry(),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The activity has been saved."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", _form_context(form, None))


@login_required
@require_GET
def form_part(request: HttpRequest) -> HttpResponse:
    """htmx: the plan, topics and task fields again after the unit or the plan changed."""
    activity = None
    if request.GET.get("hoat_dong", "").isdigit():
        activity = _activity(request.user, int(request.GET["hoat_dong"]))
    # Unbound, so the fields show what was chosen and the defaults for what was not.
    initial = {name: request.GET[name] for name in ("unit", "plan") if name in request.GET}
    form = ActivityForm(user=request.user, activity=activity, initial=initial)
    return render(request, "activities/activity_form_part.html", {"form": form})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request.user, pk)
    if not policy.can(request.user, "activities.log", activity):
        raise PermissionDenied
    if activity.is_locked:
        messages.error(request, _("This activity is locked and cannot be changed."))
        return redirect("activities:detail", pk=activity.pk)
    form = ActivityForm(
        request.POST or None,
        user=request.user,
        activity=activity,
        initial=initial_for_edit(activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                actor=request.user,
                activity=activity,
                changes=form.entry(),
                seen_updated_at=form.cleaned_data.get("seen_updated_at"),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", _form_context(form, activity))


# ---------------------------------------------------------------- one activity


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request.user, pk)
    can_log = policy.can(request.user, "activities.log", activity)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "reach": [
                (activity._meta.get_field(f).verbose_name, getattr(activity, f))
                for f in REACH_FIELDS
            ],
            "outputs": [
                (activity._meta.get_field(f).verbose_name, getattr(activity, f))
                for f in OUTPUT_FIELDS
                if getattr(activity, f)
            ],
            "evidence": list(activity.evidence.all()),
            "can_change": can_log and not activity.is_locked,
            "can_unlock": activity.is_locked
            and policy.can(request.user, "activities.unlock", activity),
            "evidence_form": EvidenceForm(),
            "unlock_form": UnlockForm(),
        },
    )


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user_or_404(Activity, request.user, pk=pk)
    try:
        services.delete_activity(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:detail", pk=activity.pk)
    return redirect(reverse("activities:list") + f"?da_xoa={activity.pk}")


@login_required
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    # Deleted activities are outside every normal read; look in the same scope among them.
    deleted = Activity.objects.filter(deleted_at__isnull=False)
    activity = deleted.filter(pk=pk, unit__in=_scope_units(request.user)).first()
    if activity is None:
        raise Http404
    services.restore_activity(actor=request.user, activity=activity)
    messages.success(request, _("The activity has been restored."))
    return redirect("activities:detail", pk=activity.pk)


def _scope_units(user):
    from kehoach.org.models import Unit

    if user.is_staff:
        return Unit.objects.all()
    return Unit.objects.own_for_user(user)


@login_required
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request.user, pk)
    if not policy.can(request.user, "activities.unlock", activity):
        raise PermissionDenied
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unlock_activity(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The activity has been unlocked."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_unlock.html", {"form": form, "activity": activity})


# ---------------------------------------------------------------- evidence


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user_or_404(Activity, request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                actor=request.user,
                activity=activity,
                upload=form.cleaned_data.get("file"),
                url=(form.cleaned_data.get("link") or "").strip(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The evidence has been added."))
    else:
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
    return redirect("activities:detail", pk=activity.pk)


def _evidence(user, pk: int) -> Evidence:
    found = (
        Evidence.objects.select_related("activity__unit")
        .filter(pk=pk, activity__in=Activity.objects.for_user(user))
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = _evidence(request.user, pk)
    try:
        services.remove_evidence(actor=request.user, evidence=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The evidence has been removed."))
    return redirect("activities:detail", pk=item.activity_id)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Streams a stored file to someone who may see its activity; never a public address."""
    item = _evidence(request.user, pk)
    if item.kind == EvidenceKind.LINK or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=item.content_type or "application/octet-stream",
        as_attachment=item.kind != EvidenceKind.PHOTO,
        filename=item.original_name or item.file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---------------------------------------------------------------- lists


def _filtered(request: HttpRequest) -> tuple[ActivityFilterForm, QuerySet[Activity]]:
    form = ActivityFilterForm(request.GET, user=request.user)
    return form, form.apply(Activity.objects.for_user(request.user))


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("trang", "da_xoa", *drop):
        query.pop(name, None)
    return query.urlencode()


def totals(activities: QuerySet[Activity]) -> dict:
    sums = activities.order_by().aggregate(
        # Filters match an activity at most once (topic and audience links are unique).
        # COUNT(*), not of the id: PostgreSQL then answers from the covering index alone.
        count=Count("*"),
        **{f: Sum(f) for f in services.COUNT_FIELDS},
    )
    return {k: v or 0 for k, v in sums.items()}


def _labelled(sums: dict, names) -> list[tuple[str, int]]:
    return [(Activity._meta.get_field(f).verbose_name, sums[f]) for f in names]


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    if tabular.requested_format(request):
        # `?xuat=` on the list itself, as on every other list.
        return export(request)
    form, activities = _filtered(request)
    # Page over the bare filtered rows, then load details for the fifty shown: joining
    # and grouping the whole filtered set only to show one page is what made it slow.
    sums = totals(activities)
    paginator = Paginator(activities.order_by("-date", "-pk"), PAGE_SIZE)
    # The totals already counted the rows; a second COUNT(*) over them is wasted work.
    paginator.__dict__["count"] = sums["count"]
    page = paginator.get_page(request.GET.get("trang"))
    # Only what a row shows: plans, tasks, authors and audiences are for the detail page
    # and the exports.
    page.object_list = list_rows(list(page.object_list.values_list("pk", flat=True)))
    deleted = None
    if request.GET.get("da_xoa", "").isdigit():
        deleted = int(request.GET["da_xoa"])
    return render(
        request,
        "activities/activity_list.html",
        {
            "form": form,
            "page": page,
            "rows": activity_rows(page.object_list),
            "sums": sums,
            "reach_totals": _labelled(sums, REACH_FIELDS),
            "output_totals": _labelled(sums, OUTPUT_FIELDS),
            "reached_total": sum(sums[f] for f in REACH_FIELDS),
            "query": _query(request),
            "deleted": deleted,
            "can_log": policy.can(request.user, "activities.log"),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    form, activities = _filtered(request)
    rows = (
        _with_details(activities)
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("-date", "-pk")
    )
    if request.GET.get("xuat") == "csv":
        return tabular.response(activities_table(rows, form.filters()), "hoat-dong", "csv")
    content = activities_workbook(rows, form.filters())
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    return response


def _month(raw: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    form, activities = _filtered(request)
    first = _month(request.GET.get("thang"))
    last = first.replace(day=cal.monthrange(first.year, first.month)[1])
    in_month = activities.filter(date__gte=first, date__lte=last)
    per_day = {
        row["date"]: row
        for row in in_month.order_by()
        .values("date")
        .annotate(n=Count("pk", distinct=True), participants=Sum("participants"))
    }
    shown: dict[date, list[Activity]] = defaultdict(list)
    for activity in in_month.select_related("unit").order_by("date", "pk")[:CALENDAR_LIMIT]:
        if len(shown[activity.date]) < PER_DAY:
            shown[activity.date].append(activity)
    base = _query(request, "thang", "date_from", "date_to")
    list_url = reverse("activities:list")
    weeks = []
    for week in cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        days = []
        for day in week:
            info = per_day.get(day)
            count = info["n"] if info else 0
            day_query = f"date_from={day:%Y-%m-%d}&date_to={day:%Y-%m-%d}"
            days.append(
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "today": day == timezone.localdate(),
                    "count": count,
                    "activities": shown.get(day, []),
                    "more": max(count - len(shown.get(day, [])), 0),
                    "url": f"{list_url}?{base + '&' if base else ''}{day_query}",
                }
            )
        weeks.append(days)
    return render(
        request,
        "activities/calendar.html",
        {
            "form": form,
            "month": first,
            "weeks": weeks,
            "total": sum(row["n"] for row in per_day.values()),
            "previous": f"?{base + '&' if base else ''}thang={_shift(first, -1):%Y-%m}",
            "next": f"?{base + '&' if base else ''}thang={_shift(first, 1):%Y-%m}",
            "weekdays": [
                _("Mon"),
                _("Tue"),
                _("Wed"),
                _("Thu"),
                _("Fri"),
                _("Sat"),
                _("Sun"),
            ],
        },
    )

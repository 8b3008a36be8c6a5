"""Content pages: list, awaiting my review, editor, detail with its transitions, calendar, gaps."""

from __future__ import annotations

import calendar as cal
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.content import services
from kehoach.content.forms import (
    CommentForm,
    ContentForm,
    FilterForm,
    MediaForm,
    ScheduleForm,
    drafting_units,
)
from kehoach.content.models import (
    ContentItem,
    ContentMedia,
    ContentStatus,
    ContentTarget,
    ContentTopic,
    Outlet,
)
from kehoach.content.tables import items_table, review_queue_table
from kehoach.core import tabular
from kehoach.core.once import single_submission
from kehoach.core.scoping import get_for_user_or_404
from kehoach.plans.models import Plan, Topic

PAGE_SIZE = 50
CALENDAR_STATUSES = (ContentStatus.SCHEDULED, ContentStatus.PUBLISHED)


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def with_details(items: QuerySet[ContentItem]) -> QuerySet[ContentItem]:
    return items.select_related("unit").prefetch_related(
        Prefetch("targets", queryset=ContentTarget.objects.order_by("pk")),
        Prefetch("topic_links", queryset=ContentTopic.objects.select_related("topic")),
    )


def _item(user, pk: int) -> ContentItem:
    found = get_for_user_or_404(ContentItem, user, pk=pk)
    return (
        with_details(ContentItem.objects.filter(pk=found.pk))
        .select_related("reviewed_by", "created_by", "plan", "activity")
        .prefetch_related("media")
        .get()
    )


# ---------------------------------------------------------------- lists


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, user=request.user)
    items = with_details(form.apply(ContentItem.objects.for_user(request.user))).distinct()
    if fmt := tabular.requested_format(request):
        notes = tabular.notes(tabular.form_filters(form))
        table = items_table(items.order_by("-created_at", "-pk"), notes)
        return tabular.response(table, "noi-dung", fmt)
    page = Paginator(items.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "content/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_draft": policy.can(request.user, "content.draft"),
        },
    )


def awaiting_review(user) -> list[ContentItem]:
    """Items the person may review, oldest submission first."""
    submitted = with_details(
        ContentItem.objects.for_user(user).filter(status=ContentStatus.SUBMITTED)
    ).order_by("submitted_at", "pk")
    return [i for i in submitted if policy.can(user, services.reviewer_action(i), i)]


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    items = awaiting_review(request.user)
    now = timezone.now()
    if fmt := tabular.requested_format(request):
        table = review_queue_table(items, tabular.notes(), now)
        return tabular.response(table, "cho-duyet", fmt)
    rows = [(item, now - item.submitted_at if item.submitted_at else None) for item in items]
    return render(request, "content/review_queue.html", {"rows": rows})


# ---------------------------------------------------------------- editing


def _save_media(request, form, item) -> bool:
    upload = form.cleaned_data.get("media")
    if not upload:
        return True
    try:
        services.add_media(actor=request.user, item=item, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True


@login_required
@single_submission
def create(request: HttpRequest) -> HttpResponse:
    if not drafting_units(request.user):
        raise PermissionDenied
    form = ContentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(
                actor=request.user, unit=form.cleaned_data["unit"], **form.values()
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            _save_media(request, form, item)
            messages.success(request, _("The content item has been saved as a draft."))
            return redirect("content:detail", pk=item.pk)
    return render(request, "content/form.html", {"form": form, "item": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request.user, pk)
    if not services.can_edit(request.user, item):
        raise PermissionDenied
    form = ContentForm(request.POST or None, request.FILES or None, user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.update_item(
                actor=request.user,
                item=item,
                version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            _save_media(request, form, item)
            messages.success(request, _("The changes have been saved."))
            return redirect("content:detail", pk=item.pk)
    return render(request, "content/form.html", {"form": form, "item": item})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request.user, pk)
    transitions = services.allowed_transitions(request.user, item)
    return render(
        request,
        "content/detail.html",
        {
            "item": item,
            "outlets": [t.get_outlet_display() for t in item.targets.all()],
            "topics": [link.topic for link in item.topic_links.all()],
            "media": list(item.media.all()),
            "transitions": transitions,
            "can_edit": services.can_edit(request.user, item),
            "comment_form": CommentForm(),
            "schedule_form": ScheduleForm(),
            "media_form": MediaForm(),
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    item = _item(request.user, pk)
    action = services.TRANSITIONS.get(name)
    if action is None:
        raise Http404
    extra: dict = {}
    if name == "request_changes":
        extra["comment"] = request.POST.get("comment", "")
    elif name == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the date and time to publish."))
            return redirect("content:detail", pk=item.pk)
        extra["when"] = form.cleaned_data["when"]
    try:
        action(actor=request.user, item=item, **extra)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("content:detail", pk=item.pk)
    messages.success(request, _("Done."))
    return redirect("content:detail", pk=item.pk)


@login_required
@require_POST
def add_media(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request.user, pk)
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_media(actor=request.user, item=item, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The file has been added."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("content:detail", pk=item.pk)


@login_required
def media_file(request: HttpRequest, pk: int) -> FileResponse:
    media = ContentMedia.objects.select_related("item").filter(pk=pk).first()
    if (
        media is None
        or not ContentItem.objects.for_user(request.user).filter(pk=media.item_id).exists()
    ):
        raise Http404
    response = FileResponse(media.file.open("rb"), content_type=media.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- calendar


def _period(request: HttpRequest) -> tuple[str, date, date, str, str]:
    """('week'|'month', first day, last day, previous, next) from ?tuan= or ?thang=."""
    today = timezone.localdate()
    week = request.GET.get("tuan", "")
    if week:
        try:
            start = datetime.strptime(week + "-1", "%G-W%V-%u").date()
        except ValueError:
            raise Http404 from None
        prev_w, next_w = start - timedelta(days=7), start + timedelta(days=7)
        return (
            "week",
            start,
            start + timedelta(days=6),
            "tuan=" + prev_w.strftime("%G-W%V"),
            "tuan=" + next_w.strftime("%G-W%V"),
        )
    month = request.GET.get("thang", "")
    if month:
        try:
            first = datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise Http404 from None
    else:
        first = today.replace(day=1)
    last = first.replace(day=cal.monthrange(first.year, first.month)[1])
    prev_m = (first - timedelta(days=1)).replace(day=1)
    next_m = last + timedelta(days=1)
    return (
        "month",
        first,
        last,
        "thang=" + prev_m.strftime("%Y-%m"),
        "thang=" + next_m.strftime("%Y-%m"),
    )


def calendar_items(user, outlet: str, start: date, end: date) -> QuerySet[ContentItem]:
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    items = (
        ContentItem.objects.for_user(user)
        .filter(status__in=CALENDAR_STATUSES)
        .annotate(when=Coalesce("published_at", "scheduled_for"))
        .filter(when__gte=since, when__lt=until)
    )
    if outlet:
        items = items.filter(targets__outlet=outlet)
    return items.select_related("unit").order_by("when", "pk").distinct()


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    outlet = request.GET.get("outlet", "")
    if outlet and outlet not in Outlet.values:
        raise Http404
    mode, start, end, prev_q, next_q = _period(request)
    by_day: dict[date, list] = defaultdict(list)
    for item in calendar_items(request.user, outlet, start, end):
        by_day[timezone.localtime(item.when).date()].append(item)
    if mode == "week":
        weeks = [[start + timedelta(days=i) for i in range(7)]]
    else:
        weeks = cal.Calendar().monthdatescalendar(start.year, start.month)
    grid = [[(day, by_day.get(day, []), start <= day <= end) for day in week] for week in weeks]
    outlet_q = f"outlet={outlet}&" if outlet else ""
    return render(
        request,
        "content/calendar.html",
        {
            "mode": mode,
            "start": start,
            "end": end,
            "grid": grid,
            "outlet": outlet,
            "outlets": Outlet.choices,
            "prev_query": outlet_q + prev_q,
            "next_query": outlet_q + next_q,
            "this_week": start.strftime("%G-W%V"),
            "this_month": start.strftime("%Y-%m"),
        },
    )


# ---------------------------------------------------------------- topics without content


def uncovered_topics(user, weeks: int) -> list[Topic]:
    now = timezone.now()
    until = now + timedelta(weeks=weeks)
    covered = ContentTopic.objects.filter(
        item__in=ContentItem.objects.for_user(user).filter(
            status=ContentStatus.SCHEDULED, scheduled_for__gte=now, scheduled_for__lt=until
        )
    ).values("topic_id")
    return list(
        Topic.objects.filter(plan__in=Plan.objects.for_user(user))
        .exclude(pk__in=covered)
        .select_related("plan")
        .order_by("plan_id", "order", "pk")
    )


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "content.schedule"):
        raise PermissionDenied
    raw = request.GET.get("tuan", "4")
    weeks = int(raw) if raw.isdigit() and 1 <= int(raw) <= 52 else 4
    return render(
        request,
        "content/gaps.html",
        {"topics": uncovered_topics(request.user, weeks), "weeks": weeks},
    )

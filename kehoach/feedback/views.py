"""Concern screens: the list, recording, one concern with its handling steps, attachments;
the resident's public form and private follow-up page; the home-page block."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.accounts.throttle import client_address
from kehoach.core import tabular
from kehoach.core.once import single_submission
from kehoach.core.scoping import get_for_user_or_404
from kehoach.feedback import services, sheets
from kehoach.feedback.forms import (
    AnswerForm,
    ConcernFilterForm,
    ConcernForm,
    DuplicateForm,
    NoteForm,
    PublicConcernForm,
    RerouteForm,
    TransferForm,
    UrgencyForm,
)
from kehoach.feedback.models import Concern, ConcernAttachment, ConcernStatus, Urgency

PAGE_SIZE = 50
HOME_LINES = 5
S = ConcernStatus


def _annotate(concerns, user, now):
    for concern in concerns:
        concern.is_overdue = services.is_overdue(concern, now)
        concern.is_hot = concern.urgency == Urgency.HOT_SPOT
    return concerns


def _urgent_first(concerns):
    rank = Case(
        When(urgency=Urgency.HOT_SPOT, then=Value(0)),
        When(urgency=Urgency.ATTENTION, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return concerns.annotate(urgency_rank=rank).order_by("urgency_rank", "-created_at", "-pk")


@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = ConcernFilterForm(request.GET or None, user=request.user)
    concerns = Concern.objects.for_user(request.user).select_related("unit")
    if form.is_valid():
        concerns = form.apply(concerns, now)
    if fmt := tabular.requested_format(request):
        return tabular.response(sheets.concerns_table(concerns, sheets.notes(form)), "y-kien", fmt)
    page = Paginator(_urgent_first(concerns), PAGE_SIZE).get_page(request.GET.get("trang"))
    page.object_list = _annotate(list(page.object_list), request.user, now)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "feedback/concern_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_record": policy.can(request.user, "concerns.record"),
        },
    )


@login_required
@single_submission
def record(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "concerns.record"):
        raise PermissionDenied
    form = ConcernForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                concern = services.record_concern(
                    actor=request.user,
                    unit=data["unit"],
                    source=data["source"],
                    category=data["category"],
                    topic=data["topic"],
                    place=data["place"],
                    summary=data["summary"],
                    people_count=data["people_count"],
                    urgency=data["urgency"],
                    wants_answer=data["wants_answer"],
                    resident_name=data["resident_name"],
                    resident_contact=data["resident_contact"],
                    files=data["files"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The concern is recorded with code %(code)s and sent to %(unit)s.")
                    % {"code": concern.code, "unit": concern.unit.name},
                )
                if Concern.objects.for_user(request.user).filter(pk=concern.pk).exists():
                    return redirect("feedback:detail", pk=concern.pk)
                return redirect("feedback:list")
        status = 422
    return render(request, "feedback/concern_form.html", {"form": form}, status=status)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _concern(request: HttpRequest, pk: int) -> Concern:
    concern = get_for_user_or_404(Concern, request.user, pk=pk)
    return Concern.objects.select_related(
        "unit", "ward", "recorded_by_unit", "topic", "duplicate_of", "created_by"
    ).get(pk=concern.pk)


def _detail_context(request: HttpRequest, concern: Concern, **forms) -> dict:
    user = request.user
    now = timezone.now()
    _annotate([concern], user, now)
    can_handle = policy.can(user, "concerns.handle", concern)
    can_route = policy.can(user, "concerns.route", concern)
    status = concern.status
    is_open = status in services.OPEN
    return {
        "concern": concern,
        "attachments": list(concern.attachments.all()),
        "show_contact": services.may_see_contact(user, concern),
        "can_acknowledge": can_handle and status in services.AWAITING_ACK,
        "can_start": can_handle and status in services.AWAITING_ACK | {S.ACKNOWLEDGED},
        "can_answer": can_handle and (is_open or status == S.ANSWERED),
        "can_close": can_handle and status == S.ANSWERED,
        "can_reopen": can_handle and status in services.FINAL,
        "can_transfer": can_handle and is_open,
        "can_reroute": can_route and is_open,
        "can_urgency": can_handle and (is_open or status == S.ANSWERED),
        "can_see_history": policy.can(user, "audit.view_history", concern),
        "answer_form": forms.get("answer_form")
        or AnswerForm(initial={"answer": concern.answer, "seen": concern.updated_at}),
        "note_form": forms.get("note_form") or NoteForm(),
        "transfer_form": forms.get("transfer_form") or TransferForm(concern=concern, user=user),
        "reroute_form": forms.get("reroute_form") or RerouteForm(concern=concern, user=user),
        "duplicate_form": forms.get("duplicate_form") or DuplicateForm(),
        "urgency_form": forms.get("urgency_form")
        or UrgencyForm(initial={"urgency": concern.urgency}),
        "follow_url": request.build_absolute_uri(reverse("feedback:follow", args=[concern.token]))
        if can_handle
        else "",
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern(request, pk)
    return render(request, "feedback/concern_detail.html", _detail_context(request, concern))


def _refused(request, concern, exc: ValidationError, **forms) -> HttpResponse:
    context = _detail_context(request, concern, **forms)
    context["action_errors"] = exc.messages
    return render(request, "feedback/concern_detail.html", context, status=422)


def _simple(service, message):
    def run(request, concern):
        service(actor=request.user, concern=concern)
        return message()

    return run


def _answer(request, concern):
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise _FormError(form, "answer_form")
    services.answer(
        actor=request.user,
        concern=concern,
        text=form.cleaned_data["answer"],
        seen=form.cleaned_data["seen"],
    )
    return _("The answer is saved; the resident can read it through their link.")


def _out_of_scope(request, concern):
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise _FormError(form, "note_form")
    services.mark_out_of_scope(actor=request.user, concern=concern, note=form.cleaned_data["note"])
    return _("The concern is marked outside our competence.")


def _transfer(request, concern):
    form = TransferForm(request.POST, concern=concern, user=request.user)
    if not form.is_valid():
        raise _FormError(form, "transfer_form")
    services.transfer(
        actor=request.user,
        concern=concern,
        unit=form.cleaned_data["unit"],
        note=form.cleaned_data["note"],
    )
    return _("The concern has been transferred.")


def _reroute(request, concern):
    form = RerouteForm(request.POST, concern=concern, user=request.user)
    if not form.is_valid():
        raise _FormError(form, "reroute_form")
    services.reroute(
        actor=request.user,
        concern=concern,
        unit=form.cleaned_data["unit"],
        note=form.cleaned_data["note"],
    )
    return _("The concern has been routed to another unit.")


def _duplicate(request, concern):
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        raise _FormError(form, "duplicate_form")
    original = services.find_original(concern, form.cleaned_data["original"])
    services.mark_duplicate(actor=request.user, concern=concern, original=original)
    return _("The concern is marked as a duplicate.")


def _urgency(request, concern):
    form = UrgencyForm(request.POST)
    if not form.is_valid():
        raise _FormError(form, "urgency_form")
    services.set_urgency(actor=request.user, concern=concern, urgency=form.cleaned_data["urgency"])
    return _("The urgency has been changed.")


class _FormError(Exception):
    def __init__(self, form, name: str) -> None:
        super().__init__(name)
        self.form, self.name = form, name


ACTIONS = {
    "tiep-nhan": _simple(services.acknowledge, lambda: _("The concern is acknowledged.")),
    "xu-ly": _simple(services.start, lambda: _("The concern is being handled.")),
    "tra-loi": _answer,
    "dong": _simple(services.close, lambda: _("The concern is closed.")),
    "mo-lai": _simple(services.reopen, lambda: _("The concern is open again.")),
    "chuyen": _transfer,
    "dieu-phoi": _reroute,
    "ngoai-tham-quyen": _out_of_scope,
    "trung-lap": _duplicate,
    "muc-do": _urgency,
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One handling step; an unknown step is a 404, a step the role may not take a 403."""
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    concern = _concern(request, pk)
    # The role first: a person who may not take the step learns that before any input error.
    policy.require(
        request.user, "concerns.route" if action == "dieu-phoi" else "concerns.handle", concern
    )
    try:
        done = step(request, concern)
    except _FormError as exc:
        error = ValidationError(_("Check the form."))
        return _refused(request, concern, error, **{exc.name: exc.form})
    except ValidationError as exc:
        return _refused(request, concern, exc)
    messages.success(request, done)
    return redirect("feedback:detail", pk=concern.pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Streams an attachment to someone who may see its concern; never a public address."""
    item = ConcernAttachment.objects.filter(
        pk=pk, concern__in=Concern.objects.for_user(request.user)
    ).first()
    if item is None or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=item.content_type or "application/octet-stream",
        as_attachment=not item.content_type.startswith("image/"),
        filename=item.original_name or item.file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---------------------------------------------------------------- public pages


def _private(response: HttpResponse) -> HttpResponse:
    # The site-wide "same-origin" referrer policy keeps the token's address from other
    # sites; "no-referrer" would make a browser post Origin: null and fail the CSRF check.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@single_submission
def public_form(request: HttpRequest, ward_id: int) -> HttpResponse:
    """A resident raises a concern without signing in."""
    try:
        ward = services.public_ward(ward_id)
    except Exception:  # DoesNotExist, or a ward that takes no concerns
        raise Http404 from None
    form = PublicConcernForm()
    status = 200
    if request.method == "POST":
        if not services.take_public_slot(client_address(request)):
            response = render(request, "feedback/public_limited.html", {"ward": ward}, status=429)
            response["Retry-After"] = "3600"
            return response
        form = PublicConcernForm(request.POST, request.FILES)
        if form.is_trap:
            # A robot filled in the hidden field: it sees a thank-you, nothing is stored.
            return render(request, "feedback/public_received.html", {"ward": ward})
        if form.is_valid():
            data = form.cleaned_data
            try:
                concern = services.submit_public_concern(
                    ward=ward,
                    category=data["category"],
                    summary=data["summary"],
                    place=data["place"],
                    wants_answer=data["wants_answer"],
                    resident_name=data["resident_name"],
                    resident_contact=data["resident_contact"],
                    files=data["files"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return redirect(reverse("feedback:follow", args=[concern.token]) + "?moi=1")
        status = 422
    return _private(
        render(request, "feedback/public_form.html", {"ward": ward, "form": form}, status=status)
    )


def public_view(concern: Concern) -> dict:
    """What a resident may know of their concern: no staff names, no internal notes."""
    original = concern.duplicate_of if concern.status == S.DUPLICATE else None
    return {
        "code": concern.code,
        "status": concern.status,
        "status_label": concern.get_status_display(),
        "category_label": concern.get_category_display(),
        "summary": concern.summary,
        "received_at": concern.created_at,
        "acknowledged_at": concern.acknowledged_at,
        "answered_at": concern.answered_at,
        "closed_at": concern.closed_at,
        "answer_due": concern.answer_due if concern.status in services.OPEN else None,
        "unit_name": concern.unit.name,
        "answer": concern.answer if concern.status in (S.ANSWERED, S.CLOSED) else "",
        "where_to_turn": concern.note if concern.status == S.OUT_OF_SCOPE else "",
        "original": public_view(original) if original is not None else None,
    }


@never_cache
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's private page: the state of their concern and the answer."""
    concern = (
        Concern.objects.select_related("unit", "duplicate_of__unit").filter(token=token).first()
    )
    if concern is None or not token:
        raise Http404
    context = {
        "view": public_view(concern),
        "is_new": request.GET.get("moi") == "1",
        "link": request.build_absolute_uri(reverse("feedback:follow", args=[concern.token])),
    }
    return _private(render(request, "feedback/public_follow.html", context))


# ---------------------------------------------------------------- home page


def home_block(user, now=None) -> dict:
    """For the home page: concerns waiting for the person's units and, for those who
    oversee, the overdue and hot ones. Two queries."""
    now = now or timezone.now()
    visible = Concern.objects.for_user(user).filter(status__in=services.OPEN)
    overdue = services.overdue_filter(now)
    counts = visible.aggregate(
        open=Count("pk"),
        waiting=Count("pk", filter=Q(status__in=services.AWAITING_ACK)),
        overdue=Count("pk", filter=overdue),
        hot=Count("pk", filter=Q(urgency=Urgency.HOT_SPOT)),
    )
    urgent = list(
        _urgent_first(visible.filter(overdue | Q(urgency=Urgency.HOT_SPOT)).select_related("unit"))[
            :HOME_LINES
        ]
    )
    return {
        "counts": counts,
        "urgent": _annotate(urgent, user, now),
        "show": bool(counts["open"]) or policy.can(user, "concerns.record"),
    }

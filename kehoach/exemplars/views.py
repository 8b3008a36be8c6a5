"""Exemplar pages: the registry, one exemplar, nominate and edit, and the review steps."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kehoach.accounts import policy
from kehoach.core import tabular
from kehoach.core.once import single_submission
from kehoach.core.scoping import get_for_user_or_404
from kehoach.exemplars import services
from kehoach.exemplars.forms import (
    CommendForm,
    ExemplarForm,
    PromoteForm,
    RegistryFilterForm,
    ReturnForm,
    initial_for_edit,
)
from kehoach.exemplars.models import Exemplar, ExemplarPhoto, Stage
from kehoach.exemplars.tables import exemplars_table

PAGE_SIZE = 30


def _attach(form, exc: ValidationError) -> None:
    """A service's errors onto the form: by field where the form has one, on top otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _exemplar(user, pk: int) -> Exemplar:
    found = get_for_user_or_404(Exemplar, user, pk=pk)
    return (
        Exemplar.objects.filter(pk=found.pk)
        .select_related("unit", "plan", "created_by", "verified_by", "commended_by")
        .prefetch_related("photos")
        .get()
    )


def _max_mb() -> str:
    return number_format(settings.MAX_UPLOAD_BYTES / (1024 * 1024), 0)


# ---------------------------------------------------------------- registry


def _years(exemplars: QuerySet[Exemplar]) -> list[int]:
    return list(exemplars.order_by("-year").values_list("year", flat=True).distinct())


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


@login_required
@require_GET
def registry(request: HttpRequest) -> HttpResponse:
    visible = Exemplar.objects.for_user(request.user)
    form = RegistryFilterForm(request.GET, user=request.user, years=_years(visible))
    exemplars = form.apply(visible)
    if fmt := tabular.requested_format(request):
        rows = (
            exemplars.order_by("-year", "-created_at", "-pk")
            .select_related("unit", "plan")
            .annotate(photo_count=Count("photos"))
        )
        notes = tabular.notes(tabular.form_filters(form, partial=True))
        return tabular.response(exemplars_table(rows, notes), "dien-hinh", fmt)
    paginator = Paginator(exemplars.order_by("-year", "-created_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("trang"))
    page.object_list = list(
        page.object_list.select_related("unit").annotate(photo_count=Count("photos"))
    )
    return render(
        request,
        "exemplars/registry.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "can_nominate": policy.can(request.user, "exemplars.nominate"),
            "stages": Stage,
        },
    )


# ---------------------------------------------------------------- one exemplar


def _steps(exemplar: Exemplar) -> list[dict]:
    order = [Stage.NOMINATED, Stage.VERIFIED, Stage.COMMENDED, Stage.PROMOTED]
    reached = {
        Stage.NOMINATED: 0,
        Stage.RETURNED: 0,
        Stage.VERIFIED: 1,
        Stage.COMMENDED: 2,
        Stage.PROMOTED: 3,
    }[exemplar.stage]
    return [
        {"label": stage.label, "done": i <= reached, "current": i == reached}
        for i, stage in enumerate(order)
    ]


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = _exemplar(request.user, pk)
    user = request.user
    stage = exemplar.stage
    return render(
        request,
        "exemplars/detail.html",
        {
            "exemplar": exemplar,
            "photos": list(exemplar.photos.all()),
            "steps": _steps(exemplar),
            "can_edit": stage in services.EDITABLE_STAGES
            and policy.can(user, "exemplars.nominate", exemplar),
            "can_verify": stage == Stage.NOMINATED
            and policy.can(user, "exemplars.verify", exemplar),
            "can_commend": stage == Stage.VERIFIED
            and policy.can(user, "exemplars.commend", exemplar),
            "can_promote": stage in (Stage.COMMENDED, Stage.PROMOTED)
            and policy.can(user, "exemplars.promote", exemplar),
            "return_form": ReturnForm(),
            "commend_form": CommendForm(),
            "promote_form": PromoteForm(initial={"link": exemplar.promoted_link}),
            "link_is_url": exemplar.promoted_link.startswith(("http://", "https://")),
        },
    )


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Streams a photo to someone who may see its exemplar; never a public address."""
    item = (
        ExemplarPhoto.objects.filter(pk=pk, exemplar__in=Exemplar.objects.for_user(request.user))
        .only("file", "content_type", "original_name")
        .first()
    )
    if item is None or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=item.content_type or "application/octet-stream",
        filename=item.original_name or item.file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---------------------------------------------------------------- nominate and edit


@login_required
@single_submission
def nominate(request: HttpRequest) -> HttpResponse:
    form = ExemplarForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.units:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            exemplar = services.nominate_exemplar(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                photos=form.cleaned_data.get("photos") or [],
                **form.content(),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The exemplar has been nominated."))
            return redirect("exemplars:detail", pk=exemplar.pk)
    return render(
        request, "exemplars/form.html", {"form": form, "exemplar": None, "max_mb": _max_mb()}
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = _exemplar(request.user, pk)
    if not policy.can(request.user, "exemplars.nominate", exemplar):
        raise PermissionDenied
    if exemplar.stage not in services.EDITABLE_STAGES:
        messages.error(request, _("Only a nominated or returned exemplar can be changed."))
        return redirect("exemplars:detail", pk=exemplar.pk)
    form = ExemplarForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        exemplar=exemplar,
        initial=initial_for_edit(exemplar),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_exemplar(
                actor=request.user,
                exemplar=exemplar,
                changes=form.content(),
                photos=form.cleaned_data.get("photos") or [],
                seen_updated_at=form.cleaned_data.get("seen_updated_at"),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("exemplars:detail", pk=exemplar.pk)
    return render(
        request,
        "exemplars/form.html",
        {"form": form, "exemplar": exemplar, "photos": exemplar.photos.all(), "max_mb": _max_mb()},
    )


@login_required
@require_POST
def remove_photo(request: HttpRequest, pk: int) -> HttpResponse:
    item = (
        ExemplarPhoto.objects.select_related("exemplar__unit")
        .filter(pk=pk, exemplar__in=Exemplar.objects.for_user(request.user))
        .first()
    )
    if item is None:
        raise Http404
    try:
        services.remove_photo(actor=request.user, photo=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The photo has been removed."))
    return redirect("exemplars:edit", pk=item.exemplar_id)


# ---------------------------------------------------------------- review steps


def _step(request: HttpRequest, pk: int, *, action: str, step: str, form_class, run, done):
    """One review step: a page with its form on GET, the service on POST."""
    exemplar = _exemplar(request.user, pk)
    if not policy.can(request.user, action, exemplar):
        raise PermissionDenied
    form = form_class(request.POST or None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            run(exemplar, form.cleaned_data if form else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("exemplars:detail", pk=exemplar.pk)
            _attach(form, exc)
        else:
            messages.success(request, done)
            return redirect("exemplars:detail", pk=exemplar.pk)
    return render(
        request, "exemplars/step.html", {"exemplar": exemplar, "form": form, "step": step}
    )


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        action="exemplars.verify",
        step="verify",
        form_class=None,
        run=lambda e, data: services.verify_exemplar(actor=request.user, exemplar=e),
        done=_("The exemplar has been verified."),
    )


@login_required
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        action="exemplars.verify",
        step="return",
        form_class=ReturnForm,
        run=lambda e, data: services.return_exemplar(
            actor=request.user, exemplar=e, comment=data["comment"]
        ),
        done=_("The exemplar has been returned to the unit."),
    )


@login_required
def commend(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        action="exemplars.commend",
        step="commend",
        form_class=CommendForm,
        run=lambda e, data: services.commend_exemplar(
            actor=request.user, exemplar=e, form=data["form"], on=data["on"]
        ),
        done=_("The commendation has been recorded."),
    )


@login_required
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        action="exemplars.promote",
        step="promote",
        form_class=PromoteForm,
        run=lambda e, data: services.promote_exemplar(
            actor=request.user, exemplar=e, link=data["link"]
        ),
        done=_("The exemplar has been linked to the content that spreads it."),
    )

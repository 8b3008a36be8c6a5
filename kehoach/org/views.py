import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.accounts.models import Membership
from kehoach.core import tabular
from kehoach.core.scoping import get_for_user_or_404
from kehoach.core.text import fold
from kehoach.org import excel, services
from kehoach.org.forms import ImportUnitsForm, MoveUnitForm, NewUnitForm, UnitForm
from kehoach.org.models import Unit
from kehoach.org.tables import units_table


def _require(request: HttpRequest, action: str, obj=None) -> None:
    if not policy.can(request.user, action, obj):
        raise PermissionDenied


def _nest(units: list[Unit]) -> list[dict]:
    """Visible units as a forest; a unit whose parent is out of sight starts its own tree."""
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        key = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(key, []).append(unit)

    def build(parent_id):
        children = sorted(by_parent.get(parent_id, []), key=lambda u: (u.order, fold(u.name)))
        return [{"unit": u, "children": build(u.pk)} for u in children]

    return build(None)


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    show_retired = request.GET.get("da_giai_the") == "1"
    units = Unit.objects.for_user(request.user)
    if not show_retired:
        units = units.active()
    forest = _nest(list(units))
    if fmt := tabular.requested_format(request):
        shown = [(_("Retired units"), _("shown") if show_retired else _("hidden"))]
        return tabular.response(units_table(forest, tabular.notes(shown)), "don-vi", fmt)
    return render(
        request,
        "org/tree.html",
        {
            "forest": forest,
            "show_retired": show_retired,
            "can_manage": policy.can(request.user, "org.manage_unit"),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user_or_404(Unit, request.user, pk=pk)
    visible = Unit.objects.for_user(request.user)
    ancestors = unit.ancestors()
    visible_ids = set(visible.filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True))
    memberships = (
        Membership.objects.for_user(request.user)
        .filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return render(
        request,
        "org/detail.html",
        {
            "unit": unit,
            "ancestors": [(a, a.pk in visible_ids) for a in ancestors],
            "children": visible.filter(parent=unit).order_by("-is_active", "order", "name"),
            "memberships": memberships,
            "can_manage": policy.can(request.user, "org.manage_unit", unit),
            "can_see_history": policy.can(request.user, "audit.view_history", unit),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    _require(request, "org.manage_unit")
    initial = {}
    if "cap_tren" in request.GET:
        with contextlib.suppress(ValueError):
            initial["parent"] = int(request.GET["cap_tren"])
    form = NewUnitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.create_unit(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                short_name=data["short_name"],
                order=data["order"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Unit “%(name)s” has been created.") % {"name": unit.name})
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New unit")})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user_or_404(Unit, request.user, pk=pk)
    _require(request, "org.manage_unit", unit)
    initial = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "order": unit.order,
        "seen_updated_at": unit.updated_at,
    }
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_unit(
                actor=request.user,
                unit=unit,
                name=data["name"],
                kind=data["kind"],
                short_name=data["short_name"],
                order=data["order"],
                seen_updated_at=data["seen_updated_at"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/form.html", {"form": form, "unit": unit, "title": _("Edit unit")})


@login_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user_or_404(Unit, request.user, pk=pk)
    _require(request, "org.manage_unit", unit)
    form = MoveUnitForm(
        request.POST or None,
        user=request.user,
        unit=unit,
        initial={"parent": unit.parent_id, "seen_updated_at": unit.updated_at},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_unit(
                actor=request.user,
                unit=unit,
                new_parent=form.cleaned_data["parent"],
                seen_updated_at=form.cleaned_data["seen_updated_at"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The unit has been moved."))
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/form.html", {"form": form, "unit": unit, "title": _("Move unit")})


@login_required
@require_POST
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user_or_404(Unit, request.user, pk=pk)
    _require(request, "org.manage_unit", unit)
    restoring = request.POST.get("khoi_phuc") == "1"
    try:
        if restoring:
            services.restore_unit(actor=request.user, unit=unit)
        else:
            services.retire_unit(actor=request.user, unit=unit)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The unit has been restored.") if restoring else _("The unit has been retired."),
        )
    return redirect("org:detail", pk=unit.pk)


@login_required
def import_units(request: HttpRequest) -> HttpResponse:
    _require(request, "org.import_units")
    form = ImportUnitsForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.import_units(
                actor=request.user,
                data=form.cleaned_data["file"].read(),
                under=form.cleaned_data["under"],
            )
        except services.ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request, _("%(count)d units have been imported.") % {"count": len(created)}
            )
            return redirect("org:tree")
    return render(request, "org/import.html", {"form": form, "errors": errors})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request, "org.import_units")
    response = HttpResponse(
        excel.build_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.xlsx"'
    return response

from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status

from kehoach.core.scoping import get_for_user_or_404
from kehoach.org import services
from kehoach.org.models import Unit, UnitKind

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    order: int
    is_active: bool
    updated_at: datetime


class UnitIn(Schema):
    name: str
    kind: UnitKind
    parent_id: int | None = None
    short_name: str = ""
    order: int = 0


class UnitPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    kind: UnitKind | None = None
    order: int | None = None
    parent_id: int | None = None
    is_active: bool | None = None
    # Send the updated_at you read: a later change by someone else is refused, not overwritten.
    updated_at: datetime | None = None


@router.get("", response=list[UnitOut], summary="Units in your scope")
def list_units(request: HttpRequest, include_retired: bool = False):
    units = Unit.objects.for_user(request.auth)
    if not include_retired:
        units = units.active()
    return units.order_by("path")


@router.get("/{unit_id}", response=UnitOut, summary="One unit")
def get_unit(request: HttpRequest, unit_id: int):
    return get_for_user_or_404(Unit, request.auth, pk=unit_id)


@router.post("", response={201: UnitOut}, summary="Create a unit (administrators)")
def create_unit(request: HttpRequest, payload: UnitIn):
    parent = None
    if payload.parent_id is not None:
        parent = get_for_user_or_404(Unit, request.auth, pk=payload.parent_id)
    unit = services.create_unit(
        actor=request.auth,
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        short_name=payload.short_name,
        order=payload.order,
    )
    return Status(201, unit)


@router.patch("/{unit_id}", response=UnitOut, summary="Rename, move or retire a unit")
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch):
    unit = get_for_user_or_404(Unit, request.auth, pk=unit_id)
    # Several changes in one request land together or not at all.
    with transaction.atomic():
        return _apply_patch(request.auth, unit, payload.dict(exclude_unset=True))


def _apply_patch(actor, unit: Unit, fields: dict) -> Unit:
    seen = fields.pop("updated_at", None)
    if seen is not None:
        # Checked once for every part (retiring included), before anything is written.
        services._check_fresh(Unit.objects.select_for_update().get(pk=unit.pk), seen)
        seen = None
    if {"name", "short_name", "kind", "order"} & fields.keys():
        unit = services.update_unit(
            actor=actor,
            unit=unit,
            seen_updated_at=seen,
            name=fields.get("name", unit.name),
            kind=fields.get("kind", unit.kind),
            short_name=fields.get("short_name", unit.short_name),
            order=fields.get("order", unit.order),
        )
        seen = None
    if "parent_id" in fields:
        parent = None
        if fields["parent_id"] is not None:
            parent = get_for_user_or_404(Unit, actor, pk=fields["parent_id"])
        unit = services.move_unit(actor=actor, unit=unit, new_parent=parent, seen_updated_at=seen)
    # An explicit null means "no change", never "retire".
    if fields.get("is_active") is not None and fields["is_active"] != unit.is_active:
        action = services.restore_unit if fields["is_active"] else services.retire_unit
        unit = action(actor=actor, unit=unit)
    return unit

"""Every change to the unit tree: one function each, explicit actor, one transaction."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import StaleEdit as StaleEdit  # re-exported for callers
from kehoach.core.concurrency import check_fresh
from kehoach.core.text import normalize
from kehoach.org.models import Unit


def _check_fresh(unit: Unit, seen_updated_at: datetime | None) -> None:
    check_fresh(
        unit,
        seen_updated_at,
        _(
            "This unit was changed by someone else after you opened the form. "
            "Reload the page to see the latest version, then make your change again."
        ),
    )


def create_unit(
    *, actor, name: str, kind: str, parent: Unit | None, short_name: str = "", order: int = 0
) -> Unit:
    policy.require(actor, "org.manage_unit", parent)
    unit = Unit(
        name=normalize(name),
        kind=kind,
        parent=parent,
        short_name=normalize(short_name),
        order=order,
    )
    unit.full_clean(exclude=["path"])
    with transaction.atomic(), acting_as(actor):
        unit.save()
    return unit


def update_unit(
    *,
    actor,
    unit: Unit,
    name: str,
    kind: str,
    short_name: str,
    order: int,
    seen_updated_at: datetime | None = None,
) -> Unit:
    policy.require(actor, "org.manage_unit", unit)
    with transaction.atomic(), acting_as(actor):
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        _check_fresh(unit, seen_updated_at)
        unit.name, unit.kind = normalize(name), kind
        unit.short_name, unit.order = normalize(short_name), order
        unit.full_clean(exclude=["path"])
        unit.save()
    return unit


def move_unit(
    *, actor, unit: Unit, new_parent: Unit | None, seen_updated_at: datetime | None = None
) -> Unit:
    policy.require(actor, "org.manage_unit", unit)
    with transaction.atomic(), acting_as(actor):
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        _check_fresh(unit, seen_updated_at)
        unit.parent = new_parent
        unit.full_clean(exclude=["path"])
        unit.save()
    return unit


def retire_unit(*, actor, unit: Unit) -> Unit:
    """Retired units keep their history and memberships but leave pickers and scopes."""
    policy.require(actor, "org.manage_unit", unit)
    with transaction.atomic(), acting_as(actor):
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.children.filter(is_active=True).exists():
            raise ValidationError(
                _("This unit still has active units under it. Move or retire them first.")
            )
        unit.is_active = False
        unit.retired_at = timezone.now()
        unit.save()
    return unit


def restore_unit(*, actor, unit: Unit) -> Unit:
    policy.require(actor, "org.manage_unit", unit)
    with transaction.atomic(), acting_as(actor):
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.parent_id and not unit.parent.is_active:
            raise ValidationError(_("Restore the parent unit first."))
        unit.is_active = True
        unit.retired_at = None
        unit.save()
    return unit


class ImportRejected(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def import_units(*, actor, data: bytes, under: Unit | None) -> list[Unit]:
    """Creates every unit of the spreadsheet, or none of them if any row is wrong."""
    from kehoach.org import excel

    policy.require(actor, "org.import_units", under)
    if under is not None and not under.is_active:
        raise ImportRejected([_("The parent unit has been retired.")])
    try:
        rows = excel.read_sheet(data)
    except excel.ImportFileError as exc:
        raise ImportRejected([str(exc)]) from None
    known = list(Unit.objects.pickable_for(actor))
    result = excel.plan_import(rows, under=under, known=known)
    if result.errors:
        raise ImportRejected(result.errors)
    created = []
    with transaction.atomic(), acting_as(actor):
        for row in result.rows:
            parent = row.parent_row.created if row.parent_row else row.parent_unit
            unit = Unit(
                name=row.name,
                short_name=row.short_name,
                kind=row.kind,
                order=row.order,
                parent=parent,
            )
            unit.save()
            row.created = unit
            created.append(unit)
    return created

"""The unit tree at model and service level: paths, moves, retirement, scope, audit."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from kehoach.accounts.models import Role
from kehoach.audit.models import Action, AuditEntry
from kehoach.core.testing import World, make_unit, make_user
from kehoach.org import services
from kehoach.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def entries_for(unit: Unit):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Unit), object_id=str(unit.pk)
    ).order_by("id")


def reload(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


# --- paths -------------------------------------------------------------------------------------


def test_a_new_top_level_unit_has_its_own_id_as_path() -> None:
    root = make_unit("Đảng ủy phường Lê Chân", UnitKind.PARTY_COMMITTEE)
    assert reload(root).path == f"/{root.pk}/"
    assert root.depth == 0
    assert root.ancestor_ids() == []


def test_a_new_unit_path_extends_its_parents_path() -> None:
    root = make_unit("Đảng ủy phường", UnitKind.PARTY_COMMITTEE)
    board = make_unit("Ban Xây dựng đảng", UnitKind.PARTY_BOARD, root)
    cell = make_unit("Chi bộ 1", UnitKind.PARTY_CELL, board)
    assert reload(cell).path == f"/{root.pk}/{board.pk}/{cell.pk}/"
    assert cell.depth == 2
    assert cell.ancestor_ids() == [root.pk, board.pk]
    assert [a.pk for a in reload(cell).ancestors()] == [root.pk, board.pk]


def test_subtree_of_holds_the_unit_and_everything_below_it_only(world: World) -> None:
    subtree = Unit.objects.subtree_of(world.ward)
    assert set(subtree.values_list("pk", flat=True)) == {
        world.ward.pk,
        world.board.pk,
        world.committee.pk,
        world.cell1.pk,
        world.cell2.pk,
    }


def test_is_descendant_of_is_true_below_and_false_for_itself_and_siblings(world: World) -> None:
    assert world.cell1.is_descendant_of(world.ward)
    assert not world.cell1.is_descendant_of(world.cell1)
    assert not world.cell1.is_descendant_of(world.cell2)
    assert not world.ward.is_descendant_of(world.cell1)


def test_ids_sharing_a_prefix_do_not_leak_into_each_others_subtree() -> None:
    # "/1/" must not match "/12/": the trailing slash is what keeps subtrees apart.
    first = make_unit("Đơn vị một", UnitKind.OFFICE)
    lookalike = make_unit("Đơn vị giống", UnitKind.OFFICE, id=int(f"{first.pk}{first.pk}"))
    child = make_unit("Chi bộ con", UnitKind.PARTY_CELL, lookalike)
    assert not set(Unit.objects.subtree_of(first).values_list("pk", flat=True)) & {
        lookalike.pk,
        child.pk,
    }


# --- moving ------------------------------------------------------------------------------------


def test_moving_a_unit_moves_its_whole_subtree(world: World) -> None:
    group = make_unit("Khối dân cư", UnitKind.DEPARTMENT, world.ward)
    cell = make_unit("Chi bộ 3", UnitKind.PARTY_CELL, group)
    grandchild = make_unit("Tổ đảng 3A", UnitKind.PARTY_CELL, cell)

    services.move_unit(actor=world.admin, unit=group, new_parent=world.other_ward)

    assert reload(group).path == f"{world.other_ward.path}{group.pk}/"
    assert reload(cell).path == f"{world.other_ward.path}{group.pk}/{cell.pk}/"
    assert (
        reload(grandchild).path == f"{world.other_ward.path}{group.pk}/{cell.pk}/{grandchild.pk}/"
    )
    assert grandchild.pk in Unit.objects.subtree_of(world.other_ward).values_list("pk", flat=True)
    assert grandchild.pk not in Unit.objects.subtree_of(world.ward).values_list("pk", flat=True)


def test_moving_a_unit_does_not_touch_units_outside_its_subtree(world: World) -> None:
    before = {u.pk: u.path for u in Unit.objects.exclude(pk=world.cell1.pk)}
    services.move_unit(actor=world.admin, unit=world.cell1, new_parent=world.board)
    after = {u.pk: u.path for u in Unit.objects.exclude(pk=world.cell1.pk)}
    assert before == after


def test_moving_a_unit_to_the_top_level_gives_it_a_root_path(world: World) -> None:
    cell = make_unit("Tổ đảng", UnitKind.PARTY_CELL, world.cell1)
    services.move_unit(actor=world.admin, unit=world.cell1, new_parent=None)
    assert reload(world.cell1).path == f"/{world.cell1.pk}/"
    assert reload(cell).path == f"/{world.cell1.pk}/{cell.pk}/"


def test_a_unit_cannot_be_moved_under_itself(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.move_unit(actor=world.admin, unit=world.ward, new_parent=world.ward)
    assert "parent" in caught.value.error_dict
    assert reload(world.ward).parent_id is None


def test_a_unit_cannot_be_moved_under_one_of_its_own_descendants(world: World) -> None:
    deep = make_unit("Tổ đảng 1A", UnitKind.PARTY_CELL, world.cell1)
    with pytest.raises(ValidationError) as caught:
        services.move_unit(actor=world.admin, unit=world.ward, new_parent=deep)
    assert "parent" in caught.value.error_dict
    assert reload(world.ward).parent_id is None
    assert reload(world.ward).path == f"/{world.ward.pk}/"
    assert reload(deep).path == f"/{world.ward.pk}/{world.cell1.pk}/{deep.pk}/"


def test_a_unit_cannot_be_moved_under_a_retired_unit(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    with pytest.raises(ValidationError):
        services.move_unit(actor=world.admin, unit=world.cell1, new_parent=reload(world.cell2))
    assert reload(world.cell1).parent_id == world.ward.pk


def test_moving_under_a_sibling_is_allowed(world: World) -> None:
    services.move_unit(actor=world.admin, unit=world.cell1, new_parent=world.cell2)
    assert reload(world.cell1).path == f"{world.cell2.path}{world.cell1.pk}/"


# --- retiring and restoring --------------------------------------------------------------------


def test_retiring_a_unit_with_active_children_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        services.retire_unit(actor=world.admin, unit=world.ward)
    ward = reload(world.ward)
    assert ward.is_active and ward.retired_at is None


def test_a_unit_whose_children_are_all_retired_can_be_retired() -> None:
    admin = make_user("qt", staff=True)
    parent = make_unit("Khối", UnitKind.DEPARTMENT)
    child = make_unit("Chi bộ", UnitKind.PARTY_CELL, parent)
    services.retire_unit(actor=admin, unit=child)
    services.retire_unit(actor=admin, unit=parent)
    assert not reload(parent).is_active


def test_retiring_a_unit_stamps_when_and_keeps_it_in_the_database(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    cell2 = reload(world.cell2)
    assert cell2.is_active is False
    assert cell2.retired_at is not None


def test_a_retired_unit_leaves_pickers_but_stays_in_scope(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    for user in (world.coordinator, world.admin):
        assert world.cell2.pk in Unit.objects.for_user(user).values_list("pk", flat=True)
        assert world.cell2.pk not in Unit.objects.pickable_for(user).values_list("pk", flat=True)
        assert world.cell1.pk in Unit.objects.pickable_for(user).values_list("pk", flat=True)


def test_restoring_a_retired_unit_makes_it_pickable_again(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    services.restore_unit(actor=world.admin, unit=world.cell2)
    cell2 = reload(world.cell2)
    assert cell2.is_active and cell2.retired_at is None
    assert cell2.pk in Unit.objects.pickable_for(world.coordinator).values_list("pk", flat=True)


def test_a_unit_under_a_retired_parent_cannot_be_restored_first() -> None:
    admin = make_user("qt", staff=True)
    parent = make_unit("Khối", UnitKind.DEPARTMENT)
    child = make_unit("Chi bộ", UnitKind.PARTY_CELL, parent)
    services.retire_unit(actor=admin, unit=child)
    services.retire_unit(actor=admin, unit=parent)
    with pytest.raises(ValidationError):
        services.restore_unit(actor=admin, unit=child)
    assert not reload(child).is_active
    services.restore_unit(actor=admin, unit=parent)
    services.restore_unit(actor=admin, unit=child)
    assert reload(child).is_active


def test_a_new_unit_cannot_be_created_under_a_retired_parent(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    with pytest.raises(ValidationError):
        services.create_unit(
            actor=world.admin, name="Tổ đảng", kind=UnitKind.PARTY_CELL, parent=reload(world.cell2)
        )
    assert not Unit.objects.filter(name="Tổ đảng").exists()


def test_a_member_of_a_retired_unit_loses_its_scope(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell1)
    secretary = type(world.secretary).objects.get(pk=world.secretary.pk)
    assert world.cell1.pk not in Unit.objects.for_user(secretary).values_list("pk", flat=True)


# --- scope -------------------------------------------------------------------------------------


def test_the_secretary_sees_their_own_cell_and_external_bodies_only(world: World) -> None:
    visible = set(Unit.objects.for_user(world.secretary).values_list("pk", flat=True))
    assert visible == {world.cell1.pk, world.superior.pk}


def test_the_secretary_sees_units_created_under_their_cell(world: World) -> None:
    group = make_unit("Tổ đảng 1A", UnitKind.PARTY_CELL, world.cell1)
    assert group.pk in Unit.objects.for_user(world.secretary).values_list("pk", flat=True)


def test_the_coordinator_sees_the_whole_ward_but_not_the_other_ward(world: World) -> None:
    visible = set(Unit.objects.for_user(world.coordinator).values_list("pk", flat=True))
    assert visible == {
        world.ward.pk,
        world.board.pk,
        world.committee.pk,
        world.cell1.pk,
        world.cell2.pk,
        world.superior.pk,
    }


def test_the_outsider_sees_nothing_of_le_chan_but_sees_external_bodies(world: World) -> None:
    visible = Unit.objects.for_user(world.outsider)
    assert not names(visible) & names(Unit.objects.subtree_of(world.ward))
    assert set(visible.values_list("pk", flat=True)) == {world.other_cell.pk, world.superior.pk}


def test_the_administrator_sees_every_unit(world: World) -> None:
    assert Unit.objects.for_user(world.admin).count() == Unit.objects.count() == 8


def test_anonymous_and_deactivated_people_see_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not Unit.objects.for_user(AnonymousUser()).exists()
    world.coordinator.is_active = False
    world.coordinator.save()
    assert not Unit.objects.for_user(world.coordinator).exists()


def test_a_person_without_any_role_sees_only_external_bodies(world: World) -> None:
    nobody = make_user("khong-vai-tro")
    assert set(Unit.objects.for_user(nobody).values_list("pk", flat=True)) == {world.superior.pk}


def test_a_person_with_roles_in_two_places_sees_both_subtrees(world: World) -> None:
    both = make_user("hai-noi", unit=world.cell2, role=Role.OFFICER)
    both.memberships.create(unit=world.other_cell, role=Role.VIEWER)
    visible = set(Unit.objects.for_user(both).values_list("pk", flat=True))
    assert visible == {world.cell2.pk, world.other_cell.pk, world.superior.pk}


# --- stale edits -------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_saves_nothing(world: World) -> None:
    seen = reload(world.cell1).updated_at
    services.update_unit(
        actor=world.admin,
        unit=world.cell1,
        name="Chi bộ Tổ dân phố số 1 (mới)",
        kind=UnitKind.PARTY_CELL,
        short_name="",
        order=101,
        seen_updated_at=seen,
    )
    entries_before = AuditEntry.objects.count()
    with pytest.raises(services.StaleEdit):
        services.update_unit(
            actor=world.admin,
            unit=world.cell1,
            name="Tên ghi đè",
            kind=UnitKind.OFFICE,
            short_name="GĐ",
            order=5,
            seen_updated_at=seen,
        )
    cell1 = reload(world.cell1)
    assert cell1.name == "Chi bộ Tổ dân phố số 1 (mới)"
    assert cell1.kind == UnitKind.PARTY_CELL
    assert AuditEntry.objects.count() == entries_before


def test_an_edit_with_the_current_timestamp_is_saved(world: World) -> None:
    seen = reload(world.cell1).updated_at
    services.update_unit(
        actor=world.admin,
        unit=world.cell1,
        name="Chi bộ số 1",
        kind=UnitKind.PARTY_CELL,
        short_name="CB1",
        order=1,
        seen_updated_at=seen,
    )
    assert reload(world.cell1).name == "Chi bộ số 1"


def test_a_stale_move_is_refused_and_moves_nothing(world: World) -> None:
    seen = reload(world.cell1).updated_at - timedelta(seconds=1)
    with pytest.raises(services.StaleEdit):
        services.move_unit(
            actor=world.admin, unit=world.cell1, new_parent=world.board, seen_updated_at=seen
        )
    assert reload(world.cell1).parent_id == world.ward.pk


def test_stale_edit_is_a_validation_error_so_forms_can_show_it() -> None:
    assert issubclass(services.StaleEdit, ValidationError)


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider"])
def test_only_administrators_may_create_units(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.create_unit(
            actor=getattr(world, persona),
            name="Chi bộ mới",
            kind=UnitKind.PARTY_CELL,
            parent=world.ward,
        )
    assert not Unit.objects.filter(name="Chi bộ mới").exists()


@pytest.mark.parametrize("persona", ["secretary", "coordinator"])
def test_only_administrators_may_edit_move_retire_or_restore_units(
    world: World, persona: str
) -> None:
    actor = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        services.update_unit(
            actor=actor,
            unit=world.cell1,
            name="Đổi tên",
            kind=UnitKind.PARTY_CELL,
            short_name="",
            order=0,
        )
    with pytest.raises(PermissionDenied):
        services.move_unit(actor=actor, unit=world.cell1, new_parent=world.board)
    with pytest.raises(PermissionDenied):
        services.retire_unit(actor=actor, unit=world.cell1)
    services.retire_unit(actor=world.admin, unit=world.cell2)
    with pytest.raises(PermissionDenied):
        services.restore_unit(actor=actor, unit=world.cell2)
    cell1 = reload(world.cell1)
    assert (cell1.name, cell1.parent_id, cell1.is_active) == (
        "Chi bộ Tổ dân phố số 1",
        world.ward.pk,
        True,
    )
    assert not reload(world.cell2).is_active


def test_a_service_refused_for_permission_writes_no_audit_entry(world: World) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.retire_unit(actor=world.coordinator, unit=world.cell1)
    assert AuditEntry.objects.count() == before


# --- creating and editing ----------------------------------------------------------------------


def test_creating_a_unit_stores_normalised_names(world: World) -> None:
    unit = services.create_unit(
        actor=world.admin,
        name="  Chi bộ   Tổ dân phố\u00a0số 3 ",
        kind=UnitKind.PARTY_CELL,
        parent=world.ward,
        short_name=" CB  3 ",
        order=103,
    )
    unit = reload(unit)
    assert unit.name == "Chi bộ Tổ dân phố số 3"
    assert unit.short_name == "CB 3"
    assert unit.path == f"{world.ward.path}{unit.pk}/"


def test_creating_a_unit_with_an_unknown_kind_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        services.create_unit(actor=world.admin, name="Lạ", kind="planet", parent=world.ward)
    assert not Unit.objects.filter(name="Lạ").exists()


# --- audit -------------------------------------------------------------------------------------


def test_creating_a_unit_is_audited_with_actor_and_after(world: World) -> None:
    unit = services.create_unit(
        actor=world.admin,
        name="Chi bộ Tổ dân phố số 3",
        kind=UnitKind.PARTY_CELL,
        parent=world.ward,
        order=103,
    )
    [entry] = entries_for(unit)
    assert entry.action == Action.CREATE
    assert entry.actor == world.admin
    assert entry.before is None
    assert entry.after["name"] == "Chi bộ Tổ dân phố số 3"
    assert entry.after["parent_id"] == world.ward.pk
    assert "path" not in entry.after


def test_editing_a_unit_is_audited_with_before_and_after(world: World) -> None:
    services.update_unit(
        actor=world.admin,
        unit=world.cell1,
        name="Chi bộ số 1",
        kind=UnitKind.PARTY_CELL,
        short_name="CB1",
        order=101,
    )
    entry = entries_for(world.cell1).last()
    assert entry.action == Action.UPDATE
    assert entry.actor == world.admin
    assert entry.before["name"] == "Chi bộ Tổ dân phố số 1"
    assert entry.after["name"] == "Chi bộ số 1"
    assert entry.after["short_name"] == "CB1"


def test_moving_a_unit_is_audited_with_old_and_new_parent(world: World) -> None:
    services.move_unit(actor=world.admin, unit=world.cell1, new_parent=world.board)
    entry = entries_for(world.cell1).last()
    assert entry.action == Action.UPDATE
    assert entry.actor == world.admin
    assert entry.before["parent_id"] == world.ward.pk
    assert entry.after["parent_id"] == world.board.pk


def test_retiring_and_restoring_are_audited(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    retired = entries_for(world.cell2).last()
    assert (retired.before["is_active"], retired.after["is_active"]) == (True, False)
    assert retired.after["retired_at"] is not None
    assert retired.actor == world.admin

    services.restore_unit(actor=world.admin, unit=world.cell2)
    restored = entries_for(world.cell2).last()
    assert restored.pk != retired.pk
    assert (restored.before["is_active"], restored.after["is_active"]) == (False, True)
    assert restored.after["retired_at"] is None
    assert restored.actor == world.admin


def test_a_refused_move_writes_no_audit_entry(world: World) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.move_unit(actor=world.admin, unit=world.ward, new_parent=world.cell1)
    assert AuditEntry.objects.count() == before

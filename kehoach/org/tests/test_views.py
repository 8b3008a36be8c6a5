"""The unit pages: the tree, a unit's page, and the administrators' manage screens."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.audit.models import AuditEntry
from kehoach.core.testing import ScopedViewChecks, World, client_for, make_unit, make_user
from kehoach.org import services
from kehoach.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

TREE = reverse("org:tree")
CREATE = reverse("org:create")


def detail_url(unit: Unit) -> str:
    return reverse("org:detail", args=[unit.pk])


def link_to(unit: Unit) -> str:
    return f'href="{detail_url(unit)}"'


def reload(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def forest_ids(forest: list[dict]) -> dict[int, dict]:
    """The page's forest as {unit id: {child id: …}} so shapes compare in one assert."""
    return {node["unit"].pk: forest_ids(node["children"]) for node in forest}


def messages_of(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


def edit_data(unit: Unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "order": unit.order,
        "seen_updated_at": "",
    }
    data.update(changes)
    return data


# --- the tree page -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_from_the_tree(world: World) -> None:
    response = client_for(None).get(TREE)
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_secretary_sees_their_cell_but_not_the_other_cell_nor_the_other_ward(
    world: World,
) -> None:
    response = client_for(world.secretary).get(TREE)
    assert response.status_code == 200
    html = response.content.decode()
    assert link_to(world.cell1) in html
    assert world.cell1.name in html
    for hidden in (world.cell2, world.ward, world.board, world.other_ward, world.other_cell):
        assert link_to(hidden) not in html
        assert hidden.name not in html


def test_a_unit_whose_parent_is_out_of_sight_starts_its_own_tree(world: World) -> None:
    make_unit("Tổ đảng 1A", UnitKind.PARTY_CELL, world.cell1)
    response = client_for(world.secretary).get(TREE)
    forest = forest_ids(response.context["forest"])
    tiny = Unit.objects.get(name="Tổ đảng 1A")
    assert forest == {world.cell1.pk: {tiny.pk: {}}, world.superior.pk: {}}


def test_the_coordinator_sees_the_ward_as_one_nested_tree(world: World) -> None:
    response = client_for(world.coordinator).get(TREE)
    forest = forest_ids(response.context["forest"])
    assert forest == {
        world.ward.pk: {
            world.board.pk: {},
            world.committee.pk: {},
            world.cell1.pk: {},
            world.cell2.pk: {},
        },
        world.superior.pk: {},
    }
    # Siblings come in their configured order, not by name or id.
    [ward_node] = [n for n in response.context["forest"] if n["unit"].pk == world.ward.pk]
    ward_children = ward_node["children"]
    assert [node["unit"].order for node in ward_children] == [2, 6, 101, 102]


def test_the_outsider_sees_only_their_own_ward_part_on_the_tree(world: World) -> None:
    html = client_for(world.outsider).get(TREE).content.decode()
    assert link_to(world.other_cell) in html
    for unit in Unit.objects.subtree_of(world.ward):
        assert link_to(unit) not in html


def test_retired_units_are_hidden_until_asked_for(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    client = client_for(world.coordinator)
    assert link_to(world.cell2) not in client.get(TREE).content.decode()
    shown = client.get(TREE, {"da_giai_the": "1"})
    assert link_to(world.cell2) in shown.content.decode()
    assert shown.context["show_retired"] is True


def test_only_administrators_are_offered_the_manage_buttons_on_the_tree(world: World) -> None:
    assert f'href="{CREATE}"' in client_for(world.admin).get(TREE).content.decode()
    for persona in (world.secretary, world.coordinator):
        response = client_for(persona).get(TREE)
        assert response.context["can_manage"] is False
        assert f'href="{CREATE}"' not in response.content.decode()


def _add_cells(world: World, count: int) -> None:
    for i in range(count):
        parent = make_unit(f"Khối dân cư {i}", UnitKind.DEPARTMENT, world.ward, order=200 + i)
        make_unit(f"Chi bộ khối {i}", UnitKind.PARTY_CELL, parent)


def _queries_for(user, url: str) -> int:
    client = client_for(user)
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_the_tree_page_query_count_does_not_grow_with_the_tree(world: World, persona) -> None:
    user = getattr(world, persona)
    _add_cells(world, 5)
    small = _queries_for(user, TREE)
    _add_cells(world, 30)
    large = _queries_for(user, TREE)
    assert Unit.objects.count() >= 70
    assert large == small


def test_the_tree_page_stays_within_a_handful_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    _add_cells(world, 30)
    client = client_for(world.coordinator)
    client.get(TREE)
    # session, user, memberships, units: anything more is a query per unit creeping in.
    with django_assert_max_num_queries(5):
        response = client.get(TREE)
    assert response.status_code == 200


# --- a unit's page -----------------------------------------------------------------------------


class TestUnitPage(ScopedViewChecks):
    def url(self, world: World) -> str:
        return detail_url(world.cell1)


def test_the_unit_page_names_the_unit_and_links_visible_ancestors_only(world: World) -> None:
    secretary_html = client_for(world.secretary).get(detail_url(world.cell1)).content.decode()
    assert world.cell1.name in secretary_html
    assert link_to(world.ward) not in secretary_html  # the ward is above the cell's scope

    coordinator_html = client_for(world.coordinator).get(detail_url(world.cell1)).content.decode()
    assert link_to(world.ward) in coordinator_html


def test_the_unit_page_lists_units_under_it_and_people_on_it(world: World) -> None:
    response = client_for(world.coordinator).get(detail_url(world.ward))
    assert response.status_code == 200
    assert {u.pk for u in response.context["children"]} == {
        world.board.pk,
        world.committee.pk,
        world.cell1.pk,
        world.cell2.pk,
    }
    html = response.content.decode()
    assert world.coordinator.full_name in html
    assert world.secretary.full_name not in html  # a role on cell1 is not a role on the ward


def test_the_outsider_may_open_an_external_body(world: World) -> None:
    assert client_for(world.outsider).get(detail_url(world.superior)).status_code == 200


def test_an_unknown_unit_is_not_found(world: World) -> None:
    assert client_for(world.admin).get(reverse("org:detail", args=[999999])).status_code == 404


def test_the_unit_page_query_count_does_not_grow_with_children_or_people(world: World) -> None:
    small = _queries_for(world.coordinator, detail_url(world.ward))
    for i in range(20):
        cell = make_unit(f"Chi bộ thêm {i}", UnitKind.PARTY_CELL, world.ward, order=300 + i)
        make_user(f"nguoi{i}", unit=world.ward, role="officer", full_name=f"Người {i}")
        make_unit(f"Tổ đảng {i}", UnitKind.PARTY_CELL, cell)
    large = _queries_for(world.coordinator, detail_url(world.ward))
    assert large == small


# --- creating ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider"])
def test_people_who_are_not_administrators_cannot_open_the_new_unit_form(
    world: World, persona: str
) -> None:
    assert client_for(getattr(world, persona)).get(CREATE).status_code == 403


def test_the_coordinator_cannot_create_a_unit_by_posting_directly(world: World) -> None:
    response = client_for(world.coordinator).post(
        CREATE,
        {"name": "Chi bộ lén", "kind": UnitKind.PARTY_CELL, "order": 1, "parent": world.ward.pk},
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(name="Chi bộ lén").exists()


def test_the_administrator_creates_a_unit_under_a_parent(world: World) -> None:
    response = client_for(world.admin).post(
        CREATE,
        {
            "name": "Chi bộ Tổ dân phố số 3",
            "short_name": "CB3",
            "kind": UnitKind.PARTY_CELL,
            "order": 103,
            "parent": world.ward.pk,
        },
    )
    unit = Unit.objects.get(name="Chi bộ Tổ dân phố số 3")
    assert response.status_code == 302
    assert response["Location"] == detail_url(unit)
    assert unit.parent_id == world.ward.pk
    assert unit.path == f"{world.ward.path}{unit.pk}/"
    assert AuditEntry.objects.filter(object_id=str(unit.pk), actor=world.admin).exists()


def test_the_new_unit_form_starts_with_the_parent_from_the_link(world: World) -> None:
    response = client_for(world.admin).get(CREATE, {"cap_tren": world.cell1.pk})
    assert response.status_code == 200
    assert response.context["form"]["parent"].value() == world.cell1.pk


def test_a_malformed_parent_in_the_link_is_ignored(world: World) -> None:
    assert client_for(world.admin).get(CREATE, {"cap_tren": "abc"}).status_code == 200


def test_a_new_unit_cannot_be_placed_under_a_retired_unit_through_the_form(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    response = client_for(world.admin).post(
        CREATE,
        {"name": "Tổ đảng", "kind": UnitKind.PARTY_CELL, "order": 0, "parent": world.cell2.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Unit.objects.filter(name="Tổ đảng").exists()


def test_an_invalid_new_unit_form_is_shown_again_and_saves_nothing(world: World) -> None:
    count = Unit.objects.count()
    response = client_for(world.admin).post(
        CREATE, {"name": "", "kind": "planet", "order": -1, "parent": world.ward.pk}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name", "kind", "order"}
    assert Unit.objects.count() == count


# --- editing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "coordinator"])
def test_people_who_are_not_administrators_cannot_edit_a_unit(world: World, persona) -> None:
    client = client_for(getattr(world, persona))
    url = reverse("org:edit", args=[world.cell1.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(world.cell1, name="Đổi tên lén"))
    assert response.status_code == 403
    assert reload(world.cell1).name == "Chi bộ Tổ dân phố số 1"


def test_an_edit_form_for_a_unit_out_of_scope_is_not_found(world: World) -> None:
    url = reverse("org:edit", args=[world.cell1.pk])
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_administrator_edits_a_unit_with_the_form_as_served(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("org:edit", args=[world.cell1.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Post back exactly the hidden timestamp the page carried: it must not look stale.
    seen = re.search(r'name="seen_updated_at" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(url, edit_data(world.cell1, name="Chi bộ số 1", seen_updated_at=seen))
    assert response.status_code == 302, response.context["form"].errors
    assert reload(world.cell1).name == "Chi bộ số 1"


def test_a_stale_edit_shows_an_error_and_saves_nothing(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("org:edit", args=[world.cell1.pk])
    seen = reload(world.cell1).updated_at - timedelta(minutes=5)
    response = client.post(
        url, edit_data(world.cell1, name="Tên ghi đè", seen_updated_at=seen.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in response.content.decode()
    assert reload(world.cell1).name == "Chi bộ Tổ dân phố số 1"


def test_an_edit_opened_before_someone_elses_save_is_refused(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("org:edit", args=[world.cell1.pk])
    page = client.get(url)
    seen = re.search(r'name="seen_updated_at" value="([^"]+)"', page.content.decode()).group(1)
    services.update_unit(
        actor=world.admin,
        unit=world.cell1,
        name="Bản của người khác",
        kind=UnitKind.PARTY_CELL,
        short_name="",
        order=101,
    )
    response = client.post(url, edit_data(world.cell1, name="Bản của tôi", seen_updated_at=seen))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert reload(world.cell1).name == "Bản của người khác"


# --- moving ------------------------------------------------------------------------------------


def test_the_administrator_moves_a_unit_with_its_subtree(world: World) -> None:
    tiny = make_unit("Tổ đảng 1A", UnitKind.PARTY_CELL, world.cell1)
    response = client_for(world.admin).post(
        reverse("org:move", args=[world.cell1.pk]), {"parent": world.board.pk}
    )
    assert response.status_code == 302
    assert reload(world.cell1).parent_id == world.board.pk
    assert reload(tiny).path == f"{world.board.path}{world.cell1.pk}/{tiny.pk}/"


def test_the_move_form_does_not_offer_the_unit_itself_or_its_descendants(world: World) -> None:
    tiny = make_unit("Tổ đảng 1A", UnitKind.PARTY_CELL, world.cell1)
    url = reverse("org:move", args=[world.cell1.pk])
    client = client_for(world.admin)
    offered = {u.pk for u in client.get(url).context["form"].fields["parent"].queryset}
    assert world.cell1.pk not in offered and tiny.pk not in offered
    assert world.board.pk in offered

    response = client.post(url, {"parent": tiny.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert reload(world.cell1).parent_id == world.ward.pk


def test_a_stale_move_shows_an_error_and_moves_nothing(world: World) -> None:
    seen = reload(world.cell1).updated_at - timedelta(minutes=5)
    response = client_for(world.admin).post(
        reverse("org:move", args=[world.cell1.pk]),
        {"parent": world.board.pk, "seen_updated_at": seen.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert reload(world.cell1).parent_id == world.ward.pk


@pytest.mark.parametrize("persona", ["secretary", "coordinator"])
def test_people_who_are_not_administrators_cannot_move_a_unit(world: World, persona) -> None:
    client = client_for(getattr(world, persona))
    url = reverse("org:move", args=[world.cell1.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"parent": world.board.pk}).status_code == 403
    assert reload(world.cell1).parent_id == world.ward.pk


# --- retiring ----------------------------------------------------------------------------------


def test_retiring_through_a_get_request_is_not_allowed(world: World) -> None:
    response = client_for(world.admin).get(reverse("org:retire", args=[world.cell2.pk]))
    assert response.status_code == 405
    assert reload(world.cell2).is_active


def test_the_administrator_retires_and_restores_a_unit(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("org:retire", args=[world.cell2.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == detail_url(world.cell2)
    assert not reload(world.cell2).is_active

    client.post(url, {"khoi_phuc": "1"})
    assert reload(world.cell2).is_active


def test_retiring_a_unit_with_active_units_under_it_shows_an_error(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("org:retire", args=[world.ward.pk]), follow=True
    )
    assert response.status_code == 200
    assert [level for level, _ in messages_of(response)] == [message_levels.ERROR]
    assert reload(world.ward).is_active


@pytest.mark.parametrize("persona", ["secretary", "coordinator"])
def test_people_who_are_not_administrators_cannot_retire_a_unit(world: World, persona) -> None:
    response = client_for(getattr(world, persona)).post(
        reverse("org:retire", args=[world.cell1.pk])
    )
    assert response.status_code == 403
    assert reload(world.cell1).is_active


def test_retiring_a_unit_out_of_scope_is_not_found(world: World) -> None:
    response = client_for(world.secretary2).post(reverse("org:retire", args=[world.cell1.pk]))
    assert response.status_code == 404
    assert reload(world.cell1).is_active


def test_only_administrators_see_the_manage_buttons_on_a_unit_page(world: World) -> None:
    edit = reverse("org:edit", args=[world.cell1.pk])
    assert edit in client_for(world.admin).get(detail_url(world.cell1)).content.decode()
    for persona in (world.secretary, world.coordinator):
        assert edit not in client_for(persona).get(detail_url(world.cell1)).content.decode()

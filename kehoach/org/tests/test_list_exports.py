"""The unit tree exports in the page's order and scope."""

from __future__ import annotations

from django.urls import reverse

from kehoach.core.testing import client_for, make_unit
from kehoach.core.tests.exports import count_queries, csv_table, download, vi, xlsx_table
from kehoach.org.models import Unit


def test_the_export_lists_the_visible_tree_depth_first(world) -> None:
    make_unit("=Tổ 1 của chi bộ 1", parent=world.cell1)
    header, rows = xlsx_table(download(client_for(world.coordinator), reverse("org:tree")))
    assert header[:5] == vi("Unit name", "Short name", "Kind", "Parent unit", "Order")
    names = [r[0] for r in rows]
    visible = Unit.objects.for_user(world.coordinator).active()
    assert sorted(names) == sorted(u.name for u in visible)
    # External bodies (the superior board) are visible to all and come first by name.
    assert names[names.index(world.ward.name) + 1] == world.board.name
    assert names.index("=Tổ 1 của chi bộ 1") == names.index(world.cell1.name) + 1
    child = rows[names.index("=Tổ 1 của chi bộ 1")]
    assert child[3] == world.cell1.name and child[5] == 3
    assert world.other_ward.name not in names


def test_a_secretary_sees_no_parent_above_their_scope(world) -> None:
    response = download(client_for(world.secretary), reverse("org:tree"), "csv")
    header, rows = csv_table(response)
    own = [(r[0], r[3]) for r in rows if r[0] != world.superior.name]
    assert own == [(world.cell1.name, "")]


def test_retired_units_follow_the_page_switch(world) -> None:
    Unit.objects.filter(pk=world.cell2.pk).update(is_active=False)
    client = client_for(world.coordinator)
    names = [r[0] for r in csv_table(download(client, reverse("org:tree"), "csv"))[1]]
    assert world.cell2.name not in names
    shown = csv_table(download(client, reverse("org:tree"), "csv", da_giai_the="1"))[1]
    assert world.cell2.name in [r[0] for r in shown]


def test_the_export_costs_the_same_queries_however_many_units(world) -> None:
    client = client_for(world.coordinator)
    before = count_queries(lambda: download(client, reverse("org:tree")))
    for n in range(5):
        make_unit(f"Chi bộ mới {n}", parent=world.ward)
    assert count_queries(lambda: download(client, reverse("org:tree"))) == before

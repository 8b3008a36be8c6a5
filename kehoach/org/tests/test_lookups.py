"""`path__under`: what `path__startswith` reads, on every database, from the path index."""

from __future__ import annotations

import pytest
from django.db import connection

from kehoach.core.testing import World
from kehoach.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def names(prefix: str) -> set[str]:
    under = set(Unit.objects.filter(path__under=prefix).values_list("name", flat=True))
    starting = Unit.objects.filter(path__startswith=prefix).values_list("name", flat=True)
    assert under == set(starting)
    return under


def test_a_subtree_is_the_unit_and_everything_below_it(world: World) -> None:
    w = world
    below = names(w.ward.path)
    assert {w.ward.name, w.cell1.name, w.committee.name} <= below
    assert not {w.other_ward.name, w.other_cell.name, w.superior.name} & below
    assert names(w.cell1.path) == {w.cell1.name}


def test_a_prefix_is_not_a_number_that_starts_the_same(world: World) -> None:
    """/5/ must not take /50/: the trailing slash is part of the prefix."""
    w = world
    unit = Unit.objects.create(name="Đơn vị khác", kind=UnitKind.PARTY_CELL, parent=w.superior)
    Unit.objects.filter(pk=unit.pk).update(path=w.ward.path[:-1] + "0/")
    assert "Đơn vị khác" not in names(w.ward.path)
    assert names(w.ward.path[:-1] + "0/") == {"Đơn vị khác"}


def test_a_prefix_with_glob_wildcards_is_compared_literally(world: World) -> None:
    """Paths hold digits and slashes only, but the lookup must not read `*` or `[` as
    wildcards if a caller ever passes them: such a prefix is compared as LIKE compares it."""
    assert names(world.ward.path[:-1] + "*") == set()
    assert names("[") == set()
    unit = Unit.objects.create(name="Ngoặc", kind=UnitKind.PARTY_CELL, parent=world.ward)
    Unit.objects.filter(pk=unit.pk).update(path="/[9]/")
    assert names("/[9]") == {"Ngoặc"}
    assert names("/9") == set()


def test_sqlite_reads_a_subtree_from_the_path_index(world: World) -> None:
    query = Unit.objects.filter(path__under=world.ward.path).values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{sql}", params
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "GLOB" in sql
        # A range on the index, not "SCAN org_unit" (what LIKE, ignoring case, did).
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    else:
        assert "LIKE" in sql

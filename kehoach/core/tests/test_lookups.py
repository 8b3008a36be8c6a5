"""`__any`: the rows `__in` gives, on every database, whatever the right-hand side."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehoach.core.testing import make_unit
from kehoach.org.models import Unit, UnitKind


@pytest.fixture
def tree(db):
    ward = make_unit("Đảng ủy phường", kind=UnitKind.PARTY_COMMITTEE)
    cells = [make_unit(f"Chi bộ {n}", parent=ward) for n in range(1, 6)]
    return ward, cells


def _names(queryset) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))


def test_any_gives_the_rows_in_gives(tree) -> None:
    ward, cells = tree
    for ids in ([cells[0].pk], [c.pk for c in cells[1:4]], [ward.pk, cells[4].pk, 10**9], []):
        assert _names(Unit.objects.filter(pk__any=ids)) == _names(Unit.objects.filter(pk__in=ids))
        assert _names(Unit.objects.filter(parent__any=ids)) == _names(
            Unit.objects.filter(parent__in=ids)
        )


def test_any_takes_a_subquery_and_excludes_as_in_does(tree) -> None:
    ward, cells = tree
    below = Unit.objects.filter(parent=ward)
    assert _names(Unit.objects.filter(pk__any=below)) == [c.name for c in cells]
    assert _names(Unit.objects.exclude(pk__any=[c.pk for c in cells])) == [ward.name]


def test_a_list_of_ids_goes_to_postgresql_as_one_array(tree) -> None:
    _ward, cells = tree
    ids = [c.pk for c in cells]
    with CaptureQueriesContext(connection) as captured:
        list(Unit.objects.filter(pk__any=ids))
    sql = captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql

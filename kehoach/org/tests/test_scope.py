"""A person's scope is read as unit ids up to SCOPE_IDS_UP_TO units and, beyond (a city's
coordinator), as the units' paths: both ways must show exactly the same rows."""

from __future__ import annotations

import pytest

from kehoach.accounts.models import Role
from kehoach.core.testing import World, make_user
from kehoach.org import querysets as scope
from kehoach.org.querysets import forget_scope
from kehoach.plans.models import Plan
from kehoach.reports.models import ReportStatus, UnitReport
from kehoach.reports.tests.builders import reporting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world: World) -> World:
    period = reporting_world(world).period
    for unit in (world.ward, world.committee, world.other_cell, world.superior):
        UnitReport.objects.create(period=period, unit=unit, status=ReportStatus.DRAFT)
    Plan.objects.create(unit=world.other_ward, number="3-KH/ĐU", title="tuyên truyền")
    return world


def seen(user) -> tuple[set[str], set[str]]:
    forget_scope(user)
    reports = UnitReport.objects.for_user(user).values_list("unit__name", flat=True)
    plans = Plan.objects.for_user(user).values_list("unit__name", flat=True)
    return set(reports), set(plans)


def test_reports_and_plans_read_by_ids_or_by_paths_agree(reports: World, monkeypatch) -> None:
    w = reports
    inactive = make_user("nghiviec", unit=w.ward, role=Role.COORDINATOR, is_active=False)
    people = [w.secretary, w.secretary2, w.coordinator, w.outsider, w.admin, inactive]
    by_ids = {user.username: seen(user) for user in people}
    monkeypatch.setattr(scope, "SCOPE_IDS_UP_TO", 0)  # every scope "larger" than the limit
    by_paths = {user.username: seen(user) for user in people}
    assert by_paths == by_ids
    # And the scope itself is right: a ward's coordinator sees the ward, not the other ward
    # nor the external body; a cell its own report only.
    ward_units = {w.ward.name, w.committee.name, w.cell1.name, w.cell2.name}
    assert by_ids["xaydungdang"] == (ward_units, {w.ward.name})
    # A cell sees its own report, and the ward's plan that gives it duties.
    assert by_ids["chibo1"] == ({w.cell1.name}, {w.ward.name})
    # The other ward's plan is its committee's, above this cell, and gives the cell no duty.
    assert by_ids["ngoquyen"] == ({w.other_cell.name}, set())
    assert by_ids["nghiviec"] == (set(), set())


def test_the_activity_filters_read_the_scope_once_for_the_page(
    world: World, django_assert_num_queries
) -> None:
    from kehoach.activities.forms_activities import ActivityFilterForm
    from kehoach.org.models import Unit

    coordinator = world.coordinator
    forget_scope(coordinator)
    ActivityFilterForm({}, user=coordinator)
    with django_assert_num_queries(0):
        kept = Unit.objects.own_scope_for_user(coordinator)
    assert set(kept) == set(Unit.objects.own_for_user(coordinator).values_list("pk", flat=True))
    # A unit added to the ward afterwards is read again, not taken from what was kept.
    newcomer = Unit.objects.create(parent=world.ward, name="Chi bộ mới", kind=world.cell1.kind)
    assert newcomer.pk in Unit.objects.own_scope_for_user(coordinator)
    # Beyond the limit (a city), nothing is kept as ids: the paths filter.
    forget_scope(coordinator)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scope, "SCOPE_IDS_UP_TO", 1)
        ActivityFilterForm({}, user=coordinator)
        assert not isinstance(Unit.objects.own_scope_for_user(coordinator), list)

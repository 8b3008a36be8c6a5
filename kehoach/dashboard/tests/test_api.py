import pytest

from kehoach.activities.models import Activity
from kehoach.core.testing import client_for
from kehoach.dashboard.tests.builders import saved_plan, spread

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard"
YEAR = "date_from=2026-01-01&date_to=2026-12-31"


def test_anonymous_is_refused(world):
    assert client_for(None).get(URL).status_code == 401


def test_the_coordinator_gets_every_panel(world):
    plan = saved_plan(world)
    spread(world, plan, 30)
    response = client_for(world.coordinator).get(f"{URL}?plan={plan.pk}&{YEAR}")
    assert response.status_code == 200
    body = response.json()
    for key in (
        "activities",
        "heat_map",
        "completeness",
        "tasks_overdue",
        "concerns",
        "exemplars",
        "content",
        "targets",
    ):
        assert key in body
    expected = Activity.objects.filter(
        plan=plan, unit__in=[world.cell1, world.cell2, world.committee]
    ).count()
    assert body["activities"]["total"] == expected


def test_a_cell_head_gets_only_their_cell(world):
    plan = saved_plan(world)
    spread(world, plan, 30)
    body = client_for(world.secretary).get(f"{URL}?plan={plan.pk}&{YEAR}").json()
    assert (
        body["activities"]["total"] == Activity.objects.filter(plan=plan, unit=world.cell1).count()
    )
    assert client_for(world.secretary).get(f"{URL}?unit={world.cell2.pk}").status_code == 404


def test_an_outsider_gets_not_found_for_le_chan(world):
    plan = saved_plan(world)
    client = client_for(world.outsider)
    assert client.get(f"{URL}?plan={plan.pk}").status_code == 404
    assert client.get(f"{URL}?unit={world.ward.pk}").status_code == 404


def test_people_without_a_dashboard_role_are_forbidden(world):
    from kehoach.accounts.models import Role
    from kehoach.core.testing import make_user

    officer = make_user("canbo", unit=world.cell1, role=Role.OFFICER)
    assert client_for(officer).get(URL).status_code == 403

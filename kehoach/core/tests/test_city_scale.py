"""One instance, many wards: the city coordinator sees every ward, a ward sees only itself, and
every main page reads the same number of queries for a city of 2 wards as for one of 6."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.citygen import City, generate
from kehoach.activities.models import Activity
from kehoach.core.testing import client_for

Url = Callable[[City], str]
# Every main list, dashboard and report page, with the parameters a person would use. The
# per-plan pages open the first ward's plan: the city coordinator reaches it from above.
PAGES: dict[str, Url] = {
    "dashboard": lambda c: reverse("dashboard:index"),
    "dashboard, all plans": lambda c: reverse("dashboard:index") + "?plan=all",
    "coverage matrix": lambda c: reverse("coverage:matrix", args=[c.wards[0].plan.pk]),
    "activity list": lambda c: reverse("activities:list"),
    "activity list, page 3": lambda c: reverse("activities:list") + "?trang=3",
    "my tasks": lambda c: reverse("tasks:mine"),
    "all tasks": lambda c: reverse("tasks:all"),
    "reports": lambda c: reverse("reports:index"),
    "reports board": lambda c: reverse("reports:board", args=[c.wards[0].plan.pk]),
    "concern list": lambda c: reverse("feedback:list"),
    "content list": lambda c: reverse("content:list"),
    "exemplar registry": lambda c: reverse("exemplars:registry"),
    "indicator list": lambda c: reverse("indicators:list"),
    "search": lambda c: reverse("search:results") + "?q=tuyen+truyen",
}


def _counts(city: City, user) -> dict[str, int]:
    client = client_for(user)
    counts = {}
    for name, url in PAGES.items():
        # Once unmeasured: per-process caches (content types, translations) fill on the
        # first request, whichever test a worker ran before.
        client.get(url(city))
        reset_queries()  # the client resets the log at each request: start it empty
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(city))
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.fixture
def small_city(db) -> City:
    return generate(2, 300, search=True)


def test_every_main_page_reads_as_many_queries_for_six_wards_as_for_two(small_city) -> None:
    city = small_city
    before = {
        "city": _counts(city, city.coordinator),
        "ward": _counts(city, city.wards[0].coordinator),
    }
    generate(4, 900, search=True, city=city)
    after = {
        "city": _counts(city, city.coordinator),
        "ward": _counts(city, city.wards[0].coordinator),
    }
    assert after == before


def test_the_city_coordinator_sees_every_ward_and_a_ward_sees_only_itself(small_city) -> None:
    city = small_city
    first, second = city.wards
    city_view = Activity.objects.for_user(city.coordinator)
    ward_view = Activity.objects.for_user(first.coordinator)
    assert city_view.filter(unit__path__startswith=second.unit.path).exists()
    assert ward_view.exists()
    assert not ward_view.filter(unit__path__startswith=second.unit.path).exists()
    client = client_for(first.coordinator)
    other_plan = reverse("coverage:matrix", args=[second.plan.pk])
    assert client.get(other_plan).status_code == 404
    assert client_for(city.coordinator).get(other_plan).status_code == 200


def test_the_city_dashboard_counts_every_ward(small_city) -> None:
    city = small_city
    response = client_for(city.coordinator).get(reverse("dashboard:index") + "?plan=all")
    assert response.status_code == 200
    visible = Activity.objects.for_user(city.coordinator).filter(date__year=2026).count()
    assert visible == Activity.objects.filter(deleted_at__isnull=True, date__year=2026).count()


def test_a_ward_under_the_city_lists_its_own_plan_on_the_reports_page(small_city) -> None:
    # The ward's plan is a sub-plan of the city's plan, which the ward does not see.
    ward = small_city.wards[0]
    response = client_for(ward.coordinator).get(reverse("reports:index"))
    assert response.status_code == 200
    assert ward.plan in response.context["plans"]
    city_page = client_for(small_city.coordinator).get(reverse("reports:index"))
    assert small_city.plan in city_page.context["plans"]


def test_a_concern_recorded_in_a_ward_of_the_city_belongs_to_that_ward(small_city) -> None:
    from kehoach.feedback import services
    from kehoach.org.models import ward_of

    ward = small_city.wards[1]
    cell = next(u for u in ward.units if u.kind == "party_cell" and u.parent_id != ward.unit.pk)
    assert ward_of(cell) == ward.unit
    assert ward_of(ward.unit) == ward.unit
    assert ward_of(small_city.root) == small_city.root
    concern = services.record_concern(
        actor=ward.coordinator,
        unit=cell,
        category="urban_order",
        summary="Đèn đường ngõ 12 bị hỏng.",
        source="neighbourhood_meeting",
        people_count=3,
    )
    assert concern.ward == ward.unit
    assert services.public_ward(ward.unit.pk) == ward.unit


def test_under_a_city_the_wards_offered_for_imports_are_the_ward_committees(small_city) -> None:
    from kehoach.accounts import sheets as user_sheets
    from kehoach.activities import sheets as activity_sheets
    from kehoach.feedback import sheets as concern_sheets

    city = small_city
    first, second = city.wards
    # A ward's coordinator imports into their ward, never the city at the root.
    assert activity_sheets.wards_for(first.coordinator) == [first.unit]
    assert concern_sheets.wards_for(first.coordinator) == [first.unit]
    # The city's coordinator may choose the city's own committee or any ward below it.
    city_wards = activity_sheets.wards_for(city.coordinator)
    assert {first.unit, second.unit, city.root} <= set(city_wards)
    units = activity_sheets.ward_units(city.coordinator, second.unit)
    assert units and all(u.path.startswith(second.unit.path) for u in units)
    # The administrators' people import lists every ward, the city included.
    assert {first.unit, second.unit, city.root} <= set(user_sheets.wards())


def test_a_ward_coordinator_under_a_city_plans_the_loudspeakers_of_their_ward(small_city) -> None:
    from kehoach.content.models import BroadcastStation

    first, second = small_city.wards
    client = client_for(first.coordinator)
    page = client.get(reverse("broadcasts:schedule"))
    assert page.status_code == 200
    choices = list(page.context["station_form"].fields["ward"].queryset)
    assert choices == [first.unit]
    response = client.post(
        reverse("broadcasts:station_add"), {"ward": first.unit.pk, "name": "Cụm loa tổ 3"}
    )
    assert response.status_code == 302
    assert BroadcastStation.objects.filter(ward=first.unit, name="Cụm loa tổ 3").exists()
    # Another ward of the same city is not theirs to plan.
    refused = client.post(
        reverse("broadcasts:station_add"), {"ward": second.unit.pk, "name": "Cụm loa lạ"}
    )
    assert refused.status_code == 404  # outside their scope, as every other record
    assert not BroadcastStation.objects.filter(ward=second.unit).exists()

"""Targets over the API: list with progress, create (coordinator), one indicator, figures."""

from decimal import Decimal as D

import pytest

from kehoach.accounts.models import Role
from kehoach.accounts.services import issue_token
from kehoach.core.testing import make_user
from kehoach.indicators.models import Indicator, Measurement
from kehoach.indicators.tests.test_services import create


def call(client, user, method, url, payload=None):
    headers = {"Authorization": f"Bearer {issue_token(actor=user)}"}
    kwargs = {"headers": headers}
    if payload is not None:
        kwargs.update(data=payload, content_type="application/json")
    return getattr(client, method)(f"/api/v1{url}", **kwargs)


@pytest.fixture
def indicator(world):
    return create(world)


def test_the_list_has_progress_and_only_the_wards_indicators(client, world, indicator):
    response = call(client, world.secretary, "get", "/indicators")
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == indicator.pk
    assert item["status"] == "no_data"
    assert [t["year"] for t in item["targets"]] == [2026, 2027]
    assert call(client, world.outsider, "get", "/indicators").json() == []


def test_one_indicator_of_another_ward_is_not_found(client, world, indicator):
    assert call(client, world.outsider, "get", f"/indicators/{indicator.pk}").status_code == 404
    assert call(client, world.secretary, "get", f"/indicators/{indicator.pk}").status_code == 200


def payload(world, **extra):
    return {
        "ward_id": world.ward.pk,
        "programme": "CTr 20",
        "name": "Số hộ nghèo",
        "measure": "hộ",
        "baseline": "42",
        "baseline_year": 2025,
        "direction": "lower",
        "responsible_id": world.committee.pk,
        "targets": {"2026": "30", "2030": "0"},
    } | extra


def test_the_coordinator_creates_an_indicator(client, world):
    response = call(client, world.coordinator, "post", "/indicators", payload(world))
    assert response.status_code == 201, response.content
    indicator = Indicator.objects.get(pk=response.json()["id"])
    assert dict(indicator.targets.values_list("year", "value")) == {2026: D(30), 2030: D(0)}


def test_a_unit_head_may_not_create_an_indicator(client, world):
    assert call(client, world.secretary, "post", "/indicators", payload(world)).status_code == 403
    assert call(client, world.outsider, "post", "/indicators", payload(world)).status_code == 404
    assert not Indicator.objects.exists()


def test_a_bad_indicator_is_422(client, world):
    body = payload(world, responsible_id=world.other_cell.pk)
    assert call(client, world.coordinator, "post", "/indicators", body).status_code == 422


def figure(**extra):
    return {
        "period_label": "Quý I/2026",
        "as_of": "2026-03-31",
        "value": "35",
        "source": "UBND",
    } | extra


def test_the_responsible_unit_posts_a_figure_and_reads_it_back(client, world, indicator):
    officer = make_user("ubnd", unit=world.committee, role=Role.OFFICER)
    url = f"/indicators/{indicator.pk}/measurements"
    response = call(client, officer, "post", url, figure())
    assert response.status_code == 201
    assert response.json()["entered_by_id"] == officer.pk
    listed = call(client, world.secretary, "get", url).json()
    assert [m["as_of"] for m in listed] == ["2026-03-31"]


def test_a_figure_from_the_wrong_unit_is_403_and_another_ward_404(client, world, indicator):
    url = f"/indicators/{indicator.pk}/measurements"
    assert call(client, world.secretary, "post", url, figure()).status_code == 403
    assert call(client, world.outsider, "post", url, figure()).status_code == 404
    assert call(client, world.outsider, "get", url).status_code == 404
    assert not Measurement.objects.exists()


def test_a_figure_without_a_source_is_422(client, world, indicator):
    url = f"/indicators/{indicator.pk}/measurements"
    assert call(client, world.coordinator, "post", url, figure(source="")).status_code == 422

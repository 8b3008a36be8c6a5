from datetime import date

import pytest
from django.test import Client

from kehoach.accounts.models import Role
from kehoach.accounts.services import issue_token
from kehoach.activities.models import Activity
from kehoach.core.testing import ScopedEndpointChecks, make_user
from kehoach.reports import services
from kehoach.reports.models import ReportStatus, UnitReport
from kehoach.reports.tests.builders import log, reporting_world


@pytest.fixture
def rw(world):
    return reporting_world(world)


def _api(user):
    client = Client(headers={"Authorization": f"Bearer {issue_token(actor=user)}"})

    def call(method: str, url: str, data=None):
        kwargs = {"content_type": "application/json"} if data is not None else {}
        return getattr(client, method)(f"/api/v1{url}", data, **kwargs)

    return call


class TestUnitReportEndpointIsScoped(ScopedEndpointChecks):
    def url(self, world):
        return f"/api/v1/unit-reports/{reporting_world(world).report1.pk}"


class TestSubmitEndpointIsScoped(ScopedEndpointChecks):
    method = "post"

    def url(self, world):
        report = reporting_world(world).report1
        services.save_draft(
            actor=world.secretary, report=report, changes={"results": "Kết quả"}, version=1
        )
        return f"/api/v1/unit-reports/{report.pk}/submit"

    # The coordinator sees the report but may not submit for the unit.
    def test_coordinator_above_is_served(self, world) -> None:
        assert self._call(world.coordinator, world).status_code == 403


def test_a_report_is_read_with_live_figures_and_what_the_reader_may_do(world, rw):
    log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, participants=25)
    response = _api(world.secretary)("get", f"/unit-reports/{rw.report1.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["unit_id"] == world.cell1.pk
    assert body["period"]["id"] == rw.period.pk
    assert body["period"]["due_date"] == "2026-06-15"
    assert body["figures_live"] is True
    assert body["figures"]["reach"]["participants"] == 25
    assert body["allowed"] == {"edit": True, "submit": True, "review": False}
    coordinator = _api(world.coordinator)("get", f"/unit-reports/{rw.report1.pk}").json()
    assert coordinator["allowed"] == {"edit": False, "submit": False, "review": False}


def test_the_narrative_is_saved_with_the_version_and_a_stale_one_is_refused(world, rw):
    call = _api(world.secretary)
    url = f"/unit-reports/{rw.report1.pk}"
    saved = call("put", url, {"version": 1, "results": "Kết quả", "opinion": "Đồng tình"})
    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    stale = call("put", url, {"version": 1, "results": "Ghi đè"})
    assert stale.status_code == 422
    assert stale.json()["detail"]
    report = UnitReport.objects.get(pk=rw.report1.pk)
    assert (report.results, report.opinion, report.version) == ("Kết quả", "Đồng tình", 2)


def test_saving_without_a_version_or_with_unknown_fields_is_refused(world, rw):
    call = _api(world.secretary)
    url = f"/unit-reports/{rw.report1.pk}"
    assert call("put", url, {"results": "x"}).status_code == 422
    response = call("put", url, {"version": 1, "status": "accepted"})
    assert response.status_code == 200  # unknown keys are ignored, never applied
    assert UnitReport.objects.get(pk=rw.report1.pk).status == ReportStatus.DRAFT


def test_the_whole_workflow_through_the_api(world, rw):
    activity = log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, views=70)
    head, coordinator = _api(world.secretary), _api(world.coordinator)
    url = f"/unit-reports/{rw.report1.pk}"
    assert head("put", url, {"version": 1, "results": "Kết quả"}).status_code == 200
    assert head("post", f"{url}/submit").json()["status"] == "submitted"
    assert coordinator("get", url).json()["allowed"]["review"] is True
    no_comment = coordinator("post", f"{url}/return", {"comment": "  "})
    assert no_comment.status_code == 422
    returned = coordinator("post", f"{url}/return", {"comment": "Bổ sung ảnh"})
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_comment"] == "Bổ sung ảnh"
    version = returned.json()["version"]
    assert head("put", url, {"version": version, "limitations": "Chưa đều"}).status_code == 200
    assert head("post", f"{url}/submit").json()["status"] == "submitted"
    accepted = coordinator("post", f"{url}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["figures_live"] is False
    assert accepted.json()["figures"]["reach"]["views"] == 70
    assert Activity.objects.get(pk=activity.pk).locked_at is not None
    final = head("put", url, {"version": accepted.json()["version"], "results": "Sửa"})
    assert final.status_code == 422


def test_the_head_cannot_accept_and_another_cell_gets_not_found(world, rw):
    services.submit(
        actor=world.secretary,
        report=services.save_draft(
            actor=world.secretary, report=rw.report1, changes={"results": "x"}, version=1
        ),
    )
    url = f"/unit-reports/{rw.report1.pk}"
    assert _api(world.secretary)("post", f"{url}/accept").status_code == 403
    assert _api(world.secretary2)("post", f"{url}/accept").status_code == 404
    assert _api(world.secretary2)("post", f"{url}/return", {"comment": "x"}).status_code == 404
    assert _api(world.outsider)("put", url, {"version": 2, "results": "x"}).status_code == 404
    assert UnitReport.objects.get(pk=rw.report1.pk).status == ReportStatus.SUBMITTED


def test_periods_are_listed_for_a_plan_in_scope(world, rw):
    response = _api(world.secretary)("get", f"/periods?plan={rw.plan.pk}")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": rw.period.pk,
            "plan_id": rw.plan.pk,
            "kind": "month",
            "label": "Tháng 5/2026",
            "start": "2026-05-01",
            "end": "2026-05-31",
            "due_date": "2026-06-15",
            "due_text": "",
        }
    ]
    assert _api(world.outsider)("get", f"/periods?plan={rw.plan.pk}").status_code == 404
    assert _api(world.outsider)("get", "/periods").json() == []


def test_completeness_is_for_the_coordinator_and_leaders(world, rw):
    leader = make_user("thuongvu", unit=world.ward, role=Role.LEADER)
    url = f"/periods/{rw.period.pk}/completeness"
    response = _api(world.coordinator)("get", url)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("expected", "submitted", "on_time", "late", "missing")} == {
        "expected": 2,
        "submitted": 0,
        "on_time": 0,
        "late": 0,
        "missing": 2,
    }
    assert body["rates"]["missing"] == 100.0
    assert [u["unit_id"] for u in body["units"]] == [world.cell1.pk, world.cell2.pk]
    assert _api(leader)("get", url).status_code == 200
    assert _api(world.secretary)("get", url).status_code == 403
    assert _api(world.outsider)("get", url).status_code == 404

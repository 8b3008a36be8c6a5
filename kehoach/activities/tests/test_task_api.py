from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kehoach.accounts.services import issue_token
from kehoach.activities import task_services as services
from kehoach.activities.models import Task, TaskStatus
from kehoach.core.testing import ScopedEndpointChecks
from kehoach.plans import models as pm
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import stage


@pytest.fixture
def plan(world) -> pm.Plan:
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


def _task(plan, unit, title="Báo cáo", **fields) -> Task:
    return Task.objects.create(plan=plan, unit=unit, title=title, **fields)


def _headers(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(actor=user)}"}


def _get(user, url):
    return Client().get(url, headers=_headers(user))


def _patch(user, task, payload):
    return Client().patch(
        f"/api/v1/tasks/{task.pk}",
        data=payload,
        content_type="application/json",
        headers=_headers(user),
    )


class TestTaskEndpoint(ScopedEndpointChecks):
    def url(self, world) -> str:
        plan = plan_services.save_import(
            actor=world.coordinator, staged=stage(world.ward, world.coordinator)
        )
        return f"/api/v1/tasks/{_task(plan, world.cell1).pk}"


class TestTaskPatchEndpoint(ScopedEndpointChecks):
    method = "patch"

    def url(self, world) -> str:
        plan = plan_services.save_import(
            actor=world.coordinator, staged=stage(world.ward, world.coordinator)
        )
        return f"/api/v1/tasks/{_task(plan, world.cell1).pk}"

    def payload(self, world) -> dict:
        # Reopening an open task changes nothing: only scope decides the answer.
        return {"status": "open"}


def test_one_task_carries_its_period_state_and_who_marked_it(world, plan) -> None:
    services.generate_tasks(actor=world.coordinator, plan=plan)
    task = Task.objects.filter(unit=world.cell1).first()
    services.mark_done(actor=world.secretary, task=task)
    data = _get(world.secretary, f"/api/v1/tasks/{task.pk}").json()
    assert data["id"] == task.pk
    assert (data["plan_id"], data["duty_id"], data["unit_id"]) == (
        plan.pk,
        task.duty_id,
        world.cell1.pk,
    )
    assert data["unit_name"] == world.cell1.name
    assert (data["status"], data["state"], data["done_by"]) == ("done", "done_on_time", "chibo1")
    assert data["done_at"]
    assert set(data) >= {"title", "period_label", "period_start", "period_end", "due_date"}


def test_the_list_is_scoped_and_mine_keeps_my_own_units(world, plan) -> None:
    own = _task(plan, world.cell1)
    other = _task(plan, world.cell2)
    ward = _task(plan, world.ward)
    assert [t["id"] for t in _get(world.secretary, "/api/v1/tasks").json()] == [own.pk]
    assert _get(world.outsider, "/api/v1/tasks").json() == []
    every = {t["id"] for t in _get(world.coordinator, "/api/v1/tasks").json()}
    assert every == {own.pk, other.pk, ward.pk}
    mine = [t["id"] for t in _get(world.coordinator, "/api/v1/tasks?mine=true").json()]
    assert mine == [ward.pk]


def test_the_list_filters_by_unit_plan_state_status_and_due_dates(world, plan) -> None:
    today = timezone.localdate()
    overdue = _task(plan, world.cell1, due_date=today - timedelta(days=2))
    soon = _task(plan, world.cell2, due_date=today + timedelta(days=5))
    done = services.mark_done(
        actor=world.coordinator, task=_task(plan, world.committee, due_date=today)
    )

    def ids(query: str) -> set[int]:
        response = _get(world.coordinator, f"/api/v1/tasks?{query}")
        assert response.status_code == 200, response.content
        return {t["id"] for t in response.json()}

    assert ids(f"unit={world.cell1.pk}") == {overdue.pk}
    assert ids(f"unit={world.ward.pk}") == {overdue.pk, soon.pk, done.pk}
    assert ids(f"plan={plan.pk}") == {overdue.pk, soon.pk, done.pk}
    assert ids("state=overdue") == {overdue.pk}
    assert ids("status=done") == {done.pk}
    assert ids(f"due_before={today.isoformat()}") == {overdue.pk, done.pk}
    assert ids(f"due_after={today.isoformat()}") == {soon.pk, done.pk}


def test_filtering_by_another_wards_unit_is_not_found(world, plan) -> None:
    assert _get(world.coordinator, f"/api/v1/tasks?unit={world.other_cell.pk}").status_code == 404


def test_an_unknown_state_is_refused(world, plan) -> None:
    assert _get(world.coordinator, "/api/v1/tasks?state=maybe").status_code == 422


def test_the_list_query_count_does_not_grow_with_tasks(
    world, plan, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    headers = _headers(world.coordinator)
    client = Client()
    services.mark_done(actor=world.secretary, task=_task(plan, world.cell1))
    client.get("/api/v1/tasks", headers=headers)
    with django_assert_max_num_queries(20) as one:
        client.get("/api/v1/tasks", headers=headers)
    for n in range(20):
        task = _task(plan, world.cell2, f"Việc {n}")
        if n % 2:
            services.mark_done(actor=world.secretary2, task=task)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/api/v1/tasks", headers=headers)


def test_the_unit_marks_its_task_done_and_reopens_it(world, plan) -> None:
    task = _task(plan, world.cell1)
    response = _patch(world.secretary, task, {"status": "done"})
    assert response.status_code == 200
    assert response.json()["done_by"] == "chibo1"
    assert _patch(world.secretary, task, {"status": "open"}).json()["status"] == "open"
    task.refresh_from_db()
    assert (task.status, task.done_by) == (TaskStatus.OPEN, None)


def test_a_cell_secretary_may_not_extend_reassign_or_cancel(world, plan) -> None:
    task = _task(plan, world.cell1, due_date=date(2026, 6, 15))
    for payload in (
        {"due_date": "2026-07-01", "reason": "x"},
        {"unit_id": world.cell2.pk},
        {"cancel_reason": "x"},
    ):
        assert _patch(world.secretary, task, payload).status_code == 403
    task.refresh_from_db()
    assert (task.due_date, task.unit, task.status) == (date(2026, 6, 15), world.cell1, "open")


def test_the_coordinator_extends_with_a_reason_and_without_one_is_refused(world, plan) -> None:
    task = _task(plan, world.cell1, due_date=date(2026, 6, 15))
    refused = _patch(world.coordinator, task, {"due_date": "2026-07-01"})
    assert refused.status_code == 422
    assert refused.json()["detail"]
    ok = _patch(world.coordinator, task, {"due_date": "2026-07-01", "reason": "Chờ số liệu"})
    assert ok.status_code == 200
    assert ok.json()["due_date"] == "2026-07-01"
    assert ok.json()["extension_reason"] == "Chờ số liệu"


def test_reassigning_to_another_wards_unit_is_not_found(world, plan) -> None:
    task = _task(plan, world.cell1)
    assert _patch(world.coordinator, task, {"unit_id": world.other_cell.pk}).status_code == 404
    assert _patch(world.coordinator, task, {"unit_id": world.superior.pk}).status_code == 422


def test_bad_values_are_refused(world, plan) -> None:
    task = _task(plan, world.cell1)
    assert _patch(world.coordinator, task, {"status": "cancelled"}).status_code == 422
    assert _patch(world.coordinator, task, {"due_date": "31/02/2026"}).status_code == 422
    assert _patch(world.coordinator, task, {"cancel_reason": "  "}).status_code == 422
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_several_changes_land_together_or_not_at_all(world, plan) -> None:
    task = _task(plan, world.cell1, due_date=date(2026, 6, 15))
    # The extension and reassignment are fine, but a done task cannot then be cancelled.
    response = _patch(
        world.coordinator,
        task,
        {
            "unit_id": world.cell2.pk,
            "due_date": "2026-07-01",
            "reason": "Chuyển đơn vị",
            "status": "done",
            "cancel_reason": "Trùng",
        },
    )
    assert response.status_code == 422
    task.refresh_from_db()
    assert (task.unit, task.due_date, task.status, task.extension_reason) == (
        world.cell1,
        date(2026, 6, 15),
        TaskStatus.OPEN,
        "",
    )
    response = _patch(
        world.coordinator,
        task,
        {"unit_id": world.cell2.pk, "due_date": "2026-07-01", "reason": "Chuyển đơn vị"},
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert (task.unit, task.due_date) == (world.cell2, date(2026, 7, 1))


def test_a_cancelled_task_cannot_be_reopened_through_the_api(world, plan) -> None:
    task = services.cancel(actor=world.coordinator, task=_task(plan, world.cell1), reason="x")
    assert _patch(world.coordinator, task, {"status": "open"}).status_code == 422
    assert _patch(world.coordinator, task, {"status": "done"}).status_code == 422

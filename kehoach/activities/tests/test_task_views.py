import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from kehoach.activities import task_services as services
from kehoach.activities.models import Task, TaskStatus
from kehoach.core.testing import ScopedViewChecks, client_for
from kehoach.plans import models as pm
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import sample_parsed, stage


@pytest.fixture
def plan(world) -> pm.Plan:
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


def _plan(world, title: str = "tuyên truyền thực hiện Chỉ thị số 58-CT/TW") -> pm.Plan:
    parsed = sample_parsed(title=title)
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator, parsed)
    )


def _task(plan, unit, title="Báo cáo", **fields) -> Task:
    return Task.objects.create(plan=plan, unit=unit, title=title, **fields)


def _ids(html: str, ids: list[int]) -> list[int]:
    """The tasks in the order their elements appear on the page."""
    found = [(html.find(f'id="task-{pk}"'), pk) for pk in ids]
    return [pk for pos, pk in sorted(found) if pos >= 0]


def _classes(html: str, pk: int) -> list[str]:
    """The CSS classes of the element that shows a task."""
    match = re.search(rf'<\w+ class="([^"]*)" id="task-{pk}"', html)
    assert match, f"task {pk} not shown"
    return match.group(1).split()


class TestTaskPage(ScopedViewChecks):
    def url(self, world) -> str:
        return f"/viec/{_task(_plan(world), world.cell1).pk}/"


class TestMarkDoneButton(ScopedViewChecks):
    method = "post"
    ok_status = 302

    def url(self, world) -> str:
        return f"/viec/{_task(_plan(world), world.cell1).pk}/xong/"


def test_my_tasks_puts_what_is_due_soonest_first_and_overdue_in_red(world, plan) -> None:
    today = timezone.localdate()
    later = _task(plan, world.cell1, "Sau", due_date=today + timedelta(days=20))
    undated = _task(plan, world.cell1, "Chưa có hạn")
    soon = _task(plan, world.cell1, "Sắp đến hạn", due_date=today + timedelta(days=2))
    overdue = _task(plan, world.cell1, "Quá hạn", due_date=today - timedelta(days=3))
    html = client_for(world.secretary).get("/viec/").content.decode()
    assert _ids(html, [later.pk, undated.pk, soon.pk, overdue.pk]) == [
        overdue.pk,
        soon.pk,
        later.pk,
        undated.pk,
    ]
    assert "overdue" in _classes(html, overdue.pk)
    assert "overdue" not in _classes(html, soon.pk)
    assert html.count(f'action="/viec/{soon.pk}/xong/"') == 1


def test_my_tasks_shows_only_units_where_the_person_holds_a_role_directly(world, plan) -> None:
    own = _task(plan, world.cell1, "Của chi bộ 1")
    other = _task(plan, world.cell2, "Của chi bộ 2")
    ward_level = _task(plan, world.ward, "Của Đảng ủy")
    html = client_for(world.secretary).get("/viec/").content.decode()
    assert _ids(html, [own.pk, other.pk, ward_level.pk]) == [own.pk]
    # The coordinator holds a role on the ward root, not on each cell.
    html = client_for(world.coordinator).get("/viec/").content.decode()
    assert _ids(html, [own.pk, other.pk, ward_level.pk]) == [ward_level.pk]


def test_my_tasks_leaves_out_cancelled_and_old_done_tasks(world, plan) -> None:
    cancelled = _task(plan, world.cell1, status=TaskStatus.CANCELLED)
    old = _task(
        plan, world.cell1, status=TaskStatus.DONE, done_at=timezone.now() - timedelta(days=90)
    )
    recent = _task(plan, world.cell1, status=TaskStatus.DONE, done_at=timezone.now())
    html = client_for(world.secretary).get("/viec/").content.decode()
    assert _ids(html, [cancelled.pk, old.pk, recent.pk]) == [recent.pk]


def test_pressing_done_on_my_tasks_marks_it_and_returns_to_the_list(world, plan) -> None:
    task = _task(plan, world.cell1)
    response = client_for(world.secretary).post(f"/viec/{task.pk}/xong/", {"next": "/viec/"})
    assert response.status_code == 302
    assert response["Location"] == "/viec/"
    task.refresh_from_db()
    assert (task.status, task.done_by) == (TaskStatus.DONE, world.secretary)


def test_done_refuses_a_foreign_next_address(world, plan) -> None:
    task = _task(plan, world.cell1)
    response = client_for(world.secretary).post(
        f"/viec/{task.pk}/xong/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/viec/{task.pk}/"


def test_my_tasks_query_count_does_not_grow_with_tasks(
    world, plan, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = client_for(world.secretary)
    _task(plan, world.cell1, due_date=date(2026, 6, 1))
    client.get("/viec/")
    with django_assert_max_num_queries(20) as one:
        client.get("/viec/")
    for n in range(12):
        _task(plan, world.cell1, f"Việc {n}", due_date=date(2026, 6, 1) + timedelta(days=n))
        _task(plan, world.cell1, f"Xong {n}", status=TaskStatus.DONE, done_at=timezone.now())
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/viec/")


def test_the_list_of_all_tasks_filters_by_unit_subtree(world, plan) -> None:
    cell = _task(plan, world.cell1)
    committee = _task(plan, world.committee)
    client = client_for(world.coordinator)
    html = client.get("/viec/tat-ca/").content.decode()
    assert _ids(html, [cell.pk, committee.pk]) == sorted([cell.pk, committee.pk])
    html = client.get(f"/viec/tat-ca/?unit={world.ward.pk}").content.decode()
    assert set(_ids(html, [cell.pk, committee.pk])) == {cell.pk, committee.pk}
    html = client.get(f"/viec/tat-ca/?unit={world.cell1.pk}").content.decode()
    assert _ids(html, [cell.pk, committee.pk]) == [cell.pk]


def test_the_list_of_all_tasks_filters_by_state_plan_dates_and_text(world, plan) -> None:
    today = timezone.localdate()
    other_plan = _plan(world, "kế hoạch khác")
    overdue = _task(plan, world.cell1, "Treo băng rôn", due_date=today - timedelta(days=1))
    pending = _task(plan, world.cell2, "Viết tin", due_date=today + timedelta(days=10))
    elsewhere = _task(other_plan, world.cell1, "Họp chi bộ", due_date=today + timedelta(days=40))
    ids = [overdue.pk, pending.pk, elsewhere.pk]
    client = client_for(world.coordinator)

    def shown(query: str) -> set[int]:
        return set(_ids(client.get(f"/viec/tat-ca/?{query}").content.decode(), ids))

    assert shown("state=overdue") == {overdue.pk}
    assert shown("state=pending") == {pending.pk, elsewhere.pk}
    assert shown(f"plan={other_plan.pk}") == {elsewhere.pk}
    assert shown(
        f"due_from={today.isoformat()}&due_to={(today + timedelta(days=30)).isoformat()}"
    ) == {pending.pk}
    assert shown("q=băng rôn") == {overdue.pk}


def test_the_list_of_all_tasks_is_scoped(world, plan) -> None:
    mine = _task(plan, world.cell1)
    theirs = _task(plan, world.cell2)
    html = client_for(world.secretary).get("/viec/tat-ca/").content.decode()
    assert _ids(html, [mine.pk, theirs.pk]) == [mine.pk]
    html = client_for(world.outsider).get("/viec/tat-ca/").content.decode()
    assert _ids(html, [mine.pk, theirs.pk]) == []


def test_the_list_of_all_tasks_is_paginated_by_fifty(world, plan) -> None:
    tasks = [_task(plan, world.cell1, f"Việc {n}") for n in range(55)]
    client = client_for(world.coordinator)
    first = client.get("/viec/tat-ca/").content.decode()
    second = client.get("/viec/tat-ca/?trang=2").content.decode()
    ids = [t.pk for t in tasks]
    assert len(_ids(first, ids)) == 50
    assert len(_ids(second, ids)) == 5


def test_the_list_of_all_tasks_query_count_does_not_grow_with_tasks(
    world, plan, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = client_for(world.coordinator)
    services.mark_done(actor=world.secretary, task=_task(plan, world.cell1))
    client.get("/viec/tat-ca/?state=done_on_time")
    with django_assert_max_num_queries(20) as one:
        client.get("/viec/tat-ca/")
    for n in range(30):
        task = _task(plan, [world.cell1, world.cell2, world.committee][n % 3], f"Việc {n}")
        if n % 2:
            services.mark_done(actor=world.coordinator, task=task)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/viec/tat-ca/")


def test_the_coordinator_extends_a_task_with_a_reason_on_its_page(world, plan) -> None:
    task = _task(plan, world.cell1, due_date=date(2026, 6, 15))
    client = client_for(world.coordinator)
    html = client.get(f"/viec/{task.pk}/").content.decode()
    assert 'id="form-due"' in html and 'id="form-cancel"' in html
    refused = client.post(f"/viec/{task.pk}/han/", {"due_date": "2026-06-30", "reason": ""})
    assert refused.status_code == 422
    assert 'id="action-errors"' in refused.content.decode()
    ok = client.post(f"/viec/{task.pk}/han/", {"due_date": "2026-06-30", "reason": "Chờ số liệu"})
    assert ok.status_code == 302
    task.refresh_from_db()
    assert (task.due_date, task.extension_reason) == (date(2026, 6, 30), "Chờ số liệu")


def test_the_cell_secretary_sees_no_coordinator_actions_and_is_refused_them(world, plan) -> None:
    task = _task(plan, world.cell1, due_date=date(2026, 6, 15))
    client = client_for(world.secretary)
    html = client.get(f"/viec/{task.pk}/").content.decode()
    assert 'id="form-due"' not in html
    assert f'action="/viec/{task.pk}/xong/"' in html
    for suffix, data in (
        ("han/", {"due_date": "2026-07-01", "reason": "x"}),
        ("giao-lai/", {"unit": world.cell2.pk}),
        ("huy/", {"reason": "x"}),
    ):
        assert client.post(f"/viec/{task.pk}/{suffix}", data).status_code == 403
    task.refresh_from_db()
    assert (task.due_date, task.unit, task.status) == (date(2026, 6, 15), world.cell1, "open")


def test_the_coordinator_reassigns_and_cancels_from_the_task_page(world, plan) -> None:
    task = _task(plan, world.cell1)
    client = client_for(world.coordinator)
    assert client.post(f"/viec/{task.pk}/giao-lai/", {"unit": world.cell2.pk}).status_code == 302
    assert client.post(f"/viec/{task.pk}/huy/", {"reason": ""}).status_code == 422
    assert client.post(f"/viec/{task.pk}/huy/", {"reason": "Trùng"}).status_code == 302
    task.refresh_from_db()
    assert (task.unit, task.status, task.cancel_reason) == (world.cell2, "cancelled", "Trùng")


def test_the_unit_reopens_a_done_task_from_its_page(world, plan) -> None:
    task = services.mark_done(actor=world.secretary, task=_task(plan, world.cell1))
    client = client_for(world.secretary)
    assert f'action="/viec/{task.pk}/mo-lai/"' in client.get(f"/viec/{task.pk}/").content.decode()
    assert client.post(f"/viec/{task.pk}/mo-lai/").status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_the_coordinator_adds_a_task(world, plan) -> None:
    client = client_for(world.coordinator)
    assert client.get(f"/viec/them/?plan={plan.pk}").status_code == 200
    response = client.post(
        "/viec/them/",
        {"plan": plan.pk, "unit": world.cell1.pk, "title": "Treo pano", "due_date": "2026-07-01"},
    )
    task = Task.objects.get()
    assert response["Location"] == f"/viec/{task.pk}/"
    assert (task.unit, task.due_date) == (world.cell1, date(2026, 7, 1))


def test_a_cell_secretary_cannot_open_the_add_page(world, plan) -> None:
    assert client_for(world.secretary).get("/viec/them/").status_code == 403


def test_generating_from_the_plan_page_redirects_to_the_plans_tasks(world, plan) -> None:
    client = client_for(world.coordinator)
    block = client.get(f"/viec/ke-hoach/{plan.pk}/").content.decode()
    assert 'id="generate-tasks"' in block
    response = client.post(f"/viec/ke-hoach/{plan.pk}/giao-viec/", follow=True)
    assert response.redirect_chain[-1][0] == f"/viec/tat-ca/?plan={plan.pk}"
    assert Task.objects.filter(plan=plan).count() == 5
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "5" in messages[0]


def test_only_the_coordinator_may_generate_tasks(world, plan) -> None:
    client = client_for(world.secretary)
    assert 'id="generate-tasks"' not in client.get(f"/viec/ke-hoach/{plan.pk}/").content.decode()
    assert client.post(f"/viec/ke-hoach/{plan.pk}/giao-viec/").status_code == 403
    assert client.get(f"/viec/ke-hoach/{plan.pk}/giao-viec/").status_code == 405
    assert (
        client_for(world.outsider).post(f"/viec/ke-hoach/{plan.pk}/giao-viec/").status_code == 404
    )
    assert not Task.objects.exists()


def test_the_plan_page_loads_the_task_box(world, plan) -> None:
    html = client_for(world.coordinator).get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert f'hx-get="/viec/ke-hoach/{plan.pk}/"' in html

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kehoach.accounts.models import Membership, Role
from kehoach.activities import task_services as services
from kehoach.activities.models import Task, TaskState, TaskStatus
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import make_unit, make_user
from kehoach.org.models import UnitKind
from kehoach.plans import models as pm
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import stage


@pytest.fixture
def plan(world) -> pm.Plan:
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


def _duty(plan, heading_start: str, index: int = 0) -> pm.Duty:
    assignment = plan.assignments.get(heading__startswith=heading_start)
    return list(assignment.duties.all())[index]


def _task(world, plan, **fields) -> Task:
    values = {"plan": plan, "unit": world.cell1, "title": "Báo cáo kết quả"}
    values.update(fields)
    return Task.objects.create(**values)


def _audit(task: Task) -> list[AuditEntry]:
    ct = ContentType.objects.get_for_model(Task)
    return list(AuditEntry.objects.filter(content_type=ct, object_id=str(task.pk)).order_by("id"))


# Generation


def test_generating_gives_one_task_per_duty_and_unit_and_none_to_an_outside_body(
    world, plan
) -> None:
    created = services.generate_tasks(actor=world.coordinator, plan=plan)
    # UBND: 1 duty; the party cells: 2 duties × 2 cells; the outside body: nothing.
    assert created == 5
    units = sorted(Task.objects.values_list("unit__name", flat=True))
    assert units.count(world.cell1.name) == 2
    assert units.count(world.cell2.name) == 2
    assert units.count(world.committee.name) == 1
    assert not Task.objects.filter(unit__kind=UnitKind.EXTERNAL).exists()


def test_a_group_assignment_gives_one_task_per_party_cell(world, plan) -> None:
    duty = _duty(plan, "Các cấp ủy", 0)
    services.generate_tasks(actor=world.coordinator, plan=plan)
    assert set(Task.objects.filter(duty=duty).values_list("unit", flat=True)) == {
        world.cell1.pk,
        world.cell2.pk,
    }


def test_an_open_ended_duty_gives_a_task_without_period_or_due_date(world, plan) -> None:
    periodic = _duty(plan, "Các cấp ủy", 1)
    assert periodic.recurrence == "periodic"
    services.generate_tasks(actor=world.coordinator, plan=plan)
    task = Task.objects.get(duty=periodic, unit=world.cell1)
    assert (task.period_start, task.period_label, task.due_date) == (None, "", None)
    assert task.title == periodic.text
    assert task.created_by == world.coordinator


def test_generating_twice_creates_nothing_new(world, plan) -> None:
    monthly = _duty(plan, "Ủy ban")
    pm.Duty.objects.filter(pk=monthly.pk).update(recurrence="monthly", due_day=15)
    first = services.generate_tasks(actor=world.coordinator, plan=plan)
    assert services.generate_tasks(actor=world.coordinator, plan=plan) == 0
    assert Task.objects.count() == first


def test_a_monthly_duty_gives_one_task_a_month_until_the_end_of_the_year(world, plan) -> None:
    monthly = _duty(plan, "Ủy ban")
    pm.Duty.objects.filter(pk=monthly.pk).update(recurrence="monthly", due_day=15)
    services.generate_tasks(actor=world.coordinator, plan=plan)
    tasks = list(Task.objects.filter(duty=monthly).order_by("period_start"))
    # The plan is dated 20/05/2026: May to December.
    assert len(tasks) == 8
    assert (tasks[0].period_start, tasks[0].period_end) == (date(2026, 5, 1), date(2026, 5, 31))
    assert tasks[0].due_date == date(2026, 6, 15)
    assert tasks[-1].due_date == date(2027, 1, 15)
    assert all(t.period_label for t in tasks)
    assert len({t.period_label for t in tasks}) == 8


def test_a_horizon_can_be_chosen(world, plan) -> None:
    monthly = _duty(plan, "Ủy ban")
    pm.Duty.objects.filter(pk=monthly.pk).update(recurrence="quarterly")
    services.generate_tasks(
        actor=world.coordinator, plan=plan, start=date(2027, 1, 1), end=date(2027, 6, 30)
    )
    assert list(
        Task.objects.filter(duty=monthly)
        .order_by("period_start")
        .values_list("due_date", flat=True)
    ) == [date(2027, 3, 31), date(2027, 6, 30)]


def test_a_one_off_duty_with_a_deadline_is_due_that_day(world, plan) -> None:
    duty = _duty(plan, "Ủy ban")
    pm.Duty.objects.filter(pk=duty.pk).update(deadline=date(2026, 6, 30))
    services.generate_tasks(actor=world.coordinator, plan=plan)
    assert Task.objects.get(duty=duty).due_date == date(2026, 6, 30)


def test_a_retired_unit_gets_no_new_tasks(world, plan) -> None:
    world.cell2.is_active = False
    world.cell2.save()
    services.generate_tasks(actor=world.coordinator, plan=plan)
    assert not Task.objects.filter(unit=world.cell2).exists()


def test_generation_is_audited_with_the_coordinator_as_actor(world, plan) -> None:
    services.generate_tasks(actor=world.coordinator, plan=plan)
    entries = _audit(Task.objects.first())
    assert entries[0].action == "create"
    assert entries[0].actor == world.coordinator


@pytest.mark.parametrize("persona", ["secretary", "outsider"])
def test_only_the_coordinator_generates_tasks(world, plan, persona) -> None:
    with pytest.raises(PermissionDenied):
        services.generate_tasks(actor=getattr(world, persona), plan=plan)
    assert not Task.objects.exists()


# Marking done and reopening


def test_the_cell_secretary_marks_the_cells_task_done(world, plan) -> None:
    task = _task(world, plan, due_date=timezone.localdate() + timedelta(days=3))
    done = services.mark_done(actor=world.secretary, task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.done_by == world.secretary
    assert task.done_at is not None
    assert done.state() == TaskState.DONE_ON_TIME
    assert _audit(task)[-1].actor == world.secretary


def test_a_task_done_after_its_date_counts_as_done_late(world, plan) -> None:
    task = _task(world, plan, due_date=timezone.localdate() - timedelta(days=1))
    assert task.state() == TaskState.OVERDUE
    assert services.mark_done(actor=world.secretary, task=task).state() == TaskState.DONE_LATE


def test_another_cell_cannot_mark_the_task_done(world, plan) -> None:
    task = _task(world, plan)
    for persona in (world.secretary2, world.outsider):
        with pytest.raises(PermissionDenied):
            services.mark_done(actor=persona, task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_viewer_cannot_mark_a_task_done(world, plan) -> None:
    viewer = make_user("xem", unit=world.cell1, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.mark_done(actor=viewer, task=_task(world, plan))


def test_the_coordinator_above_can_mark_a_task_done(world, plan) -> None:
    task = services.mark_done(actor=world.coordinator, task=_task(world, plan))
    assert task.done_by == world.coordinator


def test_a_done_task_cannot_be_marked_done_twice(world, plan) -> None:
    task = services.mark_done(actor=world.secretary, task=_task(world, plan))
    with pytest.raises(ValidationError):
        services.mark_done(actor=world.secretary, task=task)


def test_a_cancelled_task_cannot_be_marked_done(world, plan) -> None:
    task = _task(world, plan, status=TaskStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.mark_done(actor=world.secretary, task=task)


def test_reopening_clears_who_marked_it_and_when(world, plan) -> None:
    task = services.mark_done(actor=world.secretary, task=_task(world, plan))
    services.reopen(actor=world.secretary, task=task)
    task.refresh_from_db()
    assert (task.status, task.done_at, task.done_by) == (TaskStatus.OPEN, None, None)


def test_an_open_task_cannot_be_reopened(world, plan) -> None:
    with pytest.raises(ValidationError):
        services.reopen(actor=world.secretary, task=_task(world, plan))


def test_another_cell_cannot_reopen_the_task(world, plan) -> None:
    task = services.mark_done(actor=world.secretary, task=_task(world, plan))
    with pytest.raises(PermissionDenied):
        services.reopen(actor=world.secretary2, task=task)


# The coordinator: add, reassign, extend, cancel


def test_the_coordinator_adds_a_task_for_a_cell(world, plan) -> None:
    task = services.add_task(
        actor=world.coordinator,
        plan=plan,
        unit=world.cell2,
        title="  Treo pano  ",
        due_date=date(2026, 7, 1),
    )
    assert (task.unit, task.title, task.due_date, task.duty) == (
        world.cell2,
        "Treo pano",
        date(2026, 7, 1),
        None,
    )
    assert _audit(task)[0].actor == world.coordinator


def test_a_task_cannot_be_added_for_an_outside_body_or_without_a_title(world, plan) -> None:
    with pytest.raises(ValidationError):
        services.add_task(
            actor=world.coordinator, plan=plan, unit=world.superior, title="x", due_date=None
        )
    with pytest.raises(ValidationError):
        services.add_task(
            actor=world.coordinator, plan=plan, unit=world.cell1, title="  ", due_date=None
        )
    with pytest.raises(ValidationError):
        services.add_task(
            actor=world.coordinator, plan=plan, unit=world.other_cell, title="x", due_date=None
        )
    assert not Task.objects.exists()


def test_a_cell_secretary_cannot_add_tasks(world, plan) -> None:
    with pytest.raises(PermissionDenied):
        services.add_task(
            actor=world.secretary, plan=plan, unit=world.cell1, title="x", due_date=None
        )


def test_the_coordinator_reassigns_a_task_to_another_cell(world, plan) -> None:
    task = services.reassign(actor=world.coordinator, task=_task(world, plan), unit=world.cell2)
    task.refresh_from_db()
    assert task.unit == world.cell2
    entry = _audit(task)[-1]
    assert (entry.before["unit_id"], entry.after["unit_id"]) == (world.cell1.pk, world.cell2.pk)


def test_a_task_cannot_be_reassigned_outside_the_tree_or_scope(world, plan) -> None:
    task = _task(world, plan)
    for unit in (world.superior, world.other_cell):
        with pytest.raises(ValidationError):
            services.reassign(actor=world.coordinator, task=task, unit=unit)
    retired = make_unit("Chi bộ cũ", UnitKind.PARTY_CELL, world.ward, is_active=False)
    with pytest.raises(ValidationError):
        services.reassign(actor=world.coordinator, task=task, unit=retired)
    task.refresh_from_db()
    assert task.unit == world.cell1


def test_reassigning_refuses_a_twin_for_the_same_duty_and_period(world, plan) -> None:
    services.generate_tasks(actor=world.coordinator, plan=plan)
    duty = _duty(plan, "Các cấp ủy", 0)
    task = Task.objects.get(duty=duty, unit=world.cell1)
    with pytest.raises(ValidationError):
        services.reassign(actor=world.coordinator, task=task, unit=world.cell2)


def test_a_cell_secretary_cannot_reassign(world, plan) -> None:
    with pytest.raises(PermissionDenied):
        services.reassign(actor=world.secretary, task=_task(world, plan), unit=world.cell2)


def test_setting_a_first_due_date_needs_no_reason(world, plan) -> None:
    task = services.set_due_date(
        actor=world.coordinator, task=_task(world, plan), due_date=date(2026, 9, 1)
    )
    assert task.due_date == date(2026, 9, 1)
    assert task.extension_reason == ""


def test_extending_a_due_date_needs_a_reason_which_is_audited(world, plan) -> None:
    task = _task(world, plan, due_date=date(2026, 6, 15))
    with pytest.raises(ValidationError):
        services.extend(actor=world.coordinator, task=task, due_date=date(2026, 6, 30), reason=" ")
    task.refresh_from_db()
    assert task.due_date == date(2026, 6, 15)
    services.extend(
        actor=world.coordinator, task=task, due_date=date(2026, 6, 30), reason="Chờ số liệu quý"
    )
    task.refresh_from_db()
    assert (task.due_date, task.extension_reason) == (date(2026, 6, 30), "Chờ số liệu quý")
    entry = _audit(task)[-1]
    assert entry.actor == world.coordinator
    assert entry.before["due_date"] == "2026-06-15"
    assert entry.after["due_date"] == "2026-06-30"
    assert entry.after["extension_reason"] == "Chờ số liệu quý"


def test_a_cell_secretary_cannot_extend_their_own_task(world, plan) -> None:
    task = _task(world, plan, due_date=date(2026, 6, 15))
    with pytest.raises(PermissionDenied):
        services.extend(actor=world.secretary, task=task, due_date=date(2026, 7, 1), reason="x")


def test_a_done_or_cancelled_task_cannot_be_extended(world, plan) -> None:
    for status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        task = _task(world, plan, status=status, due_date=date(2026, 6, 15))
        with pytest.raises(ValidationError):
            services.extend(
                actor=world.coordinator, task=task, due_date=date(2026, 7, 1), reason="x"
            )


def test_cancelling_needs_a_reason_which_is_kept_and_audited(world, plan) -> None:
    task = _task(world, plan)
    with pytest.raises(ValidationError):
        services.cancel(actor=world.coordinator, task=task, reason="")
    services.cancel(actor=world.coordinator, task=task, reason="Trùng nhiệm vụ")
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == (TaskStatus.CANCELLED, "Trùng nhiệm vụ")
    assert task.state() == TaskState.CANCELLED
    assert _audit(task)[-1].after["cancel_reason"] == "Trùng nhiệm vụ"


def test_a_cancelled_task_cannot_be_cancelled_again_or_reassigned(world, plan) -> None:
    task = services.cancel(actor=world.coordinator, task=_task(world, plan), reason="x")
    with pytest.raises(ValidationError):
        services.cancel(actor=world.coordinator, task=task, reason="y")
    with pytest.raises(ValidationError):
        services.reassign(actor=world.coordinator, task=task, unit=world.cell2)


@pytest.mark.parametrize("persona", ["secretary", "secretary2", "outsider"])
def test_only_the_coordinator_cancels(world, plan, persona) -> None:
    task = _task(world, plan)
    with pytest.raises(PermissionDenied):
        services.cancel(actor=getattr(world, persona), task=task, reason="x")


def test_an_officer_of_the_cell_marks_done_but_does_not_manage(world, plan) -> None:
    officer = make_user("canbo", unit=world.cell1, role=Role.OFFICER)
    task = _task(world, plan, due_date=date(2026, 6, 15))
    services.mark_done(actor=officer, task=task)
    with pytest.raises(PermissionDenied):
        services.cancel(actor=officer, task=task, reason="x")
    assert Membership.objects.filter(user=officer).count() == 1

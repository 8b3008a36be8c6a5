"""Run-once guard, the queue-next-run lock and the sweep for tasks of dead workers, in one
process (the multi-process tests are in test_jobs_processes.py)."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from kehoach.core import jobs
from kehoach.core.models import JobRun, JobRunStatus


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def _running(task_id=None):
    """Pretends a task with this id is the one being run."""
    result = SimpleNamespace(id=task_id or "8f8c5a63-6a58-4c59-9d5a-0a1d3f6e2b11", task=None)
    return jobs._current.set(result)


class TestRunOnce:
    def test_a_slot_runs_once(self, db):
        calls = []
        assert jobs.run_once("digest", "2026-06-10", lambda: calls.append(1) or 7) == 7
        assert jobs.run_once("digest", "2026-06-10", lambda: calls.append(1) or 7) == 0
        assert jobs.run_once("digest", "2026-06-11", lambda: calls.append(1) or 7) == 7
        assert len(calls) == 2
        run = JobRun.objects.get(job="digest", slot="2026-06-10")
        assert run.status == JobRunStatus.DONE and run.result == 7

    def test_a_failed_run_may_be_tried_again(self, db):
        def boom() -> int:
            raise RuntimeError("smtp down")

        with pytest.raises(RuntimeError):
            jobs.run_once("digest", "d", boom)
        assert JobRun.objects.get().status == JobRunStatus.FAILED
        assert jobs.run_once("digest", "d", lambda: 3) == 3
        run = JobRun.objects.get()
        assert (run.status, run.attempts) == (JobRunStatus.DONE, 2)

    def test_a_requeued_task_takes_its_own_run_over_but_not_anothers(self, db):
        token = _running("11111111-1111-1111-1111-111111111111")
        try:
            # Its worker died in the middle: the row stays RUNNING under this task's id.
            assert jobs.claim("erase", "d")
            assert jobs.run_once("erase", "d", lambda: 1) == 1
        finally:
            jobs._current.reset(token)
        JobRun.objects.update(status=JobRunStatus.RUNNING)
        token = _running("22222222-2222-2222-2222-222222222222")
        try:
            assert jobs.run_once("erase", "d", lambda: 1) == 0
        finally:
            jobs._current.reset(token)

    def test_the_slot_is_the_planned_day_in_local_time(self, db):
        planned = timezone.make_aware(timezone.datetime(2026, 6, 10, 23, 30))
        result = SimpleNamespace(id="x", task=SimpleNamespace(run_after=planned))
        token = jobs._current.set(result)
        try:
            assert jobs.daily_slot() == "2026-06-10"
            assert jobs.minutes_slot(5) == "2026-06-10T23:30"
        finally:
            jobs._current.reset(token)

    def test_old_runs_are_forgotten(self, db):
        JobRun.objects.create(job="a", slot="1", started_at=timezone.now() - timedelta(days=90))
        JobRun.objects.create(job="a", slot="2", started_at=timezone.now())
        assert jobs.prune_runs() == 1
        assert list(JobRun.objects.values_list("slot", flat=True)) == ["2"]


class TestSchedule:
    def test_the_next_run_is_queued_once(self, db, database_queue):
        from kehoach.activities.tasks import daily_digest

        later = timezone.now() + timedelta(hours=1)
        assert jobs.schedule(daily_digest, later)
        assert not jobs.schedule(daily_digest, later)
        assert jobs.pending(daily_digest).count() == 1

    def test_without_a_worker_nothing_is_queued(self, db):
        from kehoach.activities.tasks import daily_digest

        assert not jobs.schedule(daily_digest, None)

    def test_two_digest_runs_in_a_day_send_once(self, world, database_queue):
        from kehoach.activities.models import DigestLog, Task
        from kehoach.activities.tasks import daily_digest
        from kehoach.plans.models import Plan

        plan = Plan.objects.create(unit=world.ward, title="Kế hoạch tuyên truyền")
        Task.objects.create(plan=plan, unit=world.cell1, title="T", due_date=timezone.localdate())
        first = daily_digest.call()
        assert first > 0
        assert daily_digest.call() == 0
        assert DigestLog.objects.count() == first
        assert jobs.pending(daily_digest).count() == 1


def _stale_task(database_queue, *, minutes: int, tries: int = 1):
    from django_tasks_db.models import DBTaskResult

    from kehoach.core.tests.jobs_probe import probe

    result = probe.enqueue("/dev/null", 1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=minutes),
        worker_ids=[f"w{i}" for i in range(tries)],
    )
    return DBTaskResult.objects.get(pk=result.id)


class TestStaleTasks:
    def test_a_task_left_running_by_a_dead_worker_is_queued_again(self, db, database_queue):
        lost = _stale_task(database_queue, minutes=120)
        young = _stale_task(database_queue, minutes=0)
        assert jobs.requeue_stale() == 1
        lost.refresh_from_db()
        young.refresh_from_db()
        assert (lost.status, young.status) == ("READY", "RUNNING")

    def test_a_task_that_keeps_killing_its_worker_is_given_up(self, db, database_queue):
        lost = _stale_task(database_queue, minutes=120, tries=jobs.MAX_ATTEMPTS)
        assert jobs.requeue_stale() == 0
        lost.refresh_from_db()
        assert lost.status == "FAILED"
        assert lost.exception_class_path == "kehoach.core.jobs.WorkerLost"

    @pytest.mark.postgresql_only  # advisory locks exist on PostgreSQL only
    def test_postgresql_leaves_a_task_whose_worker_still_holds_it(self, db, database_queue):
        import psycopg

        lost = _stale_task(database_queue, minutes=120)
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        with psycopg.connect(**params, autocommit=True) as worker:
            worker.execute("SELECT pg_advisory_lock(%s)", [jobs._lock_key(str(lost.id))])
            assert jobs.requeue_stale() == 0
        # The worker's connection is gone: so is its lock, once the server process has ended.
        deadline = time.monotonic() + 10
        while (requeued := jobs.requeue_stale()) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert requeued == 1

    def test_schedule_jobs_sweeps_and_queues_the_sweep(self, db, database_queue):
        from io import StringIO

        from django.core.management import call_command

        from kehoach.core.tasks import requeue_stale_tasks

        lost = _stale_task(database_queue, minutes=120)
        out = StringIO()
        call_command("schedule_jobs", stdout=out)
        lost.refresh_from_db()
        assert lost.status == "READY"
        assert "1 task(s)" in out.getvalue()
        assert jobs.pending(requeue_stale_tasks).count() == 1

    def test_the_sweep_job_requeues_and_queues_itself(self, db, database_queue):
        from kehoach.core.tasks import requeue_stale_tasks

        _stale_task(database_queue, minutes=120)
        assert requeue_stale_tasks.call() == 1
        assert jobs.pending(requeue_stale_tasks).count() == 1

"""Background jobs when several web processes and several workers share one database.

django-tasks-db already claims a READY task with SELECT ... FOR UPDATE SKIP LOCKED, so two
workers never take the same task. Three gaps remain, closed here:

* A scheduled job may be queued twice (two `schedule_jobs` at once, or a run that queues its next
  run while another does): `run_once` inserts a JobRun row, unique per job and slot, before the
  work; whoever fails to insert it leaves the run to the other. `schedule` queues a next run under
  a row lock per job, so the chain of runs never doubles.
* A worker killed in the middle of a task leaves it RUNNING forever: on PostgreSQL each worker
  holds a session advisory lock on the task while it runs, which the server drops when the
  worker's connection dies; `requeue_stale` puts RUNNING tasks whose lock is free back to READY
  (SQLite, always one machine, has no such lock: there a task RUNNING for TASK_STALE_MINUTES is
  taken as lost).
* A task that kills its worker every time must not loop: after MAX_ATTEMPTS it is marked failed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from kehoach.core.models import JobLock, JobRun, JobRunStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A worker marks a task RUNNING and takes its advisory lock a moment later; a task younger than
# this is never judged lost.
CLAIM_GRACE = timedelta(seconds=30)
KEEP_RUNS = timedelta(days=60)

_current: ContextVar[Any] = ContextVar("kehoach_current_task", default=None)


def _task_model():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult


def _connection():
    return connections[router.db_for_write(_task_model())]


def _lock_key(task_id: str) -> int:
    # pg advisory locks take a signed 64-bit key.
    return int.from_bytes(uuid.UUID(str(task_id)).bytes[:8], "big", signed=True)


def _is_database_worker(sender: Any) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    # db_worker sends the backend instance, other senders send a class.
    return isinstance(sender, DatabaseBackend) or (
        isinstance(sender, type) and issubclass(sender, DatabaseBackend)
    )


def on_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _current.set(task_result)
    connection = _connection()
    if _is_database_worker(sender) and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key(task_result.id)])


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _current.set(None)
    connection = _connection()
    if _is_database_worker(sender) and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(task_result.id)])


def connect_signals() -> None:
    from django_tasks.signals import task_finished, task_started

    task_started.connect(on_task_started, dispatch_uid="kehoach.core.jobs.started")
    task_finished.connect(on_task_finished, dispatch_uid="kehoach.core.jobs.finished")


# --- scheduling -------------------------------------------------------------------------------


def can_schedule(job: Any) -> bool:
    """Only a queue with a worker (the database backend) can hold a run for later."""
    return job.get_backend().supports_defer


def pending(job: Any):
    """Runs of the job waiting in the database queue (READY, whether due yet or not)."""
    from django_tasks.base import TaskResultStatus

    return _task_model().objects.filter(
        task_path=job.module_path, backend_name=job.backend, status=TaskResultStatus.READY
    )


def schedule(job: Any, run_after: datetime | None) -> bool:
    """Queues a run of the job (now when run_after is None) unless one is already waiting;
    True when one was queued. Safe when several processes call it at once."""
    if not can_schedule(job):
        return False
    with transaction.atomic():
        JobLock.objects.bulk_create([JobLock(name=job.module_path)], ignore_conflicts=True)
        # Holding the job's row, the check and the insert below cannot interleave with another
        # process's (SQLite: the IMMEDIATE transaction already serialises writers).
        JobLock.objects.select_for_update().get(name=job.module_path)
        if pending(job).exists():
            return False
        (job.using(run_after=run_after) if run_after else job).enqueue()
    return True


# --- running once per slot ----------------------------------------------------------------------


def current_task() -> Any:
    """The TaskResult of the task this process is running, or None (a direct call)."""
    return _current.get()


def planned_time() -> datetime:
    """When the running task was meant to run: its run_after, or now when it had none."""
    result = current_task()
    run_after = getattr(getattr(result, "task", None), "run_after", None) if result else None
    return run_after or timezone.now()


def daily_slot() -> str:
    return timezone.localtime(planned_time()).date().isoformat()


def minutes_slot(minutes: int) -> str:
    when = timezone.localtime(planned_time())
    return when.replace(
        minute=when.minute - when.minute % minutes, second=0, microsecond=0
    ).strftime("%Y-%m-%dT%H:%M")


def claim(job: str, slot: str) -> bool:
    """Takes the job's run for the slot; False when another process has it or had it."""
    result = current_task()
    task_id = str(result.id) if result is not None else ""
    now = timezone.now()
    try:
        with transaction.atomic():
            JobRun.objects.create(job=job, slot=slot, task_id=task_id, started_at=now)
        return True
    except IntegrityError:
        pass
    # A failed run may be tried again, and a task requeued after its worker died takes over
    # its own run. One UPDATE, so two takers cannot both succeed.
    retry = Q(status=JobRunStatus.FAILED)
    if task_id:
        retry |= Q(status=JobRunStatus.RUNNING, task_id=task_id)
    taken = (
        JobRun.objects.filter(job=job, slot=slot)
        .filter(retry)
        .update(
            status=JobRunStatus.RUNNING,
            task_id=task_id,
            started_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
        )
    )
    return taken == 1


def _finish(job: str, slot: str, status: str, result: Any = None) -> None:
    JobRun.objects.filter(job=job, slot=slot).update(
        status=status, finished_at=timezone.now(), result=result
    )


def run_once(job: str, slot: str, work: Callable[[], int]) -> int:
    """Runs work() unless this job's run for the slot is taken; returns its result, or 0."""
    if not claim(job, slot):
        logger.info("%s %s: already run by another process; skipped", job, slot)
        return 0
    try:
        result = work()
    except BaseException:
        _finish(job, slot, JobRunStatus.FAILED)
        raise
    _finish(job, slot, JobRunStatus.DONE, result)
    return result


# --- tasks whose worker died ------------------------------------------------------------------


def _lock_is_free(cursor: Any, task_id: str) -> bool:
    key = _lock_key(task_id)
    cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
    (free,) = cursor.fetchone()
    if free:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    return bool(free)


def requeue_stale(now: datetime | None = None) -> int:
    """Queues again the RUNNING tasks whose worker is gone; returns how many. Tasks already
    tried MAX_ATTEMPTS times are marked failed instead."""
    from django_tasks.base import TaskResultStatus

    now = now or timezone.now()
    model = _task_model()
    connection = _connection()
    postgres = connection.vendor == "postgresql"
    limit = CLAIM_GRACE if postgres else timedelta(minutes=int(settings.TASK_STALE_MINUTES))
    requeued = 0
    with transaction.atomic(using=connection.alias):
        running = model.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - limit)
        # SKIP LOCKED: a sweep running at the same time takes the other rows.
        candidates = list(running.select_for_update(skip_locked=True))
        if postgres:
            with connection.cursor() as cursor:
                candidates = [r for r in candidates if _lock_is_free(cursor, str(r.id))]
        for result in candidates:
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = "kehoach.core.jobs.WorkerLost"
                result.traceback = f"The worker died {len(result.worker_ids)} times running it."
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error("task %s (%s) abandoned: workers died", result.id, result.task_path)
                continue
            result.status = TaskResultStatus.READY
            result.save(update_fields=["status"])
            requeued += 1
            logger.warning("task %s (%s) requeued: its worker died", result.id, result.task_path)
    return requeued


def prune_runs(now: datetime | None = None) -> int:
    """Forgets JobRun rows older than KEEP_RUNS; the unique slot only matters for a day."""
    now = now or timezone.now()
    deleted, _ = JobRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    return deleted

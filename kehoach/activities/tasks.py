"""Scheduled background jobs: the daily digest and the overdue sweep.

Each job runs in `manage.py db_worker` and, when it finishes, queues its own next run for
the next DIGEST_HOUR (local time). `manage.py schedule_jobs` queues the first run.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task


def next_run(now: datetime | None = None) -> datetime:
    """The next DIGEST_HOUR o'clock in the site's time zone, strictly after now."""
    now = timezone.localtime(now or timezone.now())
    hour = min(23, max(0, int(settings.DIGEST_HOUR)))
    candidate = timezone.make_aware(datetime.combine(now.date(), time(hour)))
    if candidate <= now:
        candidate = timezone.make_aware(
            datetime.combine(now.date() + timedelta(days=1), time(hour))
        )
    return candidate


def can_schedule(job) -> bool:
    """Only a queue with a worker (the database backend) can hold a run for later."""
    return job.get_backend().supports_defer


def pending(job):
    """Runs of the job waiting in the database queue (READY, whether due yet or not)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=job.module_path,
        backend_name=job.backend,
        status=TaskResultStatus.READY,
    )


def schedule(job, now: datetime | None = None) -> bool:
    """Queues the job's next run unless one is already waiting; True when one was queued."""
    if not can_schedule(job) or pending(job).exists():
        return False
    job.using(run_after=next_run(now)).enqueue()
    return True


@task()
def daily_digest() -> int:
    from kehoach.activities.notifications import send_digests

    try:
        return send_digests(timezone.localdate())
    finally:
        schedule(daily_digest)


@task()
def overdue_sweep() -> int:
    from kehoach.activities.notifications import sweep_overdue

    try:
        return sweep_overdue(timezone.localdate())
    finally:
        schedule(overdue_sweep)


JOBS = (daily_digest, overdue_sweep)

"""Scheduled background jobs: the daily digest and the overdue sweep.

Each job runs in `manage.py db_worker` and, when it finishes, queues its own next run for
the next DIGEST_HOUR (local time). `manage.py schedule_jobs` queues the first run. With several
workers each run happens once per day (kehoach.core.jobs.run_once) and the chain never doubles.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from kehoach.core.jobs import can_schedule, daily_slot, pending, run_once
from kehoach.core.jobs import schedule as queue_run

__all__ = ["JOBS", "can_schedule", "daily_digest", "next_run", "overdue_sweep", "pending"]


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


def schedule(job, now: datetime | None = None) -> bool:
    """Queues the job's next daily run unless one is already waiting; True when one was queued."""
    return queue_run(job, next_run(now))


@task()
def daily_digest() -> int:
    from kehoach.activities.notifications import send_digests

    try:
        return run_once("daily_digest", daily_slot(), lambda: send_digests(timezone.localdate()))
    finally:
        schedule(daily_digest)


@task()
def overdue_sweep() -> int:
    from kehoach.activities.notifications import sweep_overdue

    try:
        return run_once("overdue_sweep", daily_slot(), lambda: sweep_overdue(timezone.localdate()))
    finally:
        schedule(overdue_sweep)


JOBS = (daily_digest, overdue_sweep)

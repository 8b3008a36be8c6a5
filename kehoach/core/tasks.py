"""The worker's own housekeeping: tasks whose worker died are queued again."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from kehoach.core import jobs

SWEEP_EVERY_MINUTES = 5


def _sweep() -> int:
    jobs.prune_runs()
    return jobs.requeue_stale()


@task()
def requeue_stale_tasks() -> int:
    """Queues again what dead workers left RUNNING, then queues itself a few minutes later."""
    try:
        return jobs.run_once("requeue_stale_tasks", jobs.minutes_slot(SWEEP_EVERY_MINUTES), _sweep)
    finally:
        jobs.schedule(requeue_stale_tasks, timezone.now() + timedelta(minutes=SWEEP_EVERY_MINUTES))

from django.core.management.base import BaseCommand

from kehoach.activities.tasks import JOBS, can_schedule, next_run, schedule
from kehoach.feedback.tasks import JOBS as CONCERN_JOBS


class Command(BaseCommand):
    help = (
        "Queues the scheduled jobs for their next run, unless a run is already waiting, and "
        "queues again the tasks of workers that died. Safe to run at every start, from "
        "several processes at once."
    )

    def handle(self, *args, **options) -> None:
        from kehoach.core.jobs import requeue_stale

        for job in JOBS + CONCERN_JOBS:
            if not can_schedule(job):
                self.stdout.write(
                    f"{job.name}: the task backend cannot hold runs for later; "
                    "set TASK_BACKEND=database and run the worker."
                )
                continue
            if schedule(job):
                when = next_run().strftime("%H:%M %d/%m/%Y")
                self.stdout.write(f"{job.name}: queued for {when}.")
            else:
                self.stdout.write(f"{job.name}: already queued.")
        if not can_schedule(JOBS[0]):
            return
        requeued = requeue_stale()
        if requeued:
            self.stdout.write(f"{requeued} task(s) of stopped workers queued again.")
        self._every_few_minutes()

    def _every_few_minutes(self) -> None:
        """Publishing due content and the sweep for dead workers' tasks start now, then repeat."""
        from kehoach.content.tasks import publish_scheduled
        from kehoach.core.jobs import schedule as queue_run
        from kehoach.core.tasks import requeue_stale_tasks

        for job in (publish_scheduled, requeue_stale_tasks):
            if queue_run(job, None):
                self.stdout.write(f"{job.name}: queued.")
            else:
                self.stdout.write(f"{job.name}: already queued.")

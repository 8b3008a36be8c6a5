from django.core.management.base import BaseCommand

from kehoach.activities.tasks import JOBS, can_schedule, next_run, schedule
from kehoach.feedback.tasks import JOBS as CONCERN_JOBS


class Command(BaseCommand):
    help = (
        "Queues the daily digest and the overdue sweep for their next run, unless a run is "
        "already waiting. Safe to run at every start."
    )

    def handle(self, *args, **options) -> None:
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
        self._publishing()

    def _publishing(self) -> None:
        """Scheduled content is published every few minutes, not once a day."""
        from kehoach.activities.tasks import pending
        from kehoach.content.tasks import publish_scheduled

        if not can_schedule(publish_scheduled):
            return
        if pending(publish_scheduled).exists():
            self.stdout.write(f"{publish_scheduled.name}: already queued.")
            return
        publish_scheduled.enqueue()
        self.stdout.write(f"{publish_scheduled.name}: queued.")

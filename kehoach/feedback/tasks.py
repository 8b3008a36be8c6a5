"""Daily jobs for concerns: erase residents' contact details after the retention period,
and escalate overdue and hot-spot concerns. Each queues its own next run, like the
reminders in kehoach.activities.tasks, and runs once a day however many workers there are;
`manage.py schedule_jobs` queues the first."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from kehoach.activities.tasks import schedule
from kehoach.core.jobs import daily_slot, run_once


@task()
def erase_contacts() -> int:
    from kehoach.feedback.services import erase_contacts as erase

    try:
        # Erasing twice is harmless (only concerns not yet erased are touched); the guard
        # keeps two workers from writing the same audit entries side by side.
        return run_once("erase_contacts", daily_slot(), lambda: erase(timezone.now()))
    finally:
        schedule(erase_contacts)


@task()
def escalate_concerns() -> int:
    from kehoach.feedback.services import escalate

    try:
        return run_once("escalate_concerns", daily_slot(), lambda: escalate(timezone.now()))
    finally:
        schedule(escalate_concerns)


JOBS = (erase_contacts, escalate_concerns)

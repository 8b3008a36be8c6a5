"""Daily jobs for concerns: erase residents' contact details after the retention period,
and escalate overdue and hot-spot concerns. Each queues its own next run, like the
reminders in kehoach.activities.tasks; `manage.py schedule_jobs` queues the first."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from kehoach.activities.tasks import schedule


@task()
def erase_contacts() -> int:
    from kehoach.feedback.services import erase_contacts as erase

    try:
        return erase(timezone.now())
    finally:
        schedule(erase_contacts)


@task()
def escalate_concerns() -> int:
    from kehoach.feedback.services import escalate

    try:
        return escalate(timezone.now())
    finally:
        schedule(escalate_concerns)


JOBS = (erase_contacts, escalate_concerns)

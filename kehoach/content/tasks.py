"""Background work for content: speaking loudspeaker bulletins, publishing what is due."""

from django_tasks import task


@task()
def speak_bulletin(item_id: int) -> None:
    from kehoach.content.broadcasts import generate_audio
    from kehoach.content.models import ContentItem

    item = ContentItem.objects.filter(pk=item_id).first()
    if item is not None:
        generate_audio(item)


PUBLISH_EVERY_MINUTES = 5


@task()
def publish_scheduled() -> int:
    """Publishes what is due, then queues itself again a few minutes later; once per
    five-minute window however many workers run."""
    from datetime import timedelta

    from django.utils import timezone

    from kehoach.content.services import publish_due
    from kehoach.core.jobs import minutes_slot, run_once, schedule

    try:
        return run_once("publish_scheduled", minutes_slot(PUBLISH_EVERY_MINUTES), publish_due)
    finally:
        schedule(publish_scheduled, timezone.now() + timedelta(minutes=PUBLISH_EVERY_MINUTES))

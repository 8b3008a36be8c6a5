"""Background work for content: speaking loudspeaker bulletins."""

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
    """Publishes what is due, then queues itself again a few minutes later."""
    from datetime import timedelta

    from django.utils import timezone

    from kehoach.activities.tasks import can_schedule, pending
    from kehoach.content.services import publish_due

    try:
        return publish_due()
    finally:
        if can_schedule(publish_scheduled) and not pending(publish_scheduled).exists():
            publish_scheduled.using(
                run_after=timezone.now() + timedelta(minutes=PUBLISH_EVERY_MINUTES)
            ).enqueue()

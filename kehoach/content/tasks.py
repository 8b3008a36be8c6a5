"""Background work for content: speaking loudspeaker bulletins."""

from django_tasks import task


@task()
def speak_bulletin(item_id: int) -> None:
    from kehoach.content.broadcasts import generate_audio
    from kehoach.content.models import ContentItem

    item = ContentItem.objects.filter(pk=item_id).first()
    if item is not None:
        generate_audio(item)

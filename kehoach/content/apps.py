from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "kehoach.content"
    verbose_name = _("Content and channels")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.content import models as m

        for model in (
            m.ContentItem,
            m.ContentTopic,
            m.ContentTarget,
            m.ContentMedia,
            m.BroadcastStation,
            m.BroadcastSlot,
            m.Broadcast,
        ):
            registry.register(model, exclude=("updated_at",))

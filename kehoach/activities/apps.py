from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "kehoach.activities"
    verbose_name = _("Implementation")

    def ready(self) -> None:
        from kehoach.activities import models as m
        from kehoach.audit import registry

        for model in (m.Task, m.Activity, m.ActivityTopic, m.ActivityAudience, m.Evidence):
            registry.register(model, exclude=("updated_at",))

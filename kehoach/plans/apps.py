from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "kehoach.plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.plans import models

        registry.register(models.Plan, exclude=("updated_at", "source_text"))
        for model in (
            models.Topic,
            models.Channel,
            models.Assignment,
            models.AssignmentUnit,
            models.Duty,
            models.Recipient,
            models.Citation,
        ):
            registry.register(model, exclude=("updated_at",))
        registry.register(models.PlanImport, exclude=("updated_at", "parsed", "source_text"))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "kehoach.feedback"
    verbose_name = _("Residents' concerns")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.feedback import models as m

        # Residents' contact details never enter the audit log: they must be erasable.
        registry.register(
            m.Concern, exclude=("updated_at", "resident_name", "resident_contact", "token")
        )
        for model in (m.ConcernAttachment, m.RoutingRule, m.Holiday, m.OpinionDigest):
            registry.register(model, exclude=("updated_at",))

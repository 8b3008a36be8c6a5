from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kehoach.indicators"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.indicators import models as m

        for model in (m.Indicator, m.Target, m.Measurement):
            registry.register(model, exclude=("updated_at",))

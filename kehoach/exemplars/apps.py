from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExemplarsConfig(AppConfig):
    name = "kehoach.exemplars"
    verbose_name = _("Exemplary models")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.exemplars import models as m

        registry.register(m.Exemplar, exclude=("updated_at",))
        registry.register(m.ExemplarPhoto, exclude=("updated_at",))

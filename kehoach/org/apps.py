from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "kehoach.org"
    verbose_name = _("Unit tree")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.org.models import Unit

        # path is derived from parent; recording it would only repeat the parent change.
        registry.register(Unit, exclude=("path", "updated_at"))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kehoach.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from kehoach.core import lookups
        from kehoach.core.jobs import connect_signals

        connect_signals()
        lookups.register()

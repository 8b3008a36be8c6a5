from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kehoach.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # The index is derived data, rebuilt at will: it is deliberately not audited.
        from kehoach.search import index

        index.connect()

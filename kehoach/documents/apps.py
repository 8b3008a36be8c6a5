from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kehoach.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.documents.models import SourceDocument

        registry.register(SourceDocument, exclude=("updated_at", "number_key"))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "kehoach.transfer"
    verbose_name = _("Moving a ward between servers")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.transfer.models import WardTransfer

        # Who took a ward's data out (password hashes, residents' contacts) must be on record.
        registry.register(WardTransfer, exclude=("updated_at",))

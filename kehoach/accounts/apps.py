from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kehoach.accounts"
    verbose_name = _("People and rights")

    def ready(self) -> None:
        from kehoach.accounts.models import ApiToken, Membership, User
        from kehoach.audit import registry

        # last_login changes at every sign-in; logging it would drown real changes.
        registry.register(User, exclude=("last_login",))
        registry.register(Membership)
        registry.register(ApiToken, exclude=("last_used_at",))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kehoach.accounts"
    verbose_name = _("People and rights")

    def ready(self) -> None:
        from kehoach.accounts.models import ApiToken, Membership, TwoFactor, User
        from kehoach.audit import registry

        # last_login changes at every sign-in; logging it would drown real changes.
        registry.register(User, exclude=("last_login",))
        registry.register(Membership)
        registry.register(ApiToken, exclude=("last_used_at",))
        # The log shows the second factor turned on, off or reset and recovery codes spent,
        # never what would let someone produce a code.
        registry.register(TwoFactor, exclude=("secret", "recovery_hashes", "last_step"))

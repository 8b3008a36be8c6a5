from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "kehoach.org"
    verbose_name = _("Unit tree")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kehoach.audit import registry
        from kehoach.org.models import Unit
        from kehoach.org.querysets import tree_changed

        post_save.connect(tree_changed, sender=Unit, dispatch_uid="kehoach_unit_tree_saved")
        post_delete.connect(tree_changed, sender=Unit, dispatch_uid="kehoach_unit_tree_deleted")
        for name in ("saved", "deleted"):
            signal = post_save if name == "saved" else post_delete
            signal.connect(
                tree_changed, sender="accounts.Membership", dispatch_uid=f"kehoach_member_{name}"
            )

        # path is derived from parent; recording it would only repeat the parent change.
        registry.register(Unit, exclude=("path", "updated_at"))

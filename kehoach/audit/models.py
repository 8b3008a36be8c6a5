from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.audit.querysets import AuditEntryQuerySet

# The log is evidence: entries are only ever added. Changing or deleting them through the ORM
# is refused unless the caller opened audit_maintenance() -- prune_audit does, nothing in the
# application does. (Django's own SET_NULL when an account is deleted goes through the base
# manager and only blanks `actor`; `actor_label` keeps the name.)
_maintenance: ContextVar[bool] = ContextVar("kehoach_audit_maintenance", default=False)


class AuditLogImmutable(PermissionDenied):
    """An attempt to change or delete an audit entry outside maintenance."""


@contextmanager
def audit_maintenance() -> Iterator[None]:
    """Opens the log for pruning (and for tests that age entries); closed again on exit."""
    token = _maintenance.set(True)
    try:
        yield
    finally:
        _maintenance.reset(token)


def _refuse(what: str) -> None:
    if not _maintenance.get():
        raise AuditLogImmutable(f"audit entries cannot be {what} (the log is append-only)")


class GuardedAuditEntryQuerySet(AuditEntryQuerySet):
    def update(self, **kwargs: Any) -> int:
        _refuse("changed")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse("deleted")
        return super().delete()

    def _raw_delete(self, using: str) -> int:
        _refuse("deleted")
        return super()._raw_delete(using)


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class Source(models.TextChoices):
    WEB = "web", _("Web interface")
    ADMIN = "admin", _("Administration site")
    API = "api", _("API")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept so the log still names the actor after the account is deleted.
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = GuardedAuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse("deleted")
        return super().delete(*args, **kwargs)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for the fields that differ."""
        before, after = self.before or {}, self.after or {}
        names = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]

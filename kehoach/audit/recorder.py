"""Turns model saves and deletes into audit entries, whatever path they came by.

Signals, not view code, so that the admin, the API, services and commands are all
covered; the entry is written inside the caller's transaction, so a rolled-back
change leaves no entry behind.
"""

import hashlib
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from kehoach.audit import registry
from kehoach.audit.context import current
from kehoach.audit.models import Action, AuditEntry


def snapshot(instance: models.Model) -> dict[str, Any]:
    excluded = registry.excluded_fields(type(instance))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded:
            continue
        value = field.value_from_object(instance)
        if isinstance(value, FieldFile):
            value = value.name or ""
        if field.name in registry.MASKED_FIELDS:
            digest = hashlib.sha256(str(value).encode()).hexdigest()[:6] if value else ""
            value = registry.MASK + digest
        data[field.attname if field.is_relation else field.name] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _actor() -> tuple[Any, str]:
    actor = current().actor
    if hasattr(actor, "resolve"):
        actor = actor.resolve()
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor, actor.get_username()


def record(
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    ctx = current()
    actor, label = _actor()
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        before=before,
        after=after,
    )


def remember(instance: models.Model) -> models.Model:
    """Takes `instance`, just read under a row lock (select_for_update) in the caller's
    transaction, as the audit's "before" of its next save, which then need not read the row
    again. A summary report's row carries its figures (40 KB of JSON): reading and decoding
    it a second time was a tenth of compiling."""
    instance._audit_remembered = snapshot(instance)
    return instance


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool, **kwargs: Any) -> None:
    if raw or not registry.is_audited(sender):
        return
    remembered = instance.__dict__.pop("_audit_remembered", None)
    if remembered is not None and not instance._state.adding:
        instance._audit_before = remembered
        return
    instance._audit_before = None
    if not instance._state.adding and instance.pk is not None:
        stored = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(stored) if stored is not None else None


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool, **kwargs: Any
) -> None:
    if raw or not registry.is_audited(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if before == after:
        return
    record(Action.CREATE if before is None else Action.UPDATE, instance, before, after)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if registry.is_audited(sender):
        record(Action.DELETE, instance, snapshot(instance), None)


def connect() -> None:
    pre_save.connect(_pre_save, dispatch_uid="kehoach_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="kehoach_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="kehoach_audit_post_delete")

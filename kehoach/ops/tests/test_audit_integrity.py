"""The audit log cannot be altered through the application, and pruning keeps exactly what
AUDIT_RETENTION_DAYS says."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kehoach.api.api import api
from kehoach.audit.admin import AuditEntryAdmin
from kehoach.audit.models import Action, AuditEntry, AuditLogImmutable, Source, audit_maintenance
from kehoach.core.testing import client_for, make_user
from kehoach.org.models import Unit

pytestmark = pytest.mark.django_db


def entry(days_old: float = 0) -> AuditEntry:
    made = AuditEntry.objects.create(
        source=Source.SYSTEM,
        action=Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Unit),
        object_id="1",
        object_repr=f"{days_old} ngày",
        after={"name": "gốc"},
    )
    if days_old:
        with audit_maintenance():
            AuditEntry.objects.filter(pk=made.pk).update(at=timezone.now() - timedelta(days_old))
    return made


def log_state() -> list[tuple]:
    return list(AuditEntry.objects.order_by("pk").values_list("pk", "at", "object_repr", "after"))


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(world) -> None:
    item = entry()
    before = log_state()
    item.object_repr = "sửa lén"
    attempts = [
        item.save,
        item.delete,
        lambda: AuditEntry.objects.filter(pk=item.pk).update(object_repr="sửa lén"),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry.objects.bulk_update([item], ["object_repr"]),
        lambda: AuditEntry.objects.update_or_create(pk=item.pk, defaults={"object_repr": "x"}),
    ]
    for attempt in attempts:
        # bulk_update joins the caller's transaction, so each attempt gets its own savepoint.
        with pytest.raises(AuditLogImmutable), transaction.atomic():
            attempt()
    assert log_state() == before


def test_new_entries_are_still_written_and_deleting_an_account_keeps_its_name(world) -> None:
    person = make_user("sap-xoa")
    count = AuditEntry.objects.count()
    unit = Unit.objects.get(pk=world.cell1.pk)
    unit.name = "Chi bộ đổi tên"
    from kehoach.audit.context import acting_as

    with acting_as(person):
        unit.save()
    written = AuditEntry.objects.for_object(unit).first()
    assert AuditEntry.objects.count() == count + 1

    person.delete()  # Django's SET_NULL: only the link to the account goes

    written.refresh_from_db()
    assert written.actor_id is None and written.actor_label == "sap-xoa"


def test_the_admin_offers_no_add_change_or_delete_and_refuses_them(world) -> None:
    item = entry()
    admin_user = world.admin
    admin_user.is_superuser = True
    admin_user.save()
    request = type("R", (), {"user": admin_user})()
    model_admin = AuditEntryAdmin(AuditEntry, None)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, item)
    assert not model_admin.has_delete_permission(request, item)

    client = client_for(admin_user)
    before = log_state()
    base = f"/quan-tri/audit/auditentry/{item.pk}"
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"{base}/change/", {"object_repr": "sửa lén"})
    client.post(
        "/quan-tri/audit/auditentry/",
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )
    for method in ("post", "put", "patch", "delete"):
        getattr(client, method)("/nhat-ky/")
        getattr(client, method)(f"/nhat-ky/{item.content_type_id}/{item.object_id}/")
    assert log_state() == before


def test_the_api_has_no_endpoint_for_the_audit_log_at_all() -> None:
    paths = [prefix + path for prefix, router in api._routers for path in router.path_operations]
    assert paths, "the API lists its operations"
    assert not [p for p in paths if "audit" in p.lower() or "nhat-ky" in p.lower()]


@pytest.mark.parametrize("retention", [30, 365])
def test_pruning_keeps_exactly_what_the_retention_setting_says(settings, retention: int) -> None:
    settings.AUDIT_RETENTION_DAYS = retention
    kept = {entry(days).pk for days in (0, 1, retention - 1, retention - 0.01)}
    gone = {entry(days).pk for days in (retention + 0.01, retention + 1, retention * 3)}

    call_command("prune_audit", stdout=io.StringIO())

    assert set(AuditEntry.objects.values_list("pk", flat=True)) == kept
    assert not gone & set(AuditEntry.objects.values_list("pk", flat=True))

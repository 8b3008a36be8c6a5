"""prune_audit: entries past the retention period go, newer ones stay."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from kehoach.audit.models import Action, AuditEntry, Source, audit_maintenance
from kehoach.org.models import Unit

pytestmark = pytest.mark.django_db


def entry_aged(days: float) -> AuditEntry:
    entry = AuditEntry.objects.create(
        source=Source.SYSTEM,
        action=Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Unit),
        object_id="1",
        object_repr=f"{days} ngày trước",
    )
    with audit_maintenance():
        AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=days))
    return entry


def prune(*args: str) -> str:
    out = io.StringIO()
    call_command("prune_audit", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def remaining() -> set[int]:
    return set(AuditEntry.objects.values_list("pk", flat=True))


def test_entries_older_than_the_given_days_are_deleted_and_newer_ones_kept():
    old = entry_aged(40)
    older = entry_aged(400)
    recent = entry_aged(29)
    today = entry_aged(0)

    output = prune("--days", "30")

    assert remaining() == {recent.pk, today.pk}
    assert old.pk not in remaining() and older.pk not in remaining()
    assert "deleted 2 " in output


def test_without_days_the_retention_setting_is_used(settings):
    settings.AUDIT_RETENTION_DAYS = 100
    gone = entry_aged(101)
    kept = entry_aged(99)

    prune()

    assert remaining() == {kept.pk}
    assert gone.pk not in remaining()


def test_the_default_retention_keeps_five_years():
    kept = entry_aged(4 * 365)
    gone = entry_aged(6 * 365)

    prune()

    assert remaining() == {kept.pk}
    assert gone.pk not in remaining()


def test_a_dry_run_deletes_nothing_but_says_how_many_would_go():
    entries = {entry_aged(40).pk, entry_aged(50).pk, entry_aged(60).pk, entry_aged(1).pk}

    output = prune("--days", "30", "--dry-run")

    assert remaining() == entries
    assert "would delete 3 " in output


def test_nothing_to_prune_is_not_an_error():
    kept = entry_aged(1)
    output = prune("--days", "30")
    assert remaining() == {kept.pk}
    assert "deleted 0 " in output


@pytest.mark.parametrize("days", ["0", "-5"])
def test_a_retention_below_one_day_is_refused_and_deletes_nothing(days: str):
    entry = entry_aged(10)

    with pytest.raises(SystemExit) as exit_info:
        prune("--days", days)

    assert exit_info.value.code == 2
    assert remaining() == {entry.pk}

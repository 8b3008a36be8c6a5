"""manage.py export_ward and import_ward, for moving a ward from a shell."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from kehoach.audit.models import AuditEntry
from kehoach.org.models import Unit
from kehoach.transfer.tests.test_refusals import small_ward

pytestmark = pytest.mark.django_db


def test_a_ward_goes_out_by_name_and_comes_back_in_by_file(tmp_path):
    out = tmp_path / "le-chan.zip"
    with transaction.atomic():
        small_ward()
        stdout = io.StringIO()
        call_command("export_ward", "đảng ủy phường lê chân", str(out), stdout=stdout)
        transaction.set_rollback(True)
    assert "org.Unit" in stdout.getvalue()
    assert "manifest.json" in zipfile.ZipFile(out).namelist()
    stdout = io.StringIO()
    call_command("import_ward", str(out), stdout=stdout)
    ward = Unit.objects.get(name="Đảng ủy phường Lê Chân", parent=None)
    assert f"id {ward.pk}" in stdout.getvalue()
    entry = AuditEntry.objects.get(object_id=str(ward.pk), after__has_key="imported_from")
    assert entry.source == "command"


def test_the_commands_refuse_with_a_message(tmp_path, world):
    with pytest.raises(CommandError, match="No ward found"):
        call_command("export_ward", "Phường không có", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()
    existing = tmp_path / "there.zip"
    existing.write_bytes(b"")
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_ward", str(world.ward.pk), str(existing))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_ward", str(tmp_path / "missing.zip"))
    with pytest.raises(CommandError, match="not a readable ZIP"):
        call_command("import_ward", str(existing))

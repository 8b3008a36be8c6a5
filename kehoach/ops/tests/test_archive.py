"""The archive itself: manifest and checksums, retention, and every refusal leaving things as
they were (a damaged, foreign or hostile archive, a database that already holds data)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kehoach.ops import archive as ar
from kehoach.ops.databases import BackupError
from kehoach.ops.tests.instances import require_pg_tools, vendor
from kehoach.org.models import Unit


@pytest.fixture
def pg_tools() -> None:
    if vendor() == "postgresql":
        require_pg_tools()


def write_archive(path: Path, members: dict[str, bytes], manifest: dict | None = None) -> Path:
    if manifest is None:
        manifest = {
            "format": ar.FORMAT,
            "version": ar.FORMAT_VERSION,
            "created_at": "2026-03-01T00:00:00+00:00",
            "vendor": vendor(),
            "database": "database.sqlite3",
            "migrations": {},
            "media_files": 0,
            "members": {
                name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                for name, data in members.items()
            },
        }
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {**members, ar.MANIFEST: json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def members_of(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


@pytest.mark.django_db(transaction=True)
def test_the_manifest_lists_every_member_with_its_checksum_and_the_migration_state(
    world, settings, tmp_path: Path, pg_tools
) -> None:
    upload = Path(settings.MEDIA_ROOT) / "evidence" / "2026" / "ảnh.jpg"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"\xff\xd8 photo bytes")

    result = ar.create_backup(tmp_path)

    members = members_of(result.path)
    manifest = json.loads(members.pop(ar.MANIFEST))
    assert manifest["vendor"] == vendor()
    assert set(manifest["members"]) == set(members)
    assert members["media/evidence/2026/ảnh.jpg"] == b"\xff\xd8 photo bytes"
    for name, data in members.items():
        assert manifest["members"][name]["sha256"] == hashlib.sha256(data).hexdigest()
    assert "0001_initial" in manifest["migrations"]["org"]
    assert ar.restore_backup(result.path, verify_only=True).media_files >= 1
    assert not list(tmp_path.glob(".backup-*")) and not list(tmp_path.glob("*.part"))


@pytest.mark.django_db(transaction=True)
def test_keep_deletes_all_but_the_newest_archives_and_nothing_else(
    tmp_path: Path, pg_tools
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")
    made = [ar.create_backup(tmp_path, keep=2).path for _ in range(3)]

    assert ar.archives_in(tmp_path) == made[1:]
    assert other.exists()
    with pytest.raises(CommandError):
        call_command("backup", "--output", str(tmp_path), "--keep", "0")
    assert ar.archives_in(tmp_path) == made[1:]


def test_a_changed_byte_is_caught_by_its_checksum(tmp_path: Path) -> None:
    good = write_archive(tmp_path / "good.tar.gz", {"database.sqlite3": b"db", "media/a": b"x"})
    members = members_of(good)
    members["media/a"] = b"y"
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    with pytest.raises(BackupError, match="media/a"):
        ar.extract_and_verify(bad, tmp_path / "x")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "media/../../evil.txt"])
def test_an_entry_pointing_outside_is_refused_before_anything_is_written(
    tmp_path: Path, name: str
) -> None:
    archive = write_archive(tmp_path / "a.tar.gz", {"database.sqlite3": b"db", name: b"!"})
    folder = tmp_path / "deep" / "x"
    folder.mkdir(parents=True)

    with pytest.raises(BackupError):
        ar.extract_and_verify(archive, folder)
    assert not list(folder.iterdir())
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "deep" / "evil.txt").exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a tarball")
    with pytest.raises(BackupError):
        ar.extract_and_verify(junk, tmp_path / "x")
    foreign = write_archive(tmp_path / "f.tar.gz", {"a": b"1"}, manifest={"format": "other"})
    with pytest.raises(BackupError, match=_("This is not a Kế hoạch backup archive.")):
        ar.extract_and_verify(foreign, tmp_path / "y")
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_in_use_and_changes_nothing(
    world, tmp_path: Path, pg_tools
) -> None:
    archive = ar.create_backup(tmp_path).path
    Unit.objects.filter(pk=world.cell1.pk).update(name="Đổi tên sau khi sao lưu")

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert Unit.objects.get(pk=world.cell1.pk).name == "Đổi tên sau khi sao lưu"


@pytest.mark.django_db
def test_an_archive_from_another_database_type_or_a_newer_version_is_refused(
    tmp_path: Path,
) -> None:
    members = {"database.sqlite3": b"db"}
    other = "postgresql" if vendor() == "sqlite" else "sqlite"
    manifest = {
        "format": ar.FORMAT,
        "version": ar.FORMAT_VERSION,
        "vendor": other,
        "database": "database.sqlite3",
        "migrations": {},
        "media_files": 0,
        "members": {"database.sqlite3": {"sha256": hashlib.sha256(b"db").hexdigest()}},
    }
    foreign = write_archive(tmp_path / "o.tar.gz", members, manifest)
    with pytest.raises(BackupError, match=other):
        ar.restore_backup(foreign)

    newer = write_archive(
        tmp_path / "n.tar.gz",
        members,
        {**manifest, "vendor": vendor(), "migrations": {"org": ["9999_from_the_future"]}},
    )
    with pytest.raises(BackupError, match="9999_from_the_future"):
        ar.restore_backup(newer)
    assert Unit.objects.count() == 0

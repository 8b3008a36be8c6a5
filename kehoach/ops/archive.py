"""One backup archive: the database, every uploaded file and a manifest with checksums.

Layout of `kehoach-backup-<UTC time>.tar.gz`:
    database.sqlite3 | database.pgdump   the vendor's own dump
    media/<path>                         every file under MEDIA_ROOT
    manifest.json                        written last: what is inside and its sha256

A restore extracts to a temporary folder, checks every member against the manifest and
refuses anything unexpected before touching the database or MEDIA_ROOT.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import django
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from kehoach.ops import databases
from kehoach.ops.databases import BackupError

FORMAT = "kehoach-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
PREFIX = "kehoach-backup-"
SUFFIX = ".tar.gz"
CHUNK = 1024 * 1024


def default_directory() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups"))


class _HashingReader:
    """Hands tarfile a file's bytes while hashing exactly the bytes it stores."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


def _archive_name(directory: Path, now: datetime) -> Path:
    # Milliseconds keep names unique and in time order, so retention can sort by name.
    stamp = now.strftime("%Y%m%d-%H%M%S-") + f"{now.microsecond // 1000:03d}"
    return directory / f"{PREFIX}{stamp}{SUFFIX}"


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict[str, Any]:
    info = tarfile.TarInfo(arcname)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o644
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


@dataclass
class BackupResult:
    path: Path
    vendor: str
    media_files: int
    pruned: list[Path] = field(default_factory=list)


def create_backup(
    directory: Path | None = None, *, keep: int | None = None, alias: str = "default"
) -> BackupResult:
    directory = Path(directory or default_directory())
    if keep is not None and keep < 1:
        raise BackupError(_("--keep must be at least 1."))
    directory.mkdir(parents=True, exist_ok=True)
    vendor = databases.vendor_of(alias)
    now = datetime.now(UTC)
    target = _archive_name(directory, now)
    partial = target.with_name(target.name + ".part")
    members: dict[str, dict[str, Any]] = {}
    media_count = 0
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as staging:
        dump_name = databases.DUMP_NAMES[vendor]
        dump_path = Path(staging) / dump_name
        databases.dump(alias, dump_path)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                members[dump_name] = _add_file(tar, dump_path, dump_name)
                for path, arcname in _media_files(Path(settings.MEDIA_ROOT)):
                    members[arcname] = _add_file(tar, path, arcname)
                    media_count += 1
                manifest = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "created_at": now.isoformat(),
                    "vendor": vendor,
                    "database": dump_name,
                    "django": django.get_version(),
                    "migrations": databases.applied_migrations(alias),
                    "media_files": media_count,
                    "members": members,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
            # Only a complete archive carries the final name that restore and retention see.
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    pruned = prune_archives(directory, keep) if keep else []
    return BackupResult(path=target, vendor=vendor, media_files=media_count, pruned=pruned)


def archives_in(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def prune_archives(directory: Path, keep: int) -> list[Path]:
    """Deletes all but the newest `keep` archives of the folder; other files are left alone."""
    if keep < 1:
        raise BackupError(_("--keep must be at least 1."))
    old = archives_in(directory)[:-keep]
    for path in old:
        path.unlink()
    return old


@dataclass
class CheckedArchive:
    folder: Path
    manifest: dict[str, Any]

    @property
    def vendor(self) -> str:
        return self.manifest["vendor"]

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database"]

    def media(self) -> Iterator[tuple[Path, str]]:
        for name in sorted(self.manifest["members"]):
            if name.startswith(MEDIA_PREFIX):
                yield self.folder / name, name[len(MEDIA_PREFIX) :]


def _safe_member_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name


def extract_and_verify(archive: Path, folder: Path) -> CheckedArchive:
    """Unpacks into `folder` and checks the manifest and every checksum; raises on any doubt."""
    if not archive.is_file():
        raise BackupError(_("Archive not found: %s") % archive)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            names = []
            for member in tar.getmembers():
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(_("The archive holds an unexpected entry: %s") % member.name)
                names.append(member.name)
            if len(names) != len(set(names)):
                raise BackupError(_("The archive holds the same entry twice."))
            tar.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(_("The archive cannot be read: %s") % exc) from exc
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("The archive has no readable manifest.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This is not a Kế hoạch backup archive."))
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("Backup format version %(version)s is not supported.")
            % {"version": manifest.get("version")}
        )
    members = manifest.get("members") or {}
    if set(members) != set(names) - {MANIFEST} or manifest.get("database") not in members:
        raise BackupError(_("The archive's contents do not match its manifest."))
    for name, expected in sorted(members.items()):
        if _sha256(folder / name) != expected.get("sha256"):
            raise BackupError(_("Checksum mismatch for %s: the archive is damaged.") % name)
    return CheckedArchive(folder=folder, manifest=manifest)


def migration_gaps(manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(in the backup but unknown to this code, known to this code but not in the backup)."""
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, name in in_backup - on_disk)
    pending = sorted(f"{app}.{name}" for app, name in on_disk - in_backup)
    return unknown, pending


def media_in_use(root: Path) -> bool:
    return any(True for _ in _media_files(root))


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    media_files: int
    pending_migrations: list[str]


def restore_backup(
    archive: Path, *, force: bool = False, verify_only: bool = False, alias: str = "default"
) -> RestoreResult:
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="kehoach-restore-") as folder:
        checked = extract_and_verify(Path(archive), Path(folder))
        vendor = databases.vendor_of(alias)
        if checked.vendor != vendor:
            raise BackupError(
                _(
                    "The backup was made on %(backup)s and this server uses %(here)s; "
                    "move data between database types with the ward export instead."
                )
                % {"backup": checked.vendor, "here": vendor}
            )
        unknown, pending = migration_gaps(checked.manifest)
        if unknown and not force:
            raise BackupError(
                _(
                    "The backup comes from a newer version of the application (%(names)s); "
                    "update the application first, or use --force."
                )
                % {"names": ", ".join(unknown[:5])}
            )
        if vendor == "sqlite":
            databases.check_sqlite_file(checked.database)
        if verify_only:
            return RestoreResult(checked.manifest, checked.manifest["media_files"], pending)
        if not force and (databases.holds_data(alias) or media_in_use(media_root)):
            raise BackupError(
                _(
                    "The database or the media folder already holds data; restore only into "
                    "an empty instance, or use --force to replace it."
                )
            )
        databases.load(alias, checked.database)
        count = 0
        for source, relative in checked.media():
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".restoring")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
            count += 1
    return RestoreResult(checked.manifest, count, pending)

"""Opening an uploaded archive and refusing anything malformed before a row is written."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from kehoach.core.text import fold
from kehoach.org.models import Unit, UnitKind
from kehoach.transfer import archive

READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError)


class ImportRefused(Exception):
    """The archive cannot be imported here; the message says why, in Vietnamese."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


@dataclass
class Archive:
    zf: zipfile.ZipFile
    manifest: dict[str, Any]
    names: set[str]
    _rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def close(self) -> None:
        self.zf.close()

    @property
    def ward_name(self) -> str:
        return self.manifest["ward"]["name"]

    def read(self, name: str) -> bytes:
        try:
            return self.zf.read(name)
        except READ_ERRORS:
            raise ImportRefused(
                _("The archive is damaged: %(name)s cannot be read.") % {"name": name}
            ) from None

    def rows(self, label: str, shared: bool = False) -> list[dict[str, Any]]:
        key = ("shared:" if shared else "") + label.lower()
        if key not in self._rows:
            name = archive.data_name(label, shared=shared)
            if name not in self.names:
                raise ImportRefused(_("The archive lacks %(name)s.") % {"name": name})
            try:
                rows = json.loads(self.read(name))
            except ValueError:
                raise ImportRefused(
                    _("%(name)s in the archive is not valid JSON.") % {"name": name}
                ) from None
            if not isinstance(rows, list) or not all(_is_row(r) for r in rows):
                raise ImportRefused(
                    _("%(name)s in the archive does not have the expected records.")
                    % {"name": name}
                )
            self._rows[key] = rows
        return self._rows[key]


def _is_row(row: Any) -> bool:
    return (
        isinstance(row, dict)
        and isinstance(row.get("pk"), int)
        and not isinstance(row.get("pk"), bool)
        and isinstance(row.get("fields"), dict)
    )


def _check_entries(zf: zipfile.ZipFile) -> set[str]:
    infos = zf.infolist()
    if len(infos) > archive.max_entries():
        raise ImportRefused(
            _("The archive holds %(count)s files, more than the %(limit)s allowed.")
            % {"count": len(infos), "limit": archive.max_entries()}
        )
    names: set[str] = set()
    total = 0
    for info in infos:
        if not archive.is_safe_name(info.filename):
            raise ImportRefused(
                _("The archive contains an unsafe file name: %(name)s") % {"name": info.filename}
            )
        if info.filename in names:
            raise ImportRefused(_("The archive contains %(name)s twice.") % {"name": info.filename})
        names.add(info.filename)
        # Declared sizes bound what zipfile will unpack, so their sum is the real total.
        total += info.file_size
    if total > archive.max_bytes():
        raise ImportRefused(
            _("The archive unpacks to %(size)s MB, more than the %(limit)s MB allowed.")
            % {"size": _mb(total), "limit": _mb(archive.max_bytes())}
        )
    return names


def _check_manifest(manifest: Any, names: set[str]) -> None:
    malformed = ImportRefused(_("The archive's manifest.json is malformed."))
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise ImportRefused(_("This is not a ward archive of Kế hoạch."))
    version = manifest.get("format_version")
    if version != archive.FORMAT_VERSION:
        raise ImportRefused(
            _("The archive is in format version %(version)s; this server reads version %(ours)s.")
            % {"version": version, "ours": archive.FORMAT_VERSION}
        )
    ward = manifest.get("ward")
    counts = manifest.get("counts")
    files = manifest.get("files")
    if not (
        isinstance(ward, dict)
        and isinstance(ward.get("pk"), int)
        and isinstance(ward.get("name"), str)
        and ward["name"].strip()
        and isinstance(counts, dict)
        and all(isinstance(v, int) for v in counts.values())
        and isinstance(manifest.get("shared_counts", {}), dict)
        and isinstance(files, dict)
        and all(isinstance(m, dict) and isinstance(m.get("sha256"), str) for m in files.values())
        and isinstance(manifest.get("missing_files", []), list)
    ):
        raise malformed
    for name in files:
        if not name.startswith(archive.FILES_DIR) or name not in names:
            raise ImportRefused(_("The archive lacks %(name)s.") % {"name": name})
    for label in [*counts, *manifest.get("shared_counts", {})]:
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            raise ImportRefused(
                _("This server has no table %(table)s: the archive comes from another version.")
                % {"table": label}
            ) from None


def open_archive(source: str | IO[bytes]) -> Archive:
    """Checks the container and the manifest; nothing is unpacked to disk."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportRefused(_("The file is not a readable ZIP archive.")) from None
    try:
        names = _check_entries(zf)
        if archive.MANIFEST not in names:
            raise ImportRefused(_("The archive has no manifest.json: it is not a ward export."))
        if zf.getinfo(archive.MANIFEST).file_size > archive.MANIFEST_MAX_BYTES:
            raise ImportRefused(_("The archive's manifest.json is malformed."))
        result = Archive(zf=zf, manifest={}, names=names)
        try:
            manifest = json.loads(result.read(archive.MANIFEST))
        except ValueError:
            raise ImportRefused(_("The archive's manifest.json is malformed.")) from None
        _check_manifest(manifest, names)
        result.manifest = manifest
        return result
    except BaseException:
        zf.close()
        raise


def verify_files(source: Archive) -> None:
    """Every file's checksum, before anything is stored."""
    for name, meta in source.manifest["files"].items():
        digest, size = hashlib.sha256(), 0
        try:
            with source.zf.open(name) as data:
                while block := data.read(1024 * 1024):
                    digest.update(block)
                    size += len(block)
        except READ_ERRORS:
            raise ImportRefused(
                _("The archive is damaged: %(name)s cannot be read.") % {"name": name}
            ) from None
        if digest.hexdigest() != meta["sha256"]:
            raise ImportRefused(
                _("%(name)s in the archive is damaged: its checksum does not match.")
                % {"name": name}
            )


def _unique_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key and not f.is_relation
    ]


def check_target(source: Archive) -> None:
    """Refuses when the ward, or a value that must be unique, is on this server already."""
    from kehoach.accounts.models import User

    wanted = fold(source.ward_name)
    roots = Unit.objects.filter(parent=None).exclude(kind=UnitKind.EXTERNAL)
    if any(fold(name) == wanted for name in roots.values_list("name", flat=True)):
        raise ImportRefused(
            _("A ward named “%(ward)s” already exists on this server.") % {"ward": source.ward_name}
        )
    for label in source.manifest["counts"]:
        model = apps.get_model(label)
        for f in _unique_fields(model):
            values = [r["fields"].get(f.attname) for r in source.rows(label)]
            values = [v for v in values if v not in (None, "")]
            taken: list = []
            for start in range(0, len(values), 1000):
                chunk = values[start : start + 1000]
                lookup = {f"{f.attname}__in": chunk}
                taken += list(
                    model._base_manager.filter(**lookup).values_list(f.attname, flat=True)
                )
            if not taken:
                continue
            if model is User:
                raise ImportRefused(
                    _("These usernames are taken on this server: %(names)s")
                    % {"names": ", ".join(sorted(map(str, taken))[:20])}
                )
            raise ImportRefused(
                _("%(model)s: the %(field)s %(values)s is taken on this server.")
                % {
                    "model": model._meta.verbose_name,
                    "field": f.verbose_name,
                    "values": ", ".join(sorted(map(str, taken))[:20]),
                }
            )

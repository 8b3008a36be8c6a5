"""Writes one ward — its records, their history and their files — into a ZIP."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.accounts.models import User
from kehoach.audit.models import AuditEntry
from kehoach.documents.models import SourceDocument
from kehoach.org.models import Unit, UnitKind
from kehoach.transfer import archive, catalogue

CHUNK = 1000
COPY_BYTES = 1024 * 1024


class ExportError(Exception):
    """The ward cannot be exported as it stands; the message says why, in Vietnamese."""


def app_version() -> str:
    try:
        return version("kehoach")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class _State:
    ward: Unit
    ids: dict[str, set[int]] = field(default_factory=dict)
    shared: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    file_names: set[str] = field(default_factory=set)
    external_units: set[int] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)


def find_ward(identity: str) -> Unit:
    """A ward by id or by name (accents and case ignored)."""
    from kehoach.core.text import fold

    roots = Unit.objects.filter(parent=None).exclude(kind=UnitKind.EXTERNAL)
    if identity.strip().isdigit():
        ward = roots.filter(pk=int(identity)).first()
    else:
        wanted = fold(identity.strip())
        matches = [u for u in roots if fold(u.name) == wanted]
        ward = matches[0] if len(matches) == 1 else None
    if ward is None:
        raise ExportError(_("No ward found: %(ward)s") % {"ward": identity})
    return ward


def _scope_filter(ward: Unit, lookup: str) -> models.Q:
    key = f"{lookup}__path__startswith" if lookup else "path__startswith"
    return models.Q(**{key: ward.path})


def _collect_ids(state: _State) -> None:
    ward = state.ward
    for model, lookup in catalogue.scoped_models():
        rows = model._base_manager.filter(_scope_filter(ward, lookup))
        state.ids[catalogue.label(model)] = set(rows.values_list("pk", flat=True))
    members = User.objects.filter(memberships__unit__path__startswith=ward.path)
    state.ids[catalogue.label(User)] = set(members.values_list("pk", flat=True).distinct())
    # Outside bodies (a city board issuing a plan) are shared by every ward of a server.
    externals = Unit.objects.filter(parent=None, kind=UnitKind.EXTERNAL)
    state.external_units = set(externals.values_list("pk", flat=True))


def _reference(state: _State, model: type[models.Model], fk: models.Field, value: int) -> Any:
    """The old id kept in the archive for a foreign key, or None where it cannot follow."""
    target = catalogue.label(fk.related_model)
    if value in state.ids.get(target, ()):
        return value
    if target == catalogue.label(SourceDocument):
        state.shared[target].add(value)
        return value
    if target == catalogue.UNIT and value in state.external_units:
        state.shared[target].add(value)
        return value
    if fk.null:
        # A person without a role in the ward, or a record of another ward: not carried.
        return None
    raise ExportError(
        _("%(model)s no. %(pk)s refers to a record outside the ward (%(field)s).")
        % {"model": model._meta.verbose_name, "pk": value, "field": fk.verbose_name}
    )


def _row(state: _State, model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        value = values[f.attname]
        if f.is_relation and value is not None:
            value = _reference(state, model, f, value)
        elif isinstance(f, models.FileField) and value:
            state.file_names.add(value)
        fields[f.attname] = archive.encode(value)
    return {"pk": values["pk"], "fields": fields}


def _write_json(zf: zipfile.ZipFile, name: str, rows) -> int:
    count = 0
    with zf.open(name, "w") as out:
        out.write(b"[")
        for row in rows:
            out.write(b",\n" if count else b"\n")
            out.write(json.dumps(row, ensure_ascii=False).encode())
            count += 1
        out.write(b"\n]\n")
    return count


def _values(model: type[models.Model], ids: set[int]):
    names = ["pk", *(f.attname for f in model._meta.concrete_fields if not f.primary_key)]
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        yield from model._base_manager.filter(pk__in=chunk).order_by("pk").values(*names)


def _write_model(zf: zipfile.ZipFile, state: _State, model: type[models.Model]) -> None:
    name = catalogue.label(model)
    rows = (_row(state, model, v) for v in _values(model, state.ids[name]))
    state.counts[name] = _write_json(zf, archive.data_name(name), rows)


def _write_shared(zf: zipfile.ZipFile, state: _State) -> dict[str, int]:
    counts = {}
    for model in (Unit, SourceDocument):
        name = catalogue.label(model)
        ids = state.shared.get(name, set())
        if not ids:
            continue
        rows = (_row(state, model, v) for v in _values(model, ids))
        counts[name] = _write_json(zf, archive.data_name(name, shared=True), rows)
    return counts


def _audit_rows(state: _State):
    carried = [*catalogue.scoped_models(), (User, None)]
    for model, _lookup in carried:
        name = catalogue.label(model)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        object_ids = sorted(str(pk) for pk in state.ids.get(name, ()))
        for start in range(0, len(object_ids), CHUNK):
            entries = AuditEntry.objects.filter(
                content_type=content_type, object_id__in=object_ids[start : start + CHUNK]
            ).order_by("pk")
            for entry in entries.values():
                actor = entry["actor_id"]
                yield {
                    "pk": entry["id"],
                    "fields": {
                        "at": archive.encode(entry["at"]),
                        "actor_id": actor if actor in state.ids[catalogue.label(User)] else None,
                        "actor_label": entry["actor_label"],
                        "request_id": entry["request_id"],
                        "source": entry["source"],
                        "action": entry["action"],
                        "content_type": [content_type.app_label, content_type.model],
                        "object_id": entry["object_id"],
                        "object_repr": entry["object_repr"],
                        "before": entry["before"],
                        "after": entry["after"],
                    },
                }


def _write_files(zf: zipfile.ZipFile, state: _State) -> tuple[dict, list[str]]:
    files: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for name in sorted(state.file_names):
        if not archive.is_safe_name(name):
            raise ExportError(_("A stored file has an unsafe name: %(name)s") % {"name": name})
        if not default_storage.exists(name):
            missing.append(name)
            continue
        digest, size = hashlib.sha256(), 0
        # Photos and audio are compressed already: stored as they are, read back quickly.
        info = zipfile.ZipInfo(archive.FILES_DIR + name, date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        with default_storage.open(name, "rb") as source, zf.open(info, "w") as out:
            while block := source.read(COPY_BYTES):
                digest.update(block)
                size += len(block)
                out.write(block)
        files[archive.FILES_DIR + name] = {"sha256": digest.hexdigest(), "size": size}
    return files, missing


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the ward while it is read, whatever is saved meanwhile.

    PostgreSQL reads a repeatable-read snapshot; SQLite (immediate transactions) holds its
    write lock, so saves wait until the export has been read: a move is maintenance.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def export_ward(ward: Unit, out: IO[bytes]) -> dict[str, Any]:
    """Writes the archive to `out`; returns its manifest."""
    if ward.parent_id is not None or ward.kind == UnitKind.EXTERNAL:
        raise ExportError(_("Only a ward (a unit at the top of the tree) can be exported."))
    with _snapshot():
        return _export(ward, out)


def _export(ward: Unit, out: IO[bytes]) -> dict[str, Any]:
    state = _State(ward=ward)
    _collect_ids(state)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for model, _lookup in catalogue.scoped_models():
            _write_model(zf, state, model)
        _write_model(zf, state, User)
        shared = _write_shared(zf, state)
        state.counts[catalogue.label(AuditEntry)] = _write_json(
            zf, archive.data_name(catalogue.label(AuditEntry)), _audit_rows(state)
        )
        files, missing = _write_files(zf, state)
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "app_version": app_version(),
            "exported_at": timezone.now().isoformat(),
            "source": getattr(settings, "SITE_URL", ""),
            "ward": {"pk": ward.pk, "name": ward.name, "short_name": ward.short_name},
            "counts": state.counts,
            "shared_counts": shared,
            "files": files,
            "missing_files": missing,
            # Kept so people sign in with their own passwords after the move.
            "password_hashes": True,
        }
        zf.writestr(archive.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return manifest

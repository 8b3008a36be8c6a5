"""Writes an archive's ward into this server: new ids, one transaction, files checked first."""

from __future__ import annotations

import contextlib
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, models, transaction
from django.utils.translation import gettext as _

from kehoach.accounts.models import User
from kehoach.audit.context import acting_as
from kehoach.audit.models import Action, AuditEntry
from kehoach.audit.recorder import record
from kehoach.documents.models import SourceDocument
from kehoach.org.models import Unit, UnitKind
from kehoach.org.querysets import tree_changed
from kehoach.transfer import archive, catalogue
from kehoach.transfer.reader import Archive, ImportRefused, check_target, verify_files

IdMap = dict[str, dict[int, int]]
USER = catalogue.label(User)
AUDIT = catalogue.label(AuditEntry)
DOCUMENT = catalogue.label(SourceDocument)


@dataclass
class Imported:
    ward: Unit
    counts: dict[str, int]


def _carried_labels() -> set[str]:
    return {catalogue.label(m) for m, _lookup in catalogue.scoped_models()} | {USER, AUDIT}


def _models_in(source: Archive) -> dict[str, type[models.Model]]:
    """The archive's tables, each one this server agrees to take."""
    carried = _carried_labels()
    result = {}
    for name, count in source.manifest["counts"].items():
        model = apps.get_model(name)
        canonical = catalogue.label(model)
        if canonical not in carried:
            raise ImportRefused(
                _("The archive holds %(table)s, which a ward's move never carries.")
                % {"table": name}
            )
        if len(source.rows(name)) != count:
            raise ImportRefused(
                _("The manifest does not match the data in %(table)s.") % {"table": name}
            )
        result[canonical] = model
    for name in source.manifest.get("shared_counts", {}):
        if catalogue.label(apps.get_model(name)) not in (catalogue.UNIT, DOCUMENT):
            raise ImportRefused(
                _("The archive holds %(table)s, which a ward's move never carries.")
                % {"table": name}
            )
    if catalogue.UNIT not in result or USER not in result:
        raise ImportRefused(_("The archive's manifest.json is malformed."))
    # One ward, the one the manifest names (the name the clash check was made with).
    ward = source.manifest["ward"]
    roots = [r for r in source.rows(catalogue.UNIT) if r["fields"].get("parent_id") is None]
    if [(r["pk"], r["fields"].get("name")) for r in roots] != [(ward["pk"], ward["name"])]:
        raise ImportRefused(_("The archive's manifest.json is malformed."))
    return result


def _order(tables: dict[str, type[models.Model]]) -> list[str]:
    """Tables in an order where every row's references are written before it."""
    needs = {
        name: {
            catalogue.label(f.related_model)
            for f in model._meta.concrete_fields
            if f.is_relation and catalogue.label(f.related_model) in tables
        }
        - {name}
        for name, model in tables.items()
        if name not in (USER, AUDIT)
    }
    ordered: list[str] = []
    while needs:
        ready = sorted(n for n, deps in needs.items() if not deps - set(ordered) - {USER})
        if not ready:
            raise ImportRefused(_("The archive's tables refer to each other in a circle."))
        ordered += ready
        for name in ready:
            del needs[name]
    return ordered


class _Writer:
    def __init__(self, source: Archive, tables: dict[str, type[models.Model]]) -> None:
        self.source = source
        self.tables = tables
        self.ids: IdMap = defaultdict(dict)
        self.names: dict[str, str] = {}
        self.stored: list[str] = []
        self.counts: dict[str, int] = {}

    # Files -----------------------------------------------------------------------------

    def store_files(self) -> None:
        for name in self.source.manifest["files"]:
            key = name[len(archive.FILES_DIR) :]
            with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
                with self.source.zf.open(name) as data:
                    while block := data.read(1024 * 1024):
                        buffer.write(block)
                size = buffer.tell()
                buffer.seek(0)
                content = File(buffer, name=key)
                content.size = size
                # The storage picks another name when this one is taken on this server.
                self.names[key] = default_storage.save(key, content)
            self.stored.append(self.names[key])
        for key in self.source.manifest.get("missing_files", []):
            self.names.setdefault(str(key), "")

    def remove_files(self) -> None:
        for name in self.stored:
            with contextlib.suppress(OSError):
                default_storage.delete(name)

    # Values ----------------------------------------------------------------------------

    def value(self, model: type[models.Model], field: models.Field, value: Any) -> Any:
        if value is None:
            return None
        if field.is_relation:
            target = catalogue.label(field.related_model)
            new = self.ids[target].get(value) if isinstance(value, int) else None
            if new is None:
                raise ImportRefused(
                    _("%(model)s refers to a record that is not in the archive (%(field)s).")
                    % {"model": model._meta.verbose_name, "field": field.verbose_name}
                )
            return new
        if isinstance(field, models.FileField):
            if value and value not in self.names:
                raise ImportRefused(_("The archive lacks %(name)s.") % {"name": value})
            return self.names.get(value, "") if value else ""
        if isinstance(field, models.JSONField):
            return value
        try:
            return field.to_python(value)
        except (ValidationError, TypeError, ValueError):
            raise ImportRefused(
                _("%(model)s has a value that cannot be read (%(field)s).")
                % {"model": model._meta.verbose_name, "field": field.verbose_name}
            ) from None

    def build(self, model: type[models.Model], row: dict[str, Any]) -> models.Model:
        by_attname = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        unknown = set(row["fields"]) - set(by_attname)
        if unknown:
            raise ImportRefused(
                _("%(model)s has fields this server does not know: %(fields)s")
                % {"model": model._meta.verbose_name, "fields": ", ".join(sorted(unknown))}
            )
        values = {
            attname: self.value(model, by_attname[attname], value)
            for attname, value in row["fields"].items()
        }
        return model(**values)

    def insert(self, model: type[models.Model], objs: list[models.Model]) -> None:
        """Raw inserts: timestamps kept as they were, and no audit entry per row."""
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        size = 1
        if connection.features.can_return_rows_from_bulk_insert:
            size = max(1, connection.ops.bulk_batch_size(fields, objs) or 1)
            size = min(size, 500)
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            # bulk_create would stamp created_at/updated_at with now; raw=True keeps them.
            rows = model._base_manager._insert(
                batch, fields=fields, returning_fields=[model._meta.pk], raw=True
            )
            for obj, returned in zip(batch, rows, strict=True):
                obj.pk = returned[0]
                obj._state.adding = False

    # Tables ----------------------------------------------------------------------------

    def shared(self) -> None:
        for row in self._shared_rows(catalogue.UNIT):
            fields = row["fields"]
            if fields.get("parent_id") is not None or fields.get("kind") != UnitKind.EXTERNAL:
                raise ImportRefused(_("The archive's manifest.json is malformed."))
            unit = Unit.objects.filter(
                parent=None, kind=UnitKind.EXTERNAL, name=fields.get("name")
            ).first()
            if unit is None:
                unit = self.build(Unit, row)
                unit.path = ""
                self.insert(Unit, [unit])
                self._set_paths([unit])
            self.ids[catalogue.UNIT][row["pk"]] = unit.pk
        for row in self._shared_rows(DOCUMENT):
            key = row["fields"].get("number_key")
            document = SourceDocument.objects.filter(number_key=key).first()
            if document is None:
                document = self.build(SourceDocument, row)
                self.insert(SourceDocument, [document])
            self.ids[DOCUMENT][row["pk"]] = document.pk

    def _shared_rows(self, name: str) -> list[dict[str, Any]]:
        shared = {k.lower() for k in self.source.manifest.get("shared_counts", {})}
        return self.source.rows(name, shared=True) if name.lower() in shared else []

    def users(self) -> None:
        rows = self.source.rows(USER)
        objs = [self.build(User, row) for row in rows]
        for user in objs:
            # This server's administrators are its own; nobody arrives with admin rights.
            user.is_staff = user.is_superuser = False
        self.insert(User, objs)
        self.ids[USER].update({row["pk"]: u.pk for row, u in zip(rows, objs, strict=True)})
        self.counts[USER] = len(objs)

    def table(self, name: str) -> None:
        model = self.tables[name]
        rows = self.source.rows(name)
        self_refs = [
            f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model
        ]
        present = {row["pk"] for row in rows}
        pending = rows
        while pending:
            # Parents before children for self-references (units, sub-plans, duplicates).
            ready = [r for r in pending if not self._waits(r, self_refs, present, name)]
            if not ready:
                raise ImportRefused(_("The archive's tables refer to each other in a circle."))
            objs = [self.build(model, row) for row in ready]
            if model is Unit:
                for unit in objs:
                    unit.path = ""
            self.insert(model, objs)
            if model is Unit:
                self._set_paths(objs)
            self.ids[name].update({r["pk"]: o.pk for r, o in zip(ready, objs, strict=True)})
            done = {id(r) for r in ready}
            pending = [r for r in pending if id(r) not in done]
        self.counts[name] = len(rows)

    def _waits(self, row: dict, refs: list, present: set[int], name: str) -> bool:
        for f in refs:
            old = row["fields"].get(f.attname)
            if old is None or old in self.ids[name]:
                continue
            if old not in present:
                raise ImportRefused(
                    _("%(model)s refers to a record that is not in the archive (%(field)s).")
                    % {"model": self.tables[name]._meta.verbose_name, "field": f.verbose_name}
                )
            return True
        return False

    def _set_paths(self, units: list[Unit]) -> None:
        parents = {
            u.pk: u.path
            for u in Unit.objects.filter(pk__in={u.parent_id for u in units if u.parent_id})
        }
        for unit in units:
            base = parents.get(unit.parent_id, "/") if unit.parent_id else "/"
            unit.path = f"{base}{unit.pk}/"
        Unit.objects.bulk_update(units, ["path"])
        tree_changed()  # bulk_update sends no signal

    def audit(self) -> None:
        objs = []
        for row in self.source.rows(AUDIT):
            fields = dict(row["fields"])
            try:
                content_type = ContentType.objects.get_by_natural_key(
                    *fields.pop("content_type", None)
                )
                model = content_type.model_class()
            except (ContentType.DoesNotExist, TypeError, ValueError):
                model = None
            name = catalogue.label(model) if model is not None else ""
            old = fields.get("object_id")
            new = self.ids[name].get(int(old)) if str(old).isdigit() else None
            if new is None:
                raise ImportRefused(
                    _("%(model)s refers to a record that is not in the archive (%(field)s).")
                    % {"model": AuditEntry._meta.verbose_name, "field": "object_id"}
                )
            fields["object_id"] = str(new)
            fields["before"] = self._snapshot(model, fields.get("before"), new)
            fields["after"] = self._snapshot(model, fields.get("after"), new)
            entry = self.build(AuditEntry, {"pk": row["pk"], "fields": fields})
            entry.content_type = content_type
            objs.append(entry)
        self.insert(AuditEntry, objs)
        self.counts[AUDIT] = len(objs)

    def _snapshot(self, model: type[models.Model], snap: Any, new_pk: int) -> Any:
        """The old ids inside a logged before/after, rewritten to this server's ids."""
        if not isinstance(snap, dict):
            return snap
        result = dict(snap)
        pk_name = model._meta.pk.name
        if pk_name in result:
            result[pk_name] = new_pk
        for f in model._meta.concrete_fields:
            value = result.get(f.attname)
            if value is None:
                continue
            if f.is_relation:
                result[f.attname] = self.ids[catalogue.label(f.related_model)].get(value)
            elif isinstance(f, models.FileField):
                result[f.attname] = self.names.get(value, value)
        return result


def import_ward(source: Archive, *, actor=None) -> Imported:
    """Everything in one transaction; the files stored are removed again if it fails."""
    tables = _models_in(source)
    order = _order(tables)
    check_target(source)
    verify_files(source)
    writer = _Writer(source, tables)
    try:
        with transaction.atomic(), acting_as(actor):
            writer.store_files()
            writer.shared()
            writer.users()
            for name in order:
                writer.table(name)
            if AUDIT in tables:
                writer.audit()
            old_ward = source.manifest["ward"]["pk"]
            ward_pk = writer.ids[catalogue.UNIT].get(old_ward)
            ward = Unit.objects.filter(pk=ward_pk, parent=None).first()
            if ward is None:
                raise ImportRefused(_("The archive's manifest.json is malformed."))
            record(
                Action.CREATE,
                ward,
                None,
                {
                    "imported_from": str(source.manifest.get("source", "")),
                    "exported_at": str(source.manifest.get("exported_at", "")),
                    "records": writer.counts,
                },
            )
    except ImportRefused:
        writer.remove_files()
        raise
    except DatabaseError as exc:
        writer.remove_files()
        raise ImportRefused(
            _("The data could not be written: %(error)s") % {"error": str(exc)[:300]}
        ) from None
    except BaseException:
        writer.remove_files()
        raise
    counts = {catalogue.label(apps.get_model(name)): 0 for name in source.manifest["counts"]}
    return Imported(ward=ward, counts=counts | writer.counts)

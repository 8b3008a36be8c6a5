"""Starting and running a ward's export or import; administrators only."""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kehoach.audit.context import acting_as
from kehoach.org.models import Unit, UnitKind
from kehoach.transfer import exporter, importer, reader
from kehoach.transfer.models import Direction, TransferStatus, WardTransfer

# Sent after an import commits, with `ward` and `counts`: derived data (the search index)
# is rebuilt by whoever keeps it, since the rows arrive without save signals.
ward_imported = Signal()


def require_admin(actor) -> None:
    if not (actor and actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied


def archive_filename(ward: Unit) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{slugify(ward.name) or 'phuong'}-{stamp}.zip"


def request_export(*, actor, ward: Unit) -> WardTransfer:
    """Queues the export; the worker writes the archive after this transaction commits."""
    from kehoach.transfer.tasks import export_ward_task

    require_admin(actor)
    if ward.parent_id is not None or ward.kind == UnitKind.EXTERNAL:
        raise ValidationError(_("Only a ward (a unit at the top of the tree) can be exported."))
    with transaction.atomic(), acting_as(actor):
        transfer = WardTransfer.objects.create(
            direction=Direction.EXPORT, ward=ward, ward_name=ward.name, requested_by=actor
        )
        transaction.on_commit(lambda: export_ward_task.enqueue(transfer.pk))
    return transfer


def _finish(transfer: WardTransfer, *, error: str = "", counts: dict | None = None) -> None:
    transfer.status = TransferStatus.FAILED if error else TransferStatus.DONE
    transfer.error = error
    transfer.counts = counts or {}
    transfer.finished_at = timezone.now()
    transfer.save()


def run_export(transfer_id: int) -> WardTransfer:
    transfer = WardTransfer.objects.select_related("ward", "requested_by").get(pk=transfer_id)
    if transfer.status != TransferStatus.PENDING:
        return transfer
    with acting_as(transfer.requested_by):
        if transfer.ward is None:
            _finish(transfer, error=_("The ward no longer exists."))
            return transfer
        with tempfile.TemporaryFile() as out:
            try:
                manifest = exporter.export_ward(transfer.ward, out)
            except exporter.ExportError as exc:
                _finish(transfer, error=str(exc))
                return transfer
            transfer.size = out.tell()
            out.seek(0)
            transfer.file.save(archive_filename(transfer.ward), File(out), save=False)
        _finish(transfer, counts=manifest["counts"])
    return transfer


def stage_import(*, actor, upload) -> WardTransfer:
    """Checks the archive now, so the administrator hears at once what is wrong."""
    from kehoach.transfer.tasks import import_ward_task

    require_admin(actor)
    try:
        source = reader.open_archive(upload)
    except reader.ImportRefused as exc:
        raise ValidationError(str(exc)) from None
    try:
        reader.check_target(source)
        ward_name = source.ward_name
    except reader.ImportRefused as exc:
        raise ValidationError(str(exc)) from None
    finally:
        source.close()
    upload.seek(0)
    with transaction.atomic(), acting_as(actor):
        transfer = WardTransfer(
            direction=Direction.IMPORT,
            ward_name=ward_name[:255],
            requested_by=actor,
            size=getattr(upload, "size", 0) or 0,
        )
        transfer.file.save("phuong.zip", upload, save=False)
        transfer.save()
        transaction.on_commit(lambda: import_ward_task.enqueue(transfer.pk))
    return transfer


def import_from(source_file, *, actor=None) -> importer.Imported:
    """Imports an archive (a path or an open file); raises reader.ImportRefused."""
    archive = reader.open_archive(source_file)
    try:
        result = importer.import_ward(archive, actor=actor)
    finally:
        archive.close()
    _rebuild_derived()
    ward_imported.send(sender=WardTransfer, ward=result.ward, counts=result.counts)
    return result


def _rebuild_derived() -> None:
    """The import writes rows without save signals: the dashboard tallies and the search
    index, both derived from the records, are rebuilt from them."""
    from kehoach.dashboard import tallies
    from kehoach.search import index

    tallies.rebuild()
    index.rebuild()


def run_import(transfer_id: int) -> WardTransfer:
    transfer = WardTransfer.objects.select_related("requested_by").get(pk=transfer_id)
    if transfer.status != TransferStatus.PENDING:
        return transfer
    with acting_as(transfer.requested_by):
        try:
            with transfer.file.open("rb") as data:
                result = import_from(data, actor=transfer.requested_by)
        except reader.ImportRefused as exc:
            _finish(transfer, error=str(exc))
        else:
            transfer.ward = result.ward
            _finish(transfer, counts=result.counts)
        # The upload holds password hashes and contacts: not kept once it has been read.
        transfer.file.delete(save=False)
        transfer.save()
    return transfer


def delete_file(*, actor, transfer: WardTransfer) -> WardTransfer:
    require_admin(actor)
    with transaction.atomic(), acting_as(actor):
        if transfer.file:
            transfer.file.delete(save=False)
        transfer.save()
    return transfer

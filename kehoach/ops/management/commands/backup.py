from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kehoach.ops.archive import create_backup, default_directory
from kehoach.ops.databases import BackupError


class Command(BaseCommand):
    help = (
        "Writes one archive with the database (consistent while in use), every uploaded file "
        "and a manifest of checksums; --keep N then deletes all but the newest N archives."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="folder for the archive")
        parser.add_argument("--keep", type=int, default=None, help="archives to keep")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output: Path | None, keep: int | None, database: str, **options):
        try:
            result = create_backup(output or default_directory(), keep=keep, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup written: %(path)s (%(vendor)s, %(count)d uploaded files)")
            % {"path": result.path, "vendor": result.vendor, "count": result.media_files}
        )
        if not isinstance(default_storage, FileSystemStorage):
            self.stdout.write(
                _(
                    "Uploaded files are kept in object storage, not in MEDIA_ROOT: back the "
                    "bucket up separately."
                )
            )
        for path in result.pruned:
            self.stdout.write(_("Old backup deleted: %s") % path.name)

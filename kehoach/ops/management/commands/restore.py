from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kehoach.ops.archive import restore_backup
from kehoach.ops.databases import BackupError


class Command(BaseCommand):
    help = (
        "Restores a backup archive into an empty database and MEDIA_ROOT after checking every "
        "checksum; --force replaces a database that already holds data."
    )
    # The checks must not touch a database that is about to be replaced.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="replace existing data")
        parser.add_argument(
            "--verify-only", action="store_true", help="check the archive, change nothing"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive: Path, force: bool, verify_only: bool, database: str, **o):
        try:
            result = restore_backup(archive, force=force, verify_only=verify_only, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        if verify_only:
            self.stdout.write(
                _("Archive is intact: made %(at)s on %(vendor)s, %(count)d uploaded files.")
                % {
                    "at": manifest["created_at"],
                    "vendor": manifest["vendor"],
                    "count": result.media_files,
                }
            )
        else:
            self.stdout.write(
                _("Restored the backup of %(at)s: database and %(count)d uploaded files.")
                % {"at": manifest["created_at"], "count": result.media_files}
            )
        if result.pending_migrations:
            self.stdout.write(
                _("This version has newer database changes: run `manage.py migrate` now.")
            )

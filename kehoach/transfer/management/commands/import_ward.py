from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kehoach.audit.context import audit_context
from kehoach.transfer import reader, services


class Command(BaseCommand):
    help = (
        "Imports a ward exported by export_ward. Refused, with nothing written, if the ward "
        "or one of its usernames is on this server already or the archive is damaged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the .zip written by export_ward")

    def handle(self, *args, archive: str, **options) -> None:
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"no such file: {archive}")
        try:
            with audit_context(source="command"), path.open("rb") as stream:
                result = services.import_from(stream)
        except reader.ImportRefused as exc:
            raise CommandError(str(exc)) from None
        total = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"{result.ward.name} (id {result.ward.pk}): {total} records")
        )
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<32} {count}")

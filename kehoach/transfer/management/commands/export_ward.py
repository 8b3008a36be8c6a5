from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kehoach.audit.context import audit_context
from kehoach.transfer import exporter


class Command(BaseCommand):
    help = (
        "Writes a whole ward (records, history, uploaded files) into a ZIP for another "
        "server. The ZIP holds password hashes and residents' contacts: keep it safe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ward", help="the ward's id or name")
        parser.add_argument("out", help="the .zip file to write")

    def handle(self, *args, ward: str, out: str, **options) -> None:
        target = Path(out)
        if target.exists():
            raise CommandError(f"{out} exists already; give another name")
        try:
            with audit_context(source="command"):
                unit = exporter.find_ward(ward)
                with target.open("wb") as stream:
                    manifest = exporter.export_ward(unit, stream)
        except exporter.ExportError as exc:
            target.unlink(missing_ok=True)
            raise CommandError(str(exc)) from None
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        total = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{unit.name}: {total} records, {len(manifest['files'])} files → {out}"
            )
        )
        for name, count in manifest["counts"].items():
            self.stdout.write(f"  {name:<32} {count}")
        if manifest["missing_files"]:
            self.stdout.write(
                self.style.WARNING(f"{len(manifest['missing_files'])} files were missing")
            )

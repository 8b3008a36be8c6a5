from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kehoach.audit.models import AuditEntry, audit_maintenance


class Command(BaseCommand):
    help = "Deletes audit entries older than the retention period (AUDIT_RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days: int | None, dry_run: bool, **options) -> None:
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("--days must be at least 1")
            raise SystemExit(2)
        old = AuditEntry.objects.older_than(days)
        count = old.count()
        if not dry_run:
            with audit_maintenance():
                old.delete()
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} audit entries older than {days} days")

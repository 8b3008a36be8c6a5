import time

from django.core.management.base import BaseCommand, CommandError

from kehoach.search.index import rebuild
from kehoach.search.kinds import KINDS


class Command(BaseCommand):
    help = (
        "Rebuilds the search index from the records (all kinds, or those named). Safe to run "
        "at any time: searches see the old index until the new one is committed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kinds", nargs="*", help=f"any of: {', '.join(KINDS)}")

    def handle(self, *args, **options) -> None:
        unknown = [k for k in options["kinds"] if k not in KINDS]
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(unknown)}. Use: {', '.join(KINDS)}")
        started = time.perf_counter()
        counts = rebuild(options["kinds"] or None)
        for code, count in counts.items():
            self.stdout.write(f"  {code:<16} {count:>8}")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {sum(counts.values())} entries, {elapsed:.1f} s"
            )
        )

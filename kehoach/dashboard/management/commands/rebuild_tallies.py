import time

from django.core.management.base import BaseCommand

from kehoach.dashboard.tallies import rebuild


class Command(BaseCommand):
    help = (
        "Rebuilds the dashboard's monthly tallies from the activities. Run it after any bulk "
        "load that skips model signals. Safe at any time: readers see the old tallies until "
        "the new ones are committed."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        counts = rebuild()
        for name, count in counts.items():
            self.stdout.write(f"  {name:<10} {count:>8}")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Monthly tallies rebuilt in {elapsed:.1f} s"))

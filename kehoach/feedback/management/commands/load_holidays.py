from django.core.management.base import BaseCommand

from kehoach.feedback.holidays import load_holidays


class Command(BaseCommand):
    help = (
        "Writes the Vietnamese public holidays 2025–2027 into the Public holidays table, "
        "which concern deadlines skip. Safe to run again: existing days are kept."
    )

    def handle(self, *args, **options) -> None:
        created, renamed = load_holidays()
        self.stdout.write(f"Public holidays: {created} added, {renamed} renamed.")

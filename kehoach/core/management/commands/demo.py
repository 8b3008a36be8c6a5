from django.conf import settings
from django.core.management.base import BaseCommand

from kehoach.accounts.backends import DEMO_PASSWORD
from kehoach.core.demo import load_demo, load_demo_plan


class Command(BaseCommand):
    help = "Loads the demo ward (Đảng ủy phường Lê Chân). Safe to run again."

    def handle(self, *args, **options) -> None:
        users = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo ward ready: Đảng ủy phường Lê Chân"))
        plan_id = load_demo_plan()
        if plan_id:
            self.stdout.write(f"Imported the ward's communication plan (id {plan_id}).")
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: demo passwords are refused on this server.")
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in users:
            role = spec.role or "administrator"
            self.stdout.write(f"  {spec.username:<12} {role:<12} {spec.unit}")

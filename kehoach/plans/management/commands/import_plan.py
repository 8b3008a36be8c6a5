import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kehoach.accounts.models import User
from kehoach.accounts.querysets import memberships_of
from kehoach.plans import services
from kehoach.plans.messages import render


class Command(BaseCommand):
    help = (
        "Reads a plan document (.txt, .docx, .pdf, .html). With --dry-run --json prints the "
        "parsed plan as one JSON object; without --dry-run saves it as --as USERNAME and "
        "prints its id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--as", dest="username")
        parser.add_argument("--unit", type=int, help="id of the unit holding the plan")

    def handle(
        self,
        *args,
        path: str,
        dry_run: bool,
        json: bool,
        username: str | None,
        unit: int | None,
        **options,
    ) -> None:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no such file: {path}")
        data = file.read_bytes()
        try:
            if dry_run:
                parsed = services.parse_upload(data=data, filename=file.name)
                self._print(parsed, json)
                return
            actor = self._actor(username)
            holder = self._unit(actor, unit)
            staged = services.stage_import(actor=actor, unit=holder, data=data, filename=file.name)
            plan = services.save_import(actor=actor, staged=staged)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except PermissionDenied:
            raise CommandError(f"{username} may not import plans for that unit") from None
        self.stdout.write(str(plan.pk))

    def _print(self, parsed, as_json: bool) -> None:
        data = parsed.to_json()
        data["warnings"] = [render(n) for n in parsed.warnings]
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            self.stdout.write(f"{data['number'] or '-'}  {data['title']}")
            for key in (
                "purposes",
                "requirements",
                "topics",
                "channels",
                "assignments",
                "recipients",
                "citations",
            ):
                self.stdout.write(f"  {key}: {len(data[key])}")
            for warning in data["warnings"]:
                self.stdout.write(f"  ! {warning}")

    def _actor(self, username: str | None) -> User:
        if not username:
            raise CommandError("saving needs --as USERNAME (a coordinator)")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        return user

    def _unit(self, actor: User, unit_id: int | None):
        from kehoach.org.models import Unit

        if unit_id is not None:
            unit = Unit.objects.for_user(actor).filter(pk=unit_id).first()
            if unit is None:
                raise CommandError(f"unit {unit_id} is not in {actor.username}'s scope")
            return unit
        memberships = memberships_of(actor)
        if not memberships:
            raise CommandError(f"{actor.username} holds no role; give --unit")
        return memberships[0].unit

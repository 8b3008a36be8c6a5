from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kehoach.plans import convert, services
from kehoach.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Writes a plan in the official format: a saved plan by id, or any plan document "
        "with --from-file (imported and rendered without saving)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", nargs="?", type=int)
        parser.add_argument("--from-file", dest="from_file")
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--out", required=True)

    def handle(
        self, *args, id: int | None, from_file: str | None, format: str, out: str, **options
    ) -> None:
        from kehoach.documents import pdf
        from kehoach.documents.profiles import profile_from_settings
        from kehoach.documents.writer import render_docx

        if (id is None) == (from_file is None):
            raise CommandError("give either a plan id or --from-file PATH")
        if from_file:
            path = Path(from_file)
            if not path.is_file():
                raise CommandError(f"no such file: {from_file}")
            try:
                parsed = services.parse_upload(data=path.read_bytes(), filename=path.name)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        else:
            plan = Plan.objects.filter(pk=id).first()
            if plan is None:
                raise CommandError(f"no plan {id}")
            parsed = convert.from_model(plan)
        data = render_docx(parsed, profile_from_settings(family=parsed.family))
        if format == "pdf":
            try:
                data = pdf.docx_to_pdf(data)
            except (pdf.PdfUnavailable, pdf.PdfFailed) as exc:
                raise CommandError(str(exc)) from None
        Path(out).write_bytes(data)
        self.stdout.write(f"{out}: {len(data)} bytes")

from django.core.files.base import ContentFile
from django_tasks import task

from kehoach.plans.messages import render
from kehoach.reports.models import SummaryExport


@task()
def render_summary_pdf(export_id: int) -> None:
    """The summary report's PDF: the .docx through LibreOffice, stored on the export."""
    from kehoach.documents import pdf
    from kehoach.reports.summary_document import export_filename, summary_document

    export = SummaryExport.objects.select_related("summary__period__plan__unit").get(pk=export_id)
    summary = export.summary
    try:
        data = pdf.docx_to_pdf(summary_document(summary))
    except (pdf.PdfUnavailable, pdf.PdfFailed) as exc:
        export.status = "failed"
        export.error = render(exc)
        export.save()
        return
    export.file.save(f"{export_filename(summary)}.pdf", ContentFile(data), save=False)
    export.status = "done"
    export.save()

from django.core.files.base import ContentFile
from django_tasks import task

from kehoach.plans import convert
from kehoach.plans.messages import render
from kehoach.plans.models import ExportStatus, PlanExport


@task()
def render_plan_pdf(export_id: int) -> None:
    from kehoach.documents import pdf
    from kehoach.documents.profiles import profile_from_settings
    from kehoach.documents.writer import render_docx
    from kehoach.plans.services import export_filename
    from kehoach.plans.views import plan_with_children

    export = PlanExport.objects.select_related("plan", "requested_by").get(pk=export_id)
    plan = plan_with_children(export.requested_by, export.plan_id)
    try:
        data = pdf.docx_to_pdf(
            render_docx(convert.from_model(plan), profile_from_settings(family=plan.family))
        )
    except (pdf.PdfUnavailable, pdf.PdfFailed) as exc:
        export.status = ExportStatus.FAILED
        export.error = render(exc)
        export.save()
        return
    export.file.save(f"{export_filename(plan)}.pdf", ContentFile(data), save=False)
    export.status = ExportStatus.DONE
    export.save()

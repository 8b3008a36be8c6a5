from datetime import date

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from kehoach.core.scoping import get_for_user_or_404
from kehoach.documents.models import SourceDocument
from kehoach.org.models import Unit
from kehoach.plans import convert, services
from kehoach.plans import models as m
from kehoach.plans.messages import render
from kehoach.plans.views import plan_with_children

router = Router(tags=["plans"])
documents_router = Router(tags=["source documents"])


class PlanSummary(Schema):
    id: int
    number: str
    kind: str
    date: date | None
    title: str
    status: str
    unit_id: int
    parent_id: int | None


class DutyOut(Schema):
    id: int
    text: str
    recurrence: str
    due_day: int | None
    due_month: int | None
    deadline: date | None
    deadline_text: str


class AssignmentOut(Schema):
    id: int
    heading: str
    role: str
    outside_body: str
    unit_ids: list[int]
    duties: list[DutyOut]


class TopicOut(Schema):
    id: int
    title: str
    points: list[str]
    citations: list[str]


class ChannelOut(Schema):
    id: int
    name: str
    details: str
    kinds: list[str]


class RecipientOut(Schema):
    name: str
    note: str


class SourceDocumentOut(Schema):
    id: int
    number: str
    doc_type: str
    issuer: str
    date: date | None
    title: str


class PlanOut(PlanSummary):
    family: str
    superior_text: str
    issuer_text: str
    place: str
    signer_authority: str
    signer_deputy: str
    signer_title: str
    signer_name: str
    basis: list[str]
    purposes: list[str]
    requirements: list[str]
    topics: list[TopicOut]
    channels: list[ChannelOut]
    assignments: list[AssignmentOut]
    recipients: list[RecipientOut]
    citations: list[SourceDocumentOut]


def _plan_out(plan: m.Plan) -> dict:
    data = {f: getattr(plan, f) for f in PlanOut.model_fields if hasattr(plan, f)}
    data["topics"] = [
        {
            "id": t.pk,
            "title": t.title,
            "points": t.points,
            "citations": [c.document.number for c in t.citations.all()],
        }
        for t in plan.topics.all()
    ]
    data["channels"] = list(plan.channels.all())
    data["assignments"] = [
        {
            "id": a.pk,
            "heading": a.heading,
            "role": a.role,
            "outside_body": a.outside_body,
            "unit_ids": [t.unit_id for t in a.targets.all()],
            "duties": list(a.duties.all()),
        }
        for a in plan.assignments.all()
    ]
    data["recipients"] = list(plan.recipients.all())
    data["citations"] = [c.document for c in plan.citations.all()]
    return data


@router.get("", response=list[PlanSummary], summary="Plans in your scope")
def list_plans(request: HttpRequest):
    return m.Plan.objects.for_user(request.auth).order_by("-date", "-created_at")


class ImportOut(Schema):
    saved: bool
    plan_id: int | None = None
    parsed: dict


@router.post("/import", response=ImportOut, summary="Read a plan document; save it with ?save=true")
def import_plan(
    request: HttpRequest,
    unit_id: int = Form(...),
    file: UploadedFile = File(...),
    save: bool = False,
):
    unit = get_for_user_or_404(Unit, request.auth, pk=unit_id)
    data = file.read()
    if not save:
        parsed = services.preview_import(
            actor=request.auth, unit=unit, data=data, filename=file.name or ""
        )
        return {"saved": False, "parsed": _json(parsed)}
    staged = services.stage_import(
        actor=request.auth, unit=unit, data=data, filename=file.name or ""
    )
    plan = services.save_import(actor=request.auth, staged=staged)
    return {"saved": True, "plan_id": plan.pk, "parsed": _json(convert.from_store(staged.parsed))}


@router.get("/{plan_id}", response=PlanOut, summary="One plan with everything in it")
def get_plan(request: HttpRequest, plan_id: int):
    return _plan_out(plan_with_children(request.auth, plan_id))


def _json(parsed) -> dict:
    data = parsed.to_json()
    data["warnings"] = [render(n) for n in parsed.warnings]
    return data


@documents_router.get("", response=list[SourceDocumentOut], summary="Registered cited documents")
def list_documents(request: HttpRequest):
    return SourceDocument.objects.for_user(request.auth).order_by("-date", "number")

"""Every change to plans: import, review, save, edit, sub-plans, issue. Audited, atomic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import check_fresh
from kehoach.core.text import fold, normalize
from kehoach.documents import registry
from kehoach.org.models import Unit, UnitKind
from kehoach.plans import convert
from kehoach.plans import models as m
from kehoach.plans.importer.result import ParsedPlan, PlanReadError
from kehoach.plans.messages import render


class ImportFailed(ValidationError):
    pass


def parse_upload(*, data: bytes | None, filename: str = "", text: str | None = None) -> ParsedPlan:
    """The importer's reading, or ImportFailed with its Vietnamese message."""
    from kehoach.plans.importer.parser import import_document

    if text is not None:
        # Pasted text takes the same road as a .txt file: same limits, same messages.
        data, filename = text.encode("utf-8"), filename or "van-ban-dan.txt"
    try:
        return import_document(data or b"", filename, max_bytes=settings.MAX_UPLOAD_BYTES)
    except PlanReadError as exc:
        raise ImportFailed(render(exc), code=exc.code) from None


def preview_import(*, actor, unit: Unit, data: bytes, filename: str) -> ParsedPlan:
    """Reading without saving, for scripts that only want the structure."""
    policy.require(actor, "plans.import", unit)
    return parse_upload(data=data, filename=filename)


def stage_import(
    *, actor, unit: Unit, data: bytes | None = None, filename: str = "", text: str | None = None
) -> m.PlanImport:
    policy.require(actor, "plans.import", unit)
    parsed = parse_upload(data=data, filename=filename, text=text)
    staged = m.PlanImport(
        unit=unit,
        created_by=actor,
        file_name=filename if text is None else "",
        parsed=convert.to_store(parsed),
        source_text=parsed.text,
    )
    try:
        with transaction.atomic(), acting_as(actor):
            if data and text is None:
                staged.file.save(filename or "plan.txt", ContentFile(data), save=False)
            staged.save()
    except BaseException:
        # The row is rolled back; the stored file would be left with nothing pointing at it.
        if staged.file:
            staged.file.delete(save=False)
        raise
    return staged


@dataclass
class UnitChoice:
    """What the coordinator decided for one assignment heading on the review screen."""

    mode: str = "units"  # "units", "create" or "outside"
    unit_ids: list[int] = field(default_factory=list)
    new_kind: str = UnitKind.DEPARTMENT


def auto_choices(*, actor, staged: m.PlanImport) -> list[UnitChoice]:
    """What the review screen proposes: confident matches, otherwise an outside body."""
    from kehoach.plans.matching import match_heading

    units = list(Unit.objects.pickable_for(actor).exclude(kind=UnitKind.EXTERNAL))
    choices = []
    for assignment in staged.parsed.get("assignments", []):
        match = match_heading(assignment["unit"], units, staged.unit)
        if match.units:
            choices.append(UnitChoice(mode="units", unit_ids=[u.pk for u in match.units]))
        else:
            choices.append(UnitChoice(mode="outside"))
    return choices


def _twin(holder: Unit, parsed: ParsedPlan) -> m.Plan | None:
    """The saved plan this document is a corrected version of, if any."""
    plans = m.Plan.objects.filter(unit=holder, kind=parsed.kind)
    if parsed.number and parsed.number.split("/")[0].strip("-"):
        return plans.filter(number=parsed.number).first()
    key = fold(parsed.title)
    return next(
        (p for p in plans.filter(date=parsed.date) if fold(p.title) == key and not p.number), None
    )


def _targets(actor, holder: Unit, heading: str, choice: UnitChoice) -> tuple[list[Unit], str]:
    if choice.mode == "outside":
        return [], normalize(heading)
    if choice.mode == "create":
        policy.require(actor, "org.add_unit", holder)
        unit = Unit(name=normalize(heading)[:255], kind=choice.new_kind, parent=holder)
        unit.full_clean(exclude=["path"])
        unit.save()
        return [unit], ""
    visible = Unit.objects.pickable_for(actor).filter(pk__in=choice.unit_ids)
    units = list(visible)
    if len(units) != len(set(choice.unit_ids)):
        raise ValidationError(_("One of the chosen units is not available to you."))
    return units, ""


def save_import(
    *,
    actor,
    staged: m.PlanImport,
    choices: list[UnitChoice] | None = None,
    parsed: ParsedPlan | None = None,
) -> m.Plan:
    """Saves the reviewed plan; a corrected version of a saved plan updates it in place."""
    policy.require(actor, "plans.import", staged.unit)
    if staged.plan_id:
        raise ValidationError(_("This import has already been saved."))
    parsed = parsed or convert.from_store(staged.parsed, staged.source_text)
    if choices is None:
        choices = auto_choices(actor=actor, staged=staged)
    if len(choices) != len(parsed.assignments):
        raise ValidationError(_("The review form is out of date. Open the import again."))
    with transaction.atomic(), acting_as(actor):
        plan = _twin(staged.unit, parsed) or m.Plan(unit=staged.unit, created_by=actor)
        if plan.pk:
            _clear_children(plan)
        _fill_plan(plan, parsed)
        if staged.file:
            plan.original_file = staged.file.name
        plan.original_name = staged.file_name
        plan.source_text = staged.source_text
        plan.save()
        _save_children(actor, plan, parsed, choices)
        staged.plan = plan
        staged.save()
    return plan


def _fill_plan(plan: m.Plan, parsed: ParsedPlan) -> None:
    plan.kind = parsed.kind or "KH"
    plan.family = parsed.family if parsed.family in m.Family.values else m.Family.PARTY
    plan.number = parsed.number or ""
    plan.superior_text = parsed.superior
    plan.issuer_text = parsed.issuer
    plan.place = parsed.place
    plan.date = parsed.date
    plan.title = parsed.title or _("(untitled plan)")
    plan.signer_authority = parsed.signature.authority
    plan.signer_deputy = parsed.signature.deputy
    plan.signer_title = parsed.signature.title
    plan.signer_name = parsed.signature.name
    plan.basis = parsed.basis
    plan.purposes = parsed.purposes
    plan.requirements = parsed.requirements
    plan.sections = [{"heading": s.heading, "role": s.role} for s in parsed.sections]
    plan.other_sections = parsed.other_sections
    plan.closing = parsed.closing
    plan.annexes = parsed.annexes
    plan.footnotes = parsed.footnotes
    if plan.issuing_unit_id is None and fold(parsed.issuer) == fold(plan.unit.name):
        plan.issuing_unit = plan.unit


def _clear_children(plan: m.Plan) -> None:
    # Deleted one by one so each removal is in the audit log.
    for related in (
        plan.citations.all(),
        plan.topics.all(),
        plan.channels.all(),
        plan.recipients.all(),
    ):
        for obj in related:
            obj.delete()
    for assignment in plan.assignments.all():
        for duty in assignment.duties.all():
            duty.delete()
        for target in assignment.targets.all():
            target.delete()
        assignment.delete()


def _save_children(actor, plan: m.Plan, parsed: ParsedPlan, choices: list[UnitChoice]) -> None:
    documents = {}
    for citation in parsed.citations:
        documents[citation.number] = registry.register(citation)
        m.Citation.objects.get_or_create(plan=plan, topic=None, document=documents[citation.number])
    for order, topic in enumerate(parsed.topics):
        saved = m.Topic.objects.create(
            plan=plan, order=order, title=topic.title, points=topic.points
        )
        for number in dict.fromkeys(topic.citations):
            if number in documents:
                m.Citation.objects.get_or_create(plan=plan, topic=saved, document=documents[number])
    for order, channel in enumerate(parsed.channels):
        m.Channel.objects.create(
            plan=plan, order=order, name=channel.name, details=channel.details, kinds=channel.kinds
        )
    for order, (assignment, choice) in enumerate(zip(parsed.assignments, choices, strict=True)):
        units, outside = _targets(actor, plan.unit, assignment.unit, choice)
        saved = m.Assignment.objects.create(
            plan=plan,
            order=order,
            heading=assignment.unit,
            outside_body=outside,
            role=assignment.role if assignment.role in m.AssignmentRole.values else "lead",
        )
        for unit in units:
            m.AssignmentUnit.objects.create(assignment=saved, unit=unit)
        for duty_order, duty in enumerate(assignment.duties):
            m.Duty.objects.create(
                assignment=saved,
                order=duty_order,
                text=duty.text,
                recurrence=duty.recurrence or "",
                due_day=duty.due_day,
                due_month=duty.due_month,
                deadline=duty.deadline,
                deadline_text=duty.deadline_text[:255],
            )
    for order, recipient in enumerate(parsed.recipients):
        m.Recipient.objects.create(
            plan=plan, order=order, name=recipient.name[:255], note=recipient.note[:128]
        )


def _check_fresh(plan: m.Plan, seen: datetime | None) -> None:
    check_fresh(
        plan,
        seen,
        _(
            "This plan was changed by someone else after you opened the form. "
            "Reload the page to see the latest version, then make your change again."
        ),
    )


EDITABLE = (
    "number",
    "place",
    "date",
    "title",
    "superior_text",
    "issuer_text",
    "signer_authority",
    "signer_deputy",
    "signer_title",
    "signer_name",
    "closing",
)


def update_plan(
    *, actor, plan: m.Plan, changes: dict, seen_updated_at: datetime | None = None
) -> m.Plan:
    policy.require(actor, "plans.edit", plan)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic(), acting_as(actor):
        plan = m.Plan.objects.select_for_update().get(pk=plan.pk)
        _check_fresh(plan, seen_updated_at)
        for name, value in changes.items():
            setattr(plan, name, value)
        plan.full_clean(exclude=["unit", "issuing_unit", "parent", "original_file"])
        plan.save()
    return plan


def issue_plan(*, actor, plan: m.Plan, number: str, on: date) -> m.Plan:
    policy.require(actor, "plans.issue", plan)
    if not number.strip():
        raise ValidationError(_("Enter the plan's number."))
    with transaction.atomic(), acting_as(actor):
        plan = m.Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != m.PlanStatus.DRAFT:
            raise ValidationError(_("Only a draft plan can be issued."))
        clash = m.Plan.objects.filter(unit=plan.unit, number=number.strip()).exclude(pk=plan.pk)
        if clash.exists():
            raise ValidationError(_("Another plan of this unit already has that number."))
        plan.number, plan.date, plan.status = number.strip(), on, m.PlanStatus.ISSUED
        plan.save()
    return plan


def proposed_number(plan: m.Plan) -> str:
    """The next number of this type for the plan's unit (the committee's term numbering)."""
    from kehoach.documents.numbering import next_number

    existing = list(
        m.Plan.objects.filter(unit=plan.unit).exclude(number="").values_list("number", flat=True)
    )
    code = plan.unit.short_name or ""
    issuer_code = "ĐU" if plan.family == m.Family.PARTY else (code or "UBND")
    return next_number(existing, plan.kind, issuer_code, plan.family)


def create_sub_plan(*, actor, parent: m.Plan, unit: Unit) -> m.Plan:
    """A unit's own plan from a parent plan: its topics and that unit's duties, linked."""
    policy.require(actor, "plans.create_sub_plan", unit)
    if unit == parent.unit or parent.sub_plans.filter(unit=unit).exists():
        raise ValidationError(_("This unit already has its own plan under this plan."))
    issuer = parent.issuing_unit or (parent.unit if not parent.issuer_text else None)
    basis = _("Pursuant to Plan %(number)s of %(issuer)s on %(title)s,") % {
        "number": parent.number or _("(no number)"),
        "issuer": issuer.name if issuer else parent.issuer_text,
        "title": parent.title,
    }
    own = [
        a
        for a in parent.assignments.prefetch_related("targets__unit", "duties")
        if any(
            unit.path.startswith(t.unit.path) or t.unit.path.startswith(unit.path)
            for t in a.targets.all()
        )
    ]
    with transaction.atomic(), acting_as(actor):
        plan = m.Plan.objects.create(
            unit=unit,
            issuing_unit=unit,
            parent=parent,
            kind="KH",
            family=parent.family,
            issuer_text=unit.name.upper(),
            title=parent.title,
            basis=[basis],
            purposes=list(parent.purposes),
            requirements=list(parent.requirements),
            sections=list(parent.sections),
            created_by=actor,
        )
        for topic in parent.topics.all():
            saved = m.Topic.objects.create(
                plan=plan, order=topic.order, title=topic.title, points=list(topic.points)
            )
            for citation in topic.citations.all():
                m.Citation.objects.create(plan=plan, topic=saved, document=citation.document)
        for channel in parent.channels.all():
            m.Channel.objects.create(
                plan=plan,
                order=channel.order,
                name=channel.name,
                details=channel.details,
                kinds=channel.kinds,
            )
        for order, assignment in enumerate(own):
            saved = m.Assignment.objects.create(
                plan=plan, order=order, heading=unit.name, role=assignment.role
            )
            m.AssignmentUnit.objects.create(assignment=saved, unit=unit)
            for duty in assignment.duties.all():
                m.Duty.objects.create(
                    assignment=saved,
                    order=duty.order,
                    text=duty.text,
                    recurrence=duty.recurrence,
                    due_day=duty.due_day,
                    due_month=duty.due_month,
                    deadline=duty.deadline,
                    deadline_text=duty.deadline_text,
                )
    return plan


def export_filename(plan: m.Plan) -> str:
    from django.utils.text import slugify

    base = fold(f"ke hoach {plan.number or ''} {plan.title}")[:80]
    return slugify(base) or "ke-hoach"


def request_pdf(*, actor, plan: m.Plan) -> m.PlanExport:
    """Queues the PDF; the worker renders it after this transaction commits."""
    from kehoach.plans.tasks import render_plan_pdf

    with transaction.atomic():
        export = m.PlanExport.objects.create(plan=plan, fmt="pdf", requested_by=actor)
        transaction.on_commit(lambda: render_plan_pdf.enqueue(export.pk))
    return export


def update_topic(*, actor, topic: m.Topic, title: str, points: list[str]) -> m.Topic:
    policy.require(actor, "plans.edit", topic.plan)
    if not title.strip():
        raise ValidationError(_("The topic needs a title."))
    with transaction.atomic(), acting_as(actor):
        topic.title = normalize(title)
        topic.points = [normalize(p) for p in points if p.strip()]
        topic.save()
    return topic


def update_duty(*, actor, duty: m.Duty, changes: dict) -> m.Duty:
    policy.require(actor, "plans.edit", duty.assignment.plan)
    allowed = {"text", "recurrence", "due_day", "due_month", "deadline"}
    if set(changes) - allowed:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(set(changes) - allowed))}
        )
    with transaction.atomic(), acting_as(actor):
        for name, value in changes.items():
            setattr(duty, name, value)
        duty.full_clean(exclude=["assignment"])
        duty.save()
    return duty


def reclassify_sections(*, actor, staged: m.PlanImport, roles: dict[int, str]) -> m.PlanImport:
    """Reads the staged text again with the sections the person moved."""
    from kehoach.plans.importer.parser import parse_plan

    policy.require(actor, "plans.import", staged.unit)
    if staged.plan_id:
        raise ValidationError(_("This import has already been saved."))
    try:
        parsed = parse_plan(staged.source_text, roles=roles)
    except PlanReadError as exc:
        raise ImportFailed(render(exc), code=exc.code) from None
    with transaction.atomic(), acting_as(actor):
        staged.parsed = convert.to_store(parsed)
        staged.save()
    return staged

"""ParsedPlan ⇄ stored JSON ⇄ saved Plan: one structure for review, saving and printing."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from kehoach.plans.importer.result import (
    Assignment,
    Channel,
    Citation,
    Duty,
    Notice,
    ParsedPlan,
    Recipient,
    Section,
    Signature,
    Span,
    Topic,
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def to_store(plan: ParsedPlan) -> dict:
    """Everything, spans and notices included, JSON-safe (dates as ISO strings)."""
    data = asdict(plan)
    data["date"] = plan.date.isoformat() if plan.date else None
    for citation in data["citations"]:
        citation["date"] = citation["date"].isoformat() if citation["date"] else None
    for assignment in data["assignments"]:
        for duty in assignment["duties"]:
            duty["deadline"] = duty["deadline"].isoformat() if duty["deadline"] else None
    data.pop("text")
    return data


def from_store(data: dict, text: str = "") -> ParsedPlan:
    return ParsedPlan(
        kind=data.get("kind", "KH"),
        family=data.get("family", "party"),
        number=data.get("number"),
        superior=data.get("superior", ""),
        issuer=data.get("issuer", ""),
        place=data.get("place", ""),
        date=_date(data.get("date")),
        title=data.get("title", ""),
        basis=list(data.get("basis", [])),
        citations=[
            Citation(**{**c, "date": _date(c.get("date"))}) for c in data.get("citations", [])
        ],
        sections=[Section(**s) for s in data.get("sections", [])],
        purposes=list(data.get("purposes", [])),
        requirements=list(data.get("requirements", [])),
        topics=[Topic(**t) for t in data.get("topics", [])],
        channels=[Channel(**c) for c in data.get("channels", [])],
        assignments=[
            Assignment(
                unit=a["unit"],
                role=a.get("role", "lead"),
                duties=[
                    Duty(**{**d, "deadline": _date(d.get("deadline"))}) for d in a.get("duties", [])
                ],
            )
            for a in data.get("assignments", [])
        ],
        other_sections=dict(data.get("other_sections", {})),
        closing=data.get("closing", ""),
        recipients=[Recipient(**r) for r in data.get("recipients", [])],
        signature=Signature(**data.get("signature", {})),
        annexes=list(data.get("annexes", [])),
        footnotes=list(data.get("footnotes", [])),
        warnings=[Notice(**n) for n in data.get("warnings", [])],
        text=text,
        spans=[Span(**s) for s in data.get("spans", [])],
    )


def from_model(plan) -> ParsedPlan:
    """A saved plan as the writer's input."""
    topics = list(plan.topics.all())
    return ParsedPlan(
        kind=plan.kind,
        family=plan.family,
        number=plan.number or None,
        superior=plan.superior_text,
        issuer=plan.issuer_text or (plan.issuing_unit.name.upper() if plan.issuing_unit else ""),
        place=plan.place,
        date=plan.date,
        title=plan.title,
        basis=list(plan.basis),
        citations=[
            Citation(
                number=c.document.number,
                type=c.document.doc_type,
                issuer=c.document.issuer,
                date=c.document.date,
                title=c.document.title,
            )
            for c in plan.citations.all()
            if c.topic_id is None
        ],
        sections=[Section(**s) for s in plan.sections],
        purposes=list(plan.purposes),
        requirements=list(plan.requirements),
        topics=[
            Topic(
                title=t.title,
                points=list(t.points),
                citations=[c.document.number for c in t.citations.all()],
            )
            for t in topics
        ],
        channels=[
            Channel(name=c.name, details=c.details, kinds=list(c.kinds))
            for c in plan.channels.all()
        ],
        assignments=[
            Assignment(
                unit=a.heading,
                role=a.role,
                duties=[
                    Duty(
                        text=d.text,
                        recurrence=d.recurrence or None,
                        due_day=d.due_day,
                        due_month=d.due_month,
                        deadline=d.deadline,
                        deadline_text=d.deadline_text,
                    )
                    for d in a.duties.all()
                ],
            )
            for a in plan.assignments.all()
        ],
        other_sections=dict(plan.other_sections),
        closing=plan.closing,
        recipients=[Recipient(name=r.name, note=r.note) for r in plan.recipients.all()],
        signature=Signature(
            authority=plan.signer_authority,
            deputy=plan.signer_deputy,
            title=plan.signer_title,
            name=plan.signer_name,
        ),
        annexes=list(plan.annexes),
        footnotes=list(plan.footnotes),
    )

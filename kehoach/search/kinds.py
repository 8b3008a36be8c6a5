"""The kinds of records search finds: what each puts in the index, who may see it (through
the app's own `for_user`), and how a result line reads and links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


@dataclass
class Doc:
    """What the index holds for one record. `body` is quoted in results; `extra` is only
    searched (labels, codes, numbers of cited documents)."""

    title: str
    body: list[str]
    unit_id: int | None
    plan_id: int | None = None
    extra: list[str] = field(default_factory=list)


@dataclass
class Line:
    title: str
    url: str
    meta: str


def _strings(value: Any) -> Iterable[str]:
    """Every string inside a JSON value (lists of paragraphs, headings → paragraphs)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


_LABELS: dict[tuple[str, str, str | None], dict] = {}


def _display(obj, field: str) -> str:
    """get_FOO_display() without rebuilding the choices on every call: the index labels
    records by the hundred thousand."""
    key = (obj._meta.label, field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        choices = obj._meta.get_field(field).flatchoices
        labels = _LABELS[key] = {value: str(label) for value, label in choices}
    value = getattr(obj, field)
    return labels.get(value, value)


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _unit_name(unit) -> str:
    return (unit.short_name or unit.name) if unit is not None else ""


class Kind:
    code: str
    label: Promise
    model_path: str
    # For rebuilding: what to read alongside each record.
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    # For result lines.
    line_select: tuple[str, ...] = ()
    # The columns line() reads (with line_select's), so the records shown are loaded without
    # their texts and figures: a plan's source text, a report's narratives and JSON.
    line_only: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model_path)

    def visible(self, user) -> models.QuerySet:
        return self.model.objects.for_user(user)

    def indexable(self) -> models.QuerySet:
        qs = self.model._default_manager.all()
        if self.select:
            qs = qs.select_related(*self.select)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs.order_by("pk")

    def doc(self, obj) -> Doc | None:
        raise NotImplementedError

    def line(self, obj) -> Line:
        raise NotImplementedError


def _cited(citations) -> list[str]:
    return [c.document.number for c in citations.all()]


class PlanKind(Kind):
    code = "plan"
    label = gettext_lazy("Plans")
    model_path = "plans.Plan"
    prefetch = ("citations__document",)
    line_select = ("unit",)
    line_only = ("number", "title", "issuer_text", "date", "status", "unit__name")

    def doc(self, plan) -> Doc:
        body: list[str] = []
        for value in (plan.basis, plan.purposes, plan.requirements, plan.other_sections):
            body += list(_strings(value))
        body += [plan.closing, *_strings(plan.annexes), *_strings(plan.footnotes)]
        return Doc(
            title=" ".join(p for p in (plan.number, plan.title) if p),
            body=[p for p in body if p],
            unit_id=plan.unit_id,
            plan_id=plan.pk,
            extra=[plan.issuer_text, plan.superior_text, plan.signer_name, *_cited(plan.citations)],
        )

    def line(self, plan) -> Line:
        return Line(
            title=" — ".join(p for p in (plan.number, plan.title) if p),
            url=reverse("plans:detail", args=[plan.pk]),
            meta=_join(
                plan.issuer_text or plan.unit.name, _day(plan.date), _display(plan, "status")
            ),
        )


def _type_word(code: str) -> str:
    from kehoach.documents.citations import TYPE_WORDS

    word = next((w for w, c in TYPE_WORDS.items() if c == code), "")
    return word[:1].upper() + word[1:]


class DocumentKind(Kind):
    code = "document"
    label = gettext_lazy("Source documents")
    model_path = "documents.SourceDocument"

    def doc(self, document) -> Doc:
        return Doc(
            title=" ".join(p for p in (_type_word(document.doc_type), document.number) if p),
            body=[p for p in (document.title, document.issuer) if p],
            unit_id=None,
            extra=[str(document.date.year) if document.date else ""],
        )

    def line(self, document) -> Line:
        head = " ".join(p for p in (_type_word(document.doc_type), document.number) if p)
        return Line(
            title=" ".join(p for p in (head, document.title) if p),
            url=reverse("documents:detail", args=[document.pk]),
            meta=_join(document.issuer, _day(document.date)),
        )


class TopicKind(Kind):
    code = "topic"
    label = gettext_lazy("Plan topics")
    model_path = "plans.Topic"
    select = ("plan",)
    prefetch = ("citations__document",)
    line_select = ("plan",)
    line_only = ("title", "plan__number", "plan__title")

    def visible(self, user) -> models.QuerySet:
        from kehoach.plans.models import Plan, Topic

        return Topic.objects.filter(plan__in=Plan.objects.for_user(user))

    def doc(self, topic) -> Doc:
        return Doc(
            title=topic.title,
            body=[p for p in _strings(topic.points) if p],
            unit_id=topic.plan.unit_id,
            plan_id=topic.plan_id,
            extra=_cited(topic.citations),
        )

    def line(self, topic) -> Line:
        return Line(
            title=topic.title,
            url=reverse("plans:detail", args=[topic.plan_id]) + f"#topic-{topic.pk}",
            meta=str(topic.plan),
        )


class ActivityKind(Kind):
    code = "activity"
    label = gettext_lazy("Activities")
    model_path = "activities.Activity"
    line_select = ("unit",)
    line_only = ("description", "channel", "date", "unit__name", "unit__short_name")

    def indexable(self) -> models.QuerySet:
        return super().indexable().filter(deleted_at__isnull=True)

    def doc(self, activity) -> Doc | None:
        if activity.deleted_at is not None:
            return None
        return Doc(
            title=_display(activity, "channel"),
            body=[activity.description] if activity.description else [],
            unit_id=activity.unit_id,
        )

    def line(self, activity) -> Line:
        first = activity.description.strip().splitlines()[0] if activity.description else ""
        return Line(
            title=first[:160] or _display(activity, "channel"),
            url=reverse("activities:detail", args=[activity.pk]),
            meta=_join(
                _display(activity, "channel"), _unit_name(activity.unit), _day(activity.date)
            ),
        )


class UnitReportKind(Kind):
    code = "unit_report"
    label = gettext_lazy("Unit reports")
    model_path = "reports.UnitReport"
    select = ("unit", "period")
    line_select = ("unit", "period")
    line_only = ("status", "unit__name", "period__label")

    def _title(self, report) -> str:
        return _("Report of %(unit)s, %(period)s") % {
            "unit": report.unit.name,
            "period": report.period.label,
        }

    def doc(self, report) -> Doc:
        fields = ("leadership", "results", "limitations", "tasks_ahead", "proposals", "opinion")
        return Doc(
            title=self._title(report),
            body=[getattr(report, f) for f in fields if getattr(report, f)],
            unit_id=report.unit_id,
            extra=[report.return_comment],
        )

    def line(self, report) -> Line:
        return Line(
            title=self._title(report),
            url=reverse("reports:unit_report", args=[report.pk]),
            meta=_display(report, "status"),
        )


class SummaryReportKind(Kind):
    code = "summary_report"
    label = gettext_lazy("Summary reports")
    model_path = "reports.SummaryReport"
    select = ("period__plan",)
    line_select = ("period",)
    line_only = ("number", "date", "status", "period__label")

    def _title(self, summary) -> str:
        if summary.number:
            return _("Summary report %(number)s, %(period)s") % {
                "number": summary.number,
                "period": summary.period.label,
            }
        return _("Summary report, %(period)s") % {"period": summary.period.label}

    def doc(self, summary) -> Doc:
        fields = ("title", "leadership", "results", "assessment", "tasks_ahead", "proposals")
        return Doc(
            title=self._title(summary),
            body=[getattr(summary, f) for f in fields if getattr(summary, f)],
            unit_id=summary.period.plan.unit_id,
        )

    def line(self, summary) -> Line:
        return Line(
            title=self._title(summary),
            url=reverse("summary:detail", args=[summary.pk]),
            meta=_join(_day(summary.date), _display(summary, "status")),
        )


class ConcernKind(Kind):
    code = "concern"
    label = gettext_lazy("Residents' concerns")
    model_path = "feedback.Concern"
    line_select = ("unit",)
    line_only = ("code", "summary", "category", "status", "unit__name", "unit__short_name")

    def doc(self, concern) -> Doc:
        # Never the resident's name or contact: only the issue and how it was handled.
        return Doc(
            title=concern.summary[:200],
            body=[p for p in (concern.summary, concern.place, concern.answer, concern.note) if p],
            unit_id=concern.unit_id,
            extra=[concern.code, _display(concern, "category")],
        )

    def line(self, concern) -> Line:
        return Line(
            title=f"{concern.code} — {concern.summary[:160]}",
            url=reverse("feedback:detail", args=[concern.pk]),
            meta=_join(
                _display(concern, "category"),
                _unit_name(concern.unit),
                _display(concern, "status"),
            ),
        )


class ExemplarKind(Kind):
    code = "exemplar"
    label = gettext_lazy("Exemplary models")
    model_path = "exemplars.Exemplar"
    line_select = ("unit",)
    line_only = ("name", "kind", "year", "unit__name", "unit__short_name")

    def doc(self, exemplar) -> Doc:
        body = (exemplar.story, exemplar.evidence, exemplar.commendation_form)
        return Doc(
            title=exemplar.name,
            body=[p for p in body if p],
            unit_id=exemplar.unit_id,
            extra=[_display(exemplar, "kind"), _display(exemplar, "field"), str(exemplar.year)],
        )

    def line(self, exemplar) -> Line:
        return Line(
            title=exemplar.name,
            url=reverse("exemplars:detail", args=[exemplar.pk]),
            meta=_join(_display(exemplar, "kind"), str(exemplar.year), _unit_name(exemplar.unit)),
        )


class ContentKind(Kind):
    code = "content"
    label = gettext_lazy("News, articles and bulletins")
    model_path = "content.ContentItem"
    line_select = ("unit",)
    line_only = ("title", "kind", "status", "unit__name", "unit__short_name")

    def doc(self, item) -> Doc:
        return Doc(
            title=item.title,
            body=[p for p in (item.summary, item.body, item.hashtags) if p],
            unit_id=item.unit_id,
            extra=[_display(item, "kind")],
        )

    def line(self, item) -> Line:
        return Line(
            title=item.title,
            url=reverse("content:detail", args=[item.pk]),
            meta=_join(_display(item, "kind"), _unit_name(item.unit), _display(item, "status")),
        )


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        PlanKind(),
        DocumentKind(),
        TopicKind(),
        ActivityKind(),
        UnitReportKind(),
        SummaryReportKind(),
        ConcernKind(),
        ExemplarKind(),
        ContentKind(),
    )
}
# Kinds whose visibility follows the plan (held, or giving the person's units duties).
PLAN_SCOPED = ("plan", "topic")
# The registry of cited documents is shared by every ward.
SHARED = ("document",)


def kind_for_model(model: type[models.Model]) -> Kind | None:
    label = model._meta.label
    return next((k for k in KINDS.values() if k.model_path == label), None)

"""Every URL pattern and API operation of the site, with the arguments that point each at
one side's record. A pattern that is not classified here fails the matrix test, so a new
page cannot arrive without its authorization being tried."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kehoach.activities.models import Activity
from tests.security.records import Records, Side

# Reachable without signing in: public pages, the residents' form, feeds, health, sign-in.
PUBLIC = {
    "healthz",
    "accounts:login",
    "feedback:public_form",
    "feedback:follow",
    "content_public:list",
    "content_public:detail",
    "content_public:media",
    "content_public:social_package",
    "content_feeds:channel",
    "api:openapi-json",
    "api:openapi-view",
}
# Open to every signed-in person whatever their unit: the shared registry of source
# documents, one's own notifications and settings, sign-out.
SHARED = {"documents:detail", "accounts:logout"}


@dataclass(frozen=True)
class Route:
    name: str
    route: str


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else (p.name or "")
            yield Route(name, prefix + str(p.pattern))


def web_routes() -> list[Route]:
    """Every page except the Django admin (tested by its own staff-only check) and the
    API (tried operation by operation from its OpenAPI description)."""
    seen: dict[str, Route] = {}
    for r in _walk(get_resolver().url_patterns):
        if r.route.startswith(("quan-tri/", "api/v1/")) or not r.name:
            continue
        seen.setdefault(r.name, r)
    return list(seen.values())


def _ct() -> int:
    return ContentType.objects.get_for_model(Activity).pk


Kwargs = Callable[[Side, Records], dict]

# URL name → the arguments pointing at the side's record.
WEB: dict[str, Kwargs] = {
    "org:detail": lambda s, r: {"pk": s.unit.pk},
    "org:edit": lambda s, r: {"pk": s.unit.pk},
    "org:move": lambda s, r: {"pk": s.unit.pk},
    "org:retire": lambda s, r: {"pk": s.unit.pk},
    "audit:history": lambda s, r: {"ct": _ct(), "object_id": str(s.activity.pk)},
    "plans:review": lambda s, r: {"pk": s.plan_import.pk},
    "plans:detail": lambda s, r: {"pk": s.plan.pk},
    "plans:edit": lambda s, r: {"pk": s.plan.pk},
    "plans:issue": lambda s, r: {"pk": s.plan.pk},
    "plans:sub_plan": lambda s, r: {"pk": s.plan.pk},
    "plans:original": lambda s, r: {"pk": s.plan.pk},
    "plans:export_status": lambda s, r: {"pk": s.extra["plan_export"].pk},
    "plans:edit_topic": lambda s, r: {"pk": s.topic.pk},
    "plans:edit_duty": lambda s, r: {"pk": s.duty.pk},
    "plans:export": lambda s, r: {"pk": s.plan.pk, "fmt": "docx"},
    "tasks:detail": lambda s, r: {"pk": s.task.pk},
    "tasks:done": lambda s, r: {"pk": s.task.pk},
    "tasks:reopen": lambda s, r: {"pk": s.task.pk},
    "tasks:set_due": lambda s, r: {"pk": s.task.pk},
    "tasks:reassign": lambda s, r: {"pk": s.task.pk},
    "tasks:cancel": lambda s, r: {"pk": s.task.pk},
    "tasks:plan_block": lambda s, r: {"plan_id": s.plan.pk},
    "tasks:generate": lambda s, r: {"plan_id": s.plan.pk},
    "activities:detail": lambda s, r: {"pk": s.activity.pk},
    "activities:edit": lambda s, r: {"pk": s.activity.pk},
    "activities:delete": lambda s, r: {"pk": s.activity.pk},
    "activities:restore": lambda s, r: {"pk": s.activity.pk},
    "activities:unlock": lambda s, r: {"pk": s.activity.pk},
    "activities:add_evidence": lambda s, r: {"pk": s.activity.pk},
    "activities:evidence": lambda s, r: {"pk": s.evidence.pk},
    "activities:remove_evidence": lambda s, r: {"pk": s.evidence.pk},
    "coverage:matrix": lambda s, r: {"plan_id": s.plan.pk},
    "coverage:excel": lambda s, r: {"plan_id": s.plan.pk},
    "notifications:read": lambda s, r: {"pk": s.notification.pk},
    "reports:periods": lambda s, r: {"plan_id": s.plan.pk},
    "reports:open_periods": lambda s, r: {"plan_id": s.plan.pk},
    "reports:period_add": lambda s, r: {"plan_id": s.plan.pk},
    "reports:board": lambda s, r: {"plan_id": s.plan.pk},
    "reports:board_excel": lambda s, r: {"plan_id": s.plan.pk},
    "reports:period_edit": lambda s, r: {"period_id": s.period.pk},
    "reports:period_units": lambda s, r: {"period_id": s.period.pk},
    "reports:unit_report": lambda s, r: {"report_id": s.report.pk},
    "reports:accept": lambda s, r: {"report_id": s.report.pk},
    "reports:return": lambda s, r: {"report_id": s.report.pk},
    "summary:compile": lambda s, r: {"period_id": s.period.pk},
    "summary:detail": lambda s, r: {"pk": s.summary.pk},
    "summary:approve": lambda s, r: {"pk": s.summary.pk},
    "summary:export": lambda s, r: {"pk": s.summary.pk, "fmt": "xlsx"},
    "summary:export_status": lambda s, r: {"pk": s.extra["summary_export"].pk},
    "exemplars:detail": lambda s, r: {"pk": s.exemplar.pk},
    "exemplars:edit": lambda s, r: {"pk": s.exemplar.pk},
    "exemplars:verify": lambda s, r: {"pk": s.exemplar.pk},
    "exemplars:return": lambda s, r: {"pk": s.exemplar.pk},
    "exemplars:commend": lambda s, r: {"pk": s.exemplar.pk},
    "exemplars:promote": lambda s, r: {"pk": s.exemplar.pk},
    "exemplars:photo": lambda s, r: {"pk": s.photo.pk},
    "exemplars:remove_photo": lambda s, r: {"pk": s.photo.pk},
    "indicators:detail": lambda s, r: {"pk": s.indicator.pk},
    "indicators:edit": lambda s, r: {"pk": s.indicator.pk},
    "indicators:measure": lambda s, r: {"pk": s.indicator.pk},
    "opinion:ward": lambda s, r: {"period_id": s.period.pk},
    "opinion:ward_excel": lambda s, r: {"period_id": s.period.pk},
    "opinion:edit": lambda s, r: {"period_id": s.period.pk, "unit_id": s.unit.pk},
    "feedback:detail": lambda s, r: {"pk": s.concern.pk},
    "feedback:act": lambda s, r: {"pk": s.concern.pk, "action": "tiep-nhan"},
    "feedback:attachment": lambda s, r: {"pk": s.attachment.pk},
    "feedback:public_form": lambda s, r: {"ward_id": s.ward.pk},
    "feedback:follow": lambda s, r: {"token": s.concern.token},
    "broadcasts:broadcast_remove": lambda s, r: {"pk": s.broadcast.pk},
    "broadcasts:speak": lambda s, r: {"pk": s.item.pk},
    "broadcasts:audio": lambda s, r: {"pk": s.item.pk},
    "broadcasts:playlist": lambda s, r: {"day": s.broadcast.date.isoformat(), "fmt": "m3u"},
    "content:detail": lambda s, r: {"pk": s.item.pk},
    "content:edit": lambda s, r: {"pk": s.item.pk},
    "content:add_media": lambda s, r: {"pk": s.item.pk},
    "content:transition": lambda s, r: {"pk": s.item.pk, "name": "submit"},
    "content:media": lambda s, r: {"pk": s.media.pk},
    "content:ical": lambda s, r: {"outlet": "portal"},
    "content_public:social_package": lambda s, r: {"pk": s.item.pk},
    "content_public:detail": lambda s, r: {"slug": s.item.slug},
    "content_public:media": lambda s, r: {"slug": s.item.slug, "pk": s.media.pk},
    "content_feeds:channel": lambda s, r: {"outlet": "portal"},
    "infographics:target": lambda s, r: {"pk": s.indicator.pk},
    "infographics:period": lambda s, r: {"pk": s.period.pk},
    "infographics:download": lambda s, r: {"pk": s.item.pk, "size": "square"},
    "documents:detail": lambda s, r: {"pk": s.extra["document"].pk},
    "transfer:export": lambda s, r: {"unit_pk": s.ward.pk},
    "transfer:status": lambda s, r: {"pk": _transfer(s).pk},
    "transfer:delete_file": lambda s, r: {"pk": _transfer(s).pk},
}


def _transfer(side: Side):
    """A ward's export, made when first asked for (the transfer app keeps no other record)."""
    from kehoach.transfer.models import WardTransfer

    if "transfer" not in side.extra:
        side.extra["transfer"] = WardTransfer.objects.create(
            direction="export", ward=side.ward, ward_name=side.ward.name
        )
    return side.extra["transfer"]


# Pages whose argument is not a record of one ward (a day, a channel): scope is the list
# they show, checked by the markers, not by a 404.
UNSCOPED_ARGS = {"broadcasts:playlist", "content:ical", "content_feeds:channel"}


def kwargs_needed(route: Route) -> bool:
    return "<" in route.route or "(?P<" in route.route


def web_url(route: Route, side: Side, records: Records) -> str:
    if not kwargs_needed(route):
        return reverse(route.name)
    return reverse(route.name, kwargs=WEB[route.name](side, records))


# ---------------------------------------------------------------- API

API_ARGS: dict[str, Callable[[Side], object]] = {
    "unit_id": lambda s: s.unit.pk,
    "plan_id": lambda s: s.plan.pk,
    "task_id": lambda s: s.task.pk,
    "activity_id": lambda s: s.activity.pk,
    "period_id": lambda s: s.period.pk,
    "report_id": lambda s: s.report.pk,
    "summary_id": lambda s: s.summary.pk,
    "digest_id": lambda s: s.digest.pk,
    "exemplar_id": lambda s: s.exemplar.pk,
    "concern_id": lambda s: s.concern.pk,
    "item_id": lambda s: s.item.pk,
    "indicator_id": lambda s: s.indicator.pk,
    "code": lambda s: s.concern.code,
    "step": lambda s: "acknowledge",
    "transition": lambda s: "submit",
}
API_PUBLIC = {
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/public/concerns"),
    ("get", "/api/v1/public/concerns/{code}"),
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str

    @property
    def scoped(self) -> bool:
        return "{" in self.path


def api_operations() -> list[Operation]:
    from kehoach.api.api import api

    schema = api.get_openapi_schema()
    return [
        Operation(method, path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    ]


def api_url(op: Operation, side: Side) -> str:
    def fill(match: re.Match) -> str:
        return str(API_ARGS[match.group(1)](side))

    return re.sub(r"\{(\w+)\}", fill, op.path)

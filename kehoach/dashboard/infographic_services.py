"""One click from a target's progress or a period's results to a draft infographic.

``make_infographic`` builds the spec, renders the three sizes and saves them as a content
item (kind infographic, draft, for the ward portal and the social page), so it goes
through the content approval before anybody publishes it.

The words drawn on the image are Vietnamese, like the summary report's: they are the
published text, not the interface.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.accounts.querysets import memberships_of
from kehoach.audit.context import acting_as
from kehoach.content import services as content
from kehoach.content.models import ContentItem, ContentKind, ContentMedia, MediaKind, Outlet
from kehoach.dashboard import infographics as ig
from kehoach.indicators.models import Direction, Indicator
from kehoach.org.models import Unit, ward_of
from kehoach.reports.models import ReportingPeriod

KINDS = ("target", "period")
OUTLETS = (Outlet.PORTAL, Outlet.SOCIAL)
EXAMPLE_NOTE = "Số liệu minh họa, không phải số liệu thật"


def media_name(size: str) -> str:
    return f"infographic-{size}.png"


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# ---------------------------------------------------------------- specs


def _progress_row(indicator: Indicator) -> dict:
    """Latest measurement, the target of its year and the share of that target reached.

    Deliberately not ``kehoach.indicators.progress.progress_rows``: that judges the value
    against the path on the measurement's date (e.g. 337 % early in the year), while the
    public image shows the plainer "share of this year's target"; it also needs the
    measurement's source and period label, which its rows do not carry.
    """
    latest = indicator.measurements.order_by("-as_of", "-pk").first()
    year = latest.as_of.year if latest else None
    targets = list(indicator.targets.order_by("year"))
    target = next((t for t in targets if t.year == year), None) or (
        targets[-1] if targets else None
    )
    ratio = None
    if latest is not None and target is not None:
        value, goal, base = latest.value, target.value, indicator.baseline
        if indicator.direction == Direction.LOWER:
            ratio = float((base - value) / (base - goal)) if base != goal else None
        elif goal:
            ratio = float(value / goal)
    return {"latest": latest, "target": target, "ratio": ratio}


def target_spec(indicator: Indicator, ward: Unit) -> ig.Spec:
    row = _progress_row(indicator)
    latest, target = row["latest"], row["target"]
    measure = ig.nfc(indicator.measure)
    suffix = "%" if measure == "%" else ""
    label = "" if suffix else measure
    figures = []
    if latest is not None:
        figures.append(
            ig.Figure(latest.value, f"{label} – {latest.period_label}".strip(" –"), suffix)
        )
    else:
        figures.append(ig.Figure(None, "Chưa có số liệu"))
    progress = None
    if target is not None:
        figures.append(
            ig.Figure(target.value, f"Chỉ tiêu năm {target.year} {label}".strip(), suffix)
        )
        if latest is not None and row["ratio"] is not None:
            progress = ig.Progress(
                latest.value,
                target.value,
                label=f"Mức độ hoàn thành chỉ tiêu năm {target.year}",
                ratio=row["ratio"],
            )
    origin = indicator.responsible.name
    source = (
        f"Nguồn: {latest.source} — {origin}" if latest and latest.source else f"Nguồn: {origin}"
    )
    return ig.Spec(
        title=indicator.name,
        ward=ward.name,
        period=(f"Số liệu đến ngày {_date(latest.as_of)}" if latest else indicator.programme),
        source=source,
        figures=figures,
        progress=progress,
        note=EXAMPLE_NOTE if indicator.is_example else "",
    )


def period_spec(period: ReportingPeriod, ward: Unit) -> ig.Spec:
    from kehoach.reports.summary import summary_figures

    figures = summary_figures(period)
    totals = figures["totals"]
    timeliness = figures.get("timeliness") or {}
    expected = int(timeliness.get("expected", 0) or 0)
    items = [
        ig.Figure(totals["activities"], "hoạt động tuyên truyền"),
        ig.Figure(totals["reached"], "lượt người được tiếp cận"),
    ]
    outputs = sum(int(v or 0) for v in totals["outputs"].values())
    if outputs:
        items.append(ig.Figure(outputs, "sản phẩm tuyên truyền"))
    progress = None
    if expected:
        submitted = int(timeliness.get("submitted", 0) or 0)
        progress = ig.Progress(
            submitted,
            expected,
            label=f"{ig.vn_number(submitted)}/{ig.vn_number(expected)} báo cáo đã nộp",
        )
    return ig.Spec(
        title=f"Kết quả tuyên truyền {period.label}",
        ward=ward.name,
        period=f"Từ {_date(period.start)} đến {_date(period.end)}",
        source=(
            f"Nguồn: Tổng hợp từ {ig.vn_number(figures['accepted'])} báo cáo đơn vị — "
            f"{period.plan.title}"
        ),
        figures=items,
        progress=progress,
    )


# ---------------------------------------------------------------- saving


def drafting_unit(actor, scope: Unit) -> Unit:
    """The actor's unit that may draft content for the object: the one giving the right."""
    allowed = policy.RULES["infographics.make"] or frozenset()
    found = [
        m.unit
        for m in memberships_of(actor)
        if m.role in allowed and scope.path.startswith(m.unit.path)
    ]
    if found:
        return max(found, key=lambda u: len(u.path))
    if actor.is_staff:
        return scope
    raise PermissionDenied


def _attach_png(item: ContentItem, size: str, data: bytes) -> ContentMedia:
    # Our own rendering, without metadata: stored as drawn (the upload check would shrink
    # the poster and re-encode it).
    width, height = ig.SIZES[size]
    media = ContentMedia(
        item=item,
        kind=MediaKind.IMAGE,
        original_name=media_name(size),
        content_type="image/png",
        size=len(data),
        width=width,
        height=height,
    )
    media.file.save(f"{uuid.uuid4().hex}.png", ContentFile(data), save=False)
    media.save()
    return media


def make_infographic(
    *,
    actor,
    ward_unit: Unit | None = None,
    kind: str,
    indicator: Indicator | None = None,
    period: ReportingPeriod | None = None,
) -> ContentItem:
    if kind == "target":
        if indicator is None:
            raise ValidationError({"indicator_id": [_("Choose a target.")]})
        if not Indicator.objects.for_user(actor).filter(pk=indicator.pk).exists():
            raise PermissionDenied
        scope, subject = indicator.responsible, indicator
        ward = ward_unit or indicator.ward
        plan = indicator.topic.plan if indicator.topic_id else None
        topics = [indicator.topic] if indicator.topic_id else []
    elif kind == "period":
        if period is None:
            raise ValidationError({"period_id": [_("Choose a reporting period.")]})
        if not ReportingPeriod.objects.for_user(actor).filter(pk=period.pk).exists():
            raise PermissionDenied
        scope, subject = period.plan.unit, period
        ward = ward_unit or ward_of(period.plan.unit)
        plan, topics = period.plan, []
    else:
        raise ValidationError({"kind": [_("Choose what the infographic shows.")]})
    policy.require(actor, "infographics.make", subject)
    unit = drafting_unit(actor, scope)
    if topics and not content.visible_topics(actor).filter(pk=topics[0].pk).exists():
        topics = []
    spec = target_spec(indicator, ward) if kind == "target" else period_spec(period, ward)
    images = ig.render_all(spec)
    summary = ig.spec_text(spec).replace("\n", ". ")
    with transaction.atomic(), acting_as(actor):
        item = content.create_item(
            actor=actor,
            unit=unit,
            kind=ContentKind.INFOGRAPHIC,
            title=f"Infographic: {spec.title}"[:255],
            summary=summary,
            outlets=list(OUTLETS),
            topics=topics,
            plan=plan,
            right="infographics.make",
        )
        for size, data in images.items():
            _attach_png(item, size, data)
    return item

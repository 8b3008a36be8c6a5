"""Opinion digests over the API. All scoped: another unit's digest is a 404, a wrong role a
403, a stale version, a frozen report or a bad tone a 422."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from kehoach.accounts import policy
from kehoach.core.scoping import get_for_user_or_404
from kehoach.feedback import digests
from kehoach.feedback.models import OpinionDigest
from kehoach.org.models import Unit
from kehoach.reports.models import ReportingPeriod

router = Router(tags=["opinion"])


class DigestFilters(Schema):
    period: int | None = None


class DigestOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    period_id: int
    subjects: str
    # {topic_id: "positive" | "mixed" | "negative"}
    tones: dict[str, str]
    problems: str
    proposals: str
    has_hot_spot: bool
    version: int
    updated_at: datetime
    editable: bool


class DigestIn(Schema):
    version: int
    subjects: str | None = None
    tones: dict[str, str] | None = None
    problems: str | None = None
    proposals: str | None = None
    has_hot_spot: bool | None = None


class DigestCreate(DigestIn):
    unit: int
    period: int
    version: int = 0


def _out(user, digest: OpinionDigest, frozen: bool | None = None) -> dict:
    if frozen is None:
        frozen = digests.is_frozen(digests.report_for(digest.unit_id, digest.period_id))
    return {
        "id": digest.pk,
        "unit_id": digest.unit_id,
        "unit_name": digest.unit.name,
        "period_id": digest.period_id,
        "subjects": digest.subjects,
        "tones": {str(k): v for k, v in (digest.tones or {}).items()},
        "problems": digest.problems,
        "proposals": digest.proposals,
        "has_hot_spot": digest.has_hot_spot,
        "version": digest.version,
        "updated_at": digest.updated_at,
        "editable": not frozen and policy.can(user, "opinion.write", digest),
    }


def _digest(user, digest_id: int) -> OpinionDigest:
    return get_for_user_or_404(
        OpinionDigest, user, related=("unit", "period__plan__unit"), pk=digest_id
    )


def _changes(payload: DigestIn) -> tuple[dict, int]:
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", 0)
    changes.pop("unit", None)
    changes.pop("period", None)
    return {k: v for k, v in changes.items() if v is not None}, version


@router.get("", response=list[DigestOut], summary="Opinion digests; ?period=<id>")
def list_digests(request: HttpRequest, filters: Query[DigestFilters]):
    user = request.auth
    qs = OpinionDigest.objects.for_user(user).select_related("unit")
    if filters.period is not None:
        period = get_for_user_or_404(ReportingPeriod, user, pk=filters.period)
        qs = qs.filter(period=period)
    qs = list(qs.order_by("period_id", "-has_hot_spot", "unit__path", "pk")[:500])
    from kehoach.reports.models import UnitReport

    frozen = {
        (r.unit_id, r.period_id)
        for r in UnitReport.objects.filter(
            period_id__in={d.period_id for d in qs}, unit_id__in={d.unit_id for d in qs}
        ).exclude(status__in=digests.EDITABLE_REPORT_STATUSES)
    }
    return [_out(user, d, (d.unit_id, d.period_id) in frozen) for d in qs]


@router.post("", response={201: DigestOut}, summary="Write a unit's digest for a period")
def create_digest(request: HttpRequest, payload: DigestCreate):
    user = request.auth
    unit = get_for_user_or_404(Unit, user, pk=payload.unit)
    period = get_for_user_or_404(ReportingPeriod, user, pk=payload.period)
    changes, version = _changes(payload)
    digest = digests.save_digest(
        actor=user, unit=unit, period=period, changes=changes, version=version
    )
    return Status(201, _out(user, _digest(user, digest.pk)))


@router.get("/{digest_id}", response=DigestOut, summary="One opinion digest")
def get_digest(request: HttpRequest, digest_id: int):
    return _out(request.auth, _digest(request.auth, digest_id))


@router.put(
    "/{digest_id}",
    response=DigestOut,
    summary="Save the digest; send the version you started from",
)
def save_digest(request: HttpRequest, digest_id: int, payload: DigestIn):
    user = request.auth
    digest = _digest(user, digest_id)
    changes, version = _changes(payload)
    digests.save_digest(
        actor=user, unit=digest.unit, period=digest.period, changes=changes, version=version
    )
    return _out(user, _digest(user, digest_id))

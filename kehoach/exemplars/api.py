"""Exemplars over the API: the registry with its filters, nominate, one exemplar, photos, and
the review steps (verify, return, commend, promote). Scoped: another unit's exemplar is 404."""

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from kehoach.core.scoping import get_for_user_or_404
from kehoach.exemplars import services
from kehoach.exemplars.forms import apply_filters
from kehoach.exemplars.models import Exemplar, ExemplarPhoto
from kehoach.org.models import Unit
from kehoach.plans.models import Plan

router = Router(tags=["exemplars"])
MAX_LIMIT = 500


class PhotoOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    file_url: str


class ExemplarOut(Schema):
    id: int
    unit_id: int
    kind: str
    field: str
    name: str
    story: str
    evidence: str
    year: int
    plan_id: int | None
    stage: str
    review_comment: str
    verified_at: dt.datetime | None
    verified_by_id: int | None
    commendation_form: str
    commended_on: dt.date | None
    commended_by_id: int | None
    promoted_link: str
    promoted_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    photos: list[PhotoOut]


class ExemplarIn(Schema):
    unit_id: int
    kind: str
    field: str
    name: str
    story: str
    evidence: str = ""
    year: int | None = None
    plan_id: int | None = None


class ExemplarPatch(Schema):
    kind: str | None = None
    field: str | None = None
    name: str | None = None
    story: str | None = None
    evidence: str | None = None
    year: int | None = None
    plan_id: int | None = None
    updated_at: dt.datetime | None = None


class ExemplarFilters(Schema):
    kind: str = ""
    field: str = ""
    unit_id: int | None = None
    year: int | None = None
    stage: str = ""
    limit: int = 100
    offset: int = 0


class ReturnIn(Schema):
    comment: str = ""


class CommendIn(Schema):
    form: str = ""
    date: dt.date | None = None


class PromoteIn(Schema):
    link: str = ""


def _photo_out(photo: ExemplarPhoto) -> dict:
    return {
        "id": photo.pk,
        "original_name": photo.original_name,
        "content_type": photo.content_type,
        "size": photo.size,
        "file_url": reverse("exemplars:photo", args=[photo.pk]),
    }


def _out(exemplar: Exemplar) -> dict:
    names = (
        "unit_id",
        "kind",
        "field",
        "name",
        "story",
        "evidence",
        "year",
        "plan_id",
        "stage",
        "review_comment",
        "verified_at",
        "verified_by_id",
        "commendation_form",
        "commended_on",
        "commended_by_id",
        "promoted_link",
        "promoted_at",
        "created_at",
        "updated_at",
    )
    data = {name: getattr(exemplar, name) for name in names}
    data["id"] = exemplar.pk
    data["photos"] = [_photo_out(p) for p in exemplar.photos.all()]
    return data


def _fresh(pk: int) -> dict:
    return _out(Exemplar.objects.prefetch_related("photos").get(pk=pk))


def _plan(user, plan_id: int | None) -> Plan | None:
    return None if plan_id is None else get_for_user_or_404(Plan, user, pk=plan_id)


def _mine(request: HttpRequest, exemplar_id: int) -> Exemplar:
    return get_for_user_or_404(Exemplar, request.auth, pk=exemplar_id)


@router.get("", response=list[ExemplarOut], summary="Exemplars in your scope, filtered")
def list_exemplars(request: HttpRequest, filters: Query[ExemplarFilters]):
    user = request.auth
    unit = None if filters.unit_id is None else get_for_user_or_404(Unit, user, pk=filters.unit_id)
    exemplars = apply_filters(
        Exemplar.objects.for_user(user),
        kind=filters.kind,
        field=filters.field,
        unit=unit,
        year=filters.year,
        stage=filters.stage,
    )
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    page = exemplars.prefetch_related("photos").order_by("-year", "-created_at", "-pk")
    return [_out(e) for e in page[offset : offset + limit]]


@router.post("", response={201: ExemplarOut}, summary="Nominate an exemplar")
def nominate(request: HttpRequest, payload: ExemplarIn):
    user = request.auth
    exemplar = services.nominate_exemplar(
        actor=user,
        unit=get_for_user_or_404(Unit, user, pk=payload.unit_id),
        kind=payload.kind,
        field=payload.field,
        name=payload.name,
        story=payload.story,
        evidence=payload.evidence,
        year=payload.year,
        plan=_plan(user, payload.plan_id),
    )
    return Status(201, _fresh(exemplar.pk))


@router.get("/{exemplar_id}", response=ExemplarOut, summary="One exemplar")
def get_exemplar(request: HttpRequest, exemplar_id: int):
    return _fresh(_mine(request, exemplar_id).pk)


@router.patch("/{exemplar_id}", response=ExemplarOut, summary="Change a nominated exemplar")
def update(request: HttpRequest, exemplar_id: int, payload: ExemplarPatch):
    user = request.auth
    exemplar = _mine(request, exemplar_id)
    fields = payload.dict(exclude_unset=True)
    seen = fields.pop("updated_at", None)
    changes = {
        name: value
        for name, value in fields.items()
        if name in ("kind", "field", "name", "story", "evidence", "year") and value is not None
    }
    if "plan_id" in fields:
        changes["plan"] = _plan(user, fields["plan_id"])
    services.update_exemplar(actor=user, exemplar=exemplar, changes=changes, seen_updated_at=seen)
    return _fresh(exemplar.pk)


@router.post("/{exemplar_id}/photos", response={201: PhotoOut}, summary="Add a photo")
def add_photo(request: HttpRequest, exemplar_id: int, file: UploadedFile = File(...)):  # noqa: B008
    exemplar = _mine(request, exemplar_id)
    (photo,) = services.add_photos(actor=request.auth, exemplar=exemplar, photos=[file])
    return Status(201, _photo_out(photo))


@router.post("/{exemplar_id}/verify", response=ExemplarOut, summary="Verify (coordinator)")
def verify(request: HttpRequest, exemplar_id: int):
    exemplar = services.verify_exemplar(actor=request.auth, exemplar=_mine(request, exemplar_id))
    return _fresh(exemplar.pk)


@router.post("/{exemplar_id}/return", response=ExemplarOut, summary="Return with a comment")
def return_(request: HttpRequest, exemplar_id: int, payload: ReturnIn):
    exemplar = services.return_exemplar(
        actor=request.auth, exemplar=_mine(request, exemplar_id), comment=payload.comment
    )
    return _fresh(exemplar.pk)


@router.post("/{exemplar_id}/commend", response=ExemplarOut, summary="Commend (leader)")
def commend(request: HttpRequest, exemplar_id: int, payload: CommendIn):
    exemplar = services.commend_exemplar(
        actor=request.auth,
        exemplar=_mine(request, exemplar_id),
        form=payload.form,
        on=payload.date,
    )
    return _fresh(exemplar.pk)


@router.post("/{exemplar_id}/promote", response=ExemplarOut, summary="Link the content")
def promote(request: HttpRequest, exemplar_id: int, payload: PromoteIn):
    exemplar = services.promote_exemplar(
        actor=request.auth, exemplar=_mine(request, exemplar_id), link=payload.link
    )
    return _fresh(exemplar.pk)

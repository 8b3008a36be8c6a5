"""Every change to exemplars: nominate, edit, verify or return, commend, promote. Audited, atomic.

A unit's people nominate (story, evidence, photos); the coordinator above the unit verifies
it or returns it with a comment; a leader above commends it (form and date); the
coordinator links it to the content that spreads it. Each step tells the nominating unit's
heads and officers; a nomination (and a re-sent one) tells the coordinators above, and a
verified exemplar tells the leaders above that it awaits commendation.

Photos are checked by their content with `kehoach.activities.evidence` before the
transaction opens; files stored during a transaction that rolls back are removed again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date as date_type
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from kehoach.accounts import policy
from kehoach.accounts.models import Membership, Role
from kehoach.activities import evidence as ev
from kehoach.activities.models import EvidenceKind, Notification
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import check_fresh
from kehoach.exemplars.models import Exemplar, ExemplarKind, ExemplarPhoto, Field, Stage
from kehoach.org.models import Unit
from kehoach.plans.models import Plan

MAX_PHOTOS = 12
FIRST_YEAR = 1945
EDITABLE = ("kind", "field", "name", "story", "evidence", "year", "plan")
EDITABLE_STAGES = (Stage.NOMINATED, Stage.RETURNED)
UNIT_ROLES = (Role.HEAD, Role.OFFICER)

# ---------------------------------------------------------------- checks


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_content(actor, *, unit: Unit, data: dict) -> None:
    """Every rule of an exemplar's content; all problems reported at once."""
    errors: dict[str, list[str]] = {}
    if unit.kind == "external" or not unit.is_active:
        _add(errors, "unit", _("Choose one of your own units."))
    if data.get("kind") not in ExemplarKind.values:
        _add(errors, "kind", _("Choose the kind of exemplar."))
    if data.get("field") not in Field.values:
        _add(errors, "field", _("Choose the field."))
    if not (data.get("name") or "").strip():
        _add(errors, "name", _("Enter the name of the person, collective or model."))
    elif len(data["name"].strip()) > 255:
        _add(errors, "name", _("The name is too long."))
    if not (data.get("story") or "").strip():
        _add(errors, "story", _("Tell the story: what they did and what came of it."))
    year = data.get("year")
    this_year = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool):
        _add(errors, "year", _("Enter the year."))
    elif not FIRST_YEAR <= year <= this_year + 1:
        _add(
            errors,
            "year",
            _("The year must be between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": this_year + 1},
        )
    plan = data.get("plan")
    if plan is not None and not Plan.objects.for_user(actor).filter(pk=plan.pk).exists():
        _add(errors, "plan", _("This plan is not available to you."))
    if errors:
        raise ValidationError(errors)


def check_photos(uploads: Iterable) -> list[ev.CheckedFile]:
    """Each upload must be a photo by its content (re-encoded, metadata dropped)."""
    checked, errors = [], []
    for upload in uploads:
        name = getattr(upload, "name", "") or ""
        try:
            item = ev.check_upload(upload)
        except ValidationError as exc:
            errors += [f"{name}: {m}" if name else m for m in exc.messages]
            continue
        if item.kind != EvidenceKind.PHOTO:
            message = _("Only photos can be attached here (JPEG, PNG, WebP).")
            errors.append(f"{name}: {message}" if name else message)
            continue
        checked.append(item)
    if errors:
        raise ValidationError({"photos": errors})
    return checked


def _check_stage(exemplar: Exemplar, *allowed: str, message: str) -> None:
    if exemplar.stage not in allowed:
        raise ValidationError(message, code="stage")


# ---------------------------------------------------------------- storing photos


class _Stored:
    """Files written during a transaction; removed again if it rolls back."""

    def __init__(self) -> None:
        self.files: list = []

    def cleanup(self) -> None:
        for field_file in self.files:
            with contextlib.suppress(OSError):
                field_file.storage.delete(field_file.name)


def _store_photos(exemplar: Exemplar, checked: list, stored: _Stored) -> list[ExemplarPhoto]:
    count = exemplar.photos.count()
    if count + len(checked) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": [_("At most %(n)d photos per exemplar.") % {"n": MAX_PHOTOS}]}
        )
    made = []
    for item in checked:
        content = item.as_django_file()
        photo = ExemplarPhoto(
            exemplar=exemplar,
            original_name=item.original_name or content.name,
            content_type=item.content_type,
            size=item.size,
        )
        photo.file.save(content.name, content, save=False)
        stored.files.append(photo.file)
        photo.save()
        made.append(photo)
    return made


# ---------------------------------------------------------------- notifications


def detail_path(exemplar: Exemplar) -> str:
    return reverse("exemplars:detail", args=[exemplar.pk])


def _people(unit: Unit, roles, *, above: bool) -> set[int]:
    """Active holders of the roles on the unit (or on it and every unit above it)."""
    unit_ids = [*unit.ancestor_ids(), unit.pk] if above else [unit.pk]
    return set(
        Membership.objects.filter(
            unit_id__in=unit_ids, role__in=roles, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _notify(actor, exemplar: Exemplar, text: str, user_ids: set[int]) -> int:
    link = detail_path(exemplar)
    ids = sorted(user_ids - {actor.pk})
    Notification.objects.bulk_create([Notification(user_id=i, text=text, link=link) for i in ids])
    return len(ids)


def _tell(actor, exemplar: Exemplar, message: str, *, also: set[int] = frozenset()) -> None:
    """The unit's heads and officers, and `also`, learn what happened."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(message) % {"name": exemplar.name[:200], "unit": exemplar.unit.name}
    _notify(actor, exemplar, text, _people(exemplar.unit, UNIT_ROLES, above=False) | set(also))


# Marked for translation here; translated when the notification is written.
NOMINATED = _noop("Exemplar nominated for verification: %(name)s (%(unit)s)")
RESUBMITTED = _noop("Exemplar sent again for verification: %(name)s (%(unit)s)")
VERIFIED = _noop("Exemplar verified, awaiting commendation: %(name)s (%(unit)s)")
RETURNED = _noop("Exemplar returned for more information: %(name)s (%(unit)s)")
COMMENDED = _noop("Exemplar commended: %(name)s (%(unit)s)")
PROMOTED = _noop("Exemplar promoted: %(name)s (%(unit)s)")


# ---------------------------------------------------------------- services


def nominate_exemplar(
    *,
    actor,
    unit: Unit,
    kind: str,
    field: str,
    name: str,
    story: str,
    evidence: str = "",
    year: int | None = None,
    plan: Plan | None = None,
    photos: Iterable = (),
) -> Exemplar:
    """A unit puts forward an exemplar, with its photos, all or nothing."""
    policy.require(actor, "exemplars.nominate", unit)
    year = timezone.localdate().year if year is None else year
    data = {"kind": kind, "field": field, "name": name, "story": story, "year": year, "plan": plan}
    _check_content(actor, unit=unit, data=data)
    checked = check_photos(photos)
    stored = _Stored()
    try:
        with transaction.atomic(), acting_as(actor):
            exemplar = Exemplar.objects.create(
                unit=unit,
                kind=kind,
                field=field,
                name=name.strip(),
                story=story.strip(),
                evidence=(evidence or "").strip(),
                year=year,
                plan=plan,
                stage=Stage.NOMINATED,
                created_by=actor,
            )
            _store_photos(exemplar, checked, stored)
            coordinators = _people(unit, (Role.COORDINATOR,), above=True)
            _tell(actor, exemplar, NOMINATED, also=coordinators)
    except BaseException:
        stored.cleanup()
        raise
    return exemplar


def _stale_message() -> str:
    return _(
        "This exemplar was changed by someone else after you opened the form. "
        "Reload the page to see the latest version, then make your change again."
    )


def _not_editable() -> str:
    return _("Only a nominated or returned exemplar can be changed.")


def update_exemplar(
    *,
    actor,
    exemplar: Exemplar,
    changes: dict,
    photos: Iterable = (),
    seen_updated_at: datetime | None = None,
) -> Exemplar:
    """Edit while nominated or returned; a returned exemplar goes back for verification."""
    policy.require(actor, "exemplars.nominate", exemplar)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    checked = check_photos(photos)
    stored = _Stored()
    try:
        with transaction.atomic(), acting_as(actor):
            exemplar = (
                Exemplar.objects.select_for_update().select_related("unit").get(pk=exemplar.pk)
            )
            _check_stage(exemplar, *EDITABLE_STAGES, message=_not_editable())
            check_fresh(exemplar, seen_updated_at, _stale_message())
            data = {name: changes.get(name, getattr(exemplar, name)) for name in EDITABLE}
            _check_content(actor, unit=exemplar.unit, data=data)
            for name in ("kind", "field", "year", "plan"):
                setattr(exemplar, name, data[name])
            for name in ("name", "story", "evidence"):
                setattr(exemplar, name, (data[name] or "").strip())
            resubmitted = exemplar.stage == Stage.RETURNED
            if resubmitted:
                exemplar.stage = Stage.NOMINATED
            exemplar.save()
            _store_photos(exemplar, checked, stored)
            if resubmitted:
                coordinators = _people(exemplar.unit, (Role.COORDINATOR,), above=True)
                _tell(actor, exemplar, RESUBMITTED, also=coordinators)
    except BaseException:
        stored.cleanup()
        raise
    return exemplar


def add_photos(*, actor, exemplar: Exemplar, photos: Iterable) -> list[ExemplarPhoto]:
    """More photos for a nominated or returned exemplar; its stage stays as it is."""
    policy.require(actor, "exemplars.nominate", exemplar)
    checked = check_photos(photos)
    if not checked:
        raise ValidationError({"photos": [_("Choose a photo.")]})
    stored = _Stored()
    try:
        with transaction.atomic(), acting_as(actor):
            exemplar = _locked(exemplar)
            _check_stage(exemplar, *EDITABLE_STAGES, message=_not_editable())
            made = _store_photos(exemplar, checked, stored)
            exemplar.save(update_fields=["updated_at"])
    except BaseException:
        stored.cleanup()
        raise
    return made


def remove_photo(*, actor, photo: ExemplarPhoto) -> None:
    """The record goes (audited, with the stored file's name); the file itself is kept."""
    policy.require(actor, "exemplars.nominate", photo.exemplar)
    with transaction.atomic(), acting_as(actor):
        exemplar = Exemplar.objects.select_for_update().get(pk=photo.exemplar_id)
        _check_stage(exemplar, *EDITABLE_STAGES, message=_not_editable())
        ExemplarPhoto.objects.get(pk=photo.pk, exemplar=exemplar).delete()
        exemplar.save(update_fields=["updated_at"])


def _locked(exemplar: Exemplar) -> Exemplar:
    return Exemplar.objects.select_for_update().select_related("unit").get(pk=exemplar.pk)


def verify_exemplar(*, actor, exemplar: Exemplar) -> Exemplar:
    """The coordinator above confirms the nomination; leaders above are asked to commend."""
    policy.require(actor, "exemplars.verify", exemplar)
    with transaction.atomic(), acting_as(actor):
        exemplar = _locked(exemplar)
        _check_stage(
            exemplar, Stage.NOMINATED, message=_("Only a nominated exemplar can be verified.")
        )
        exemplar.stage = Stage.VERIFIED
        exemplar.verified_at = timezone.now()
        exemplar.verified_by = actor
        exemplar.save()
        leaders = _people(exemplar.unit, (Role.LEADER,), above=True)
        _tell(actor, exemplar, VERIFIED, also=leaders)
    return exemplar


def return_exemplar(*, actor, exemplar: Exemplar, comment: str) -> Exemplar:
    """The coordinator above sends it back to the unit, saying what is missing."""
    policy.require(actor, "exemplars.verify", exemplar)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what the unit should add or correct.")]})
    with transaction.atomic(), acting_as(actor):
        exemplar = _locked(exemplar)
        _check_stage(
            exemplar, Stage.NOMINATED, message=_("Only a nominated exemplar can be returned.")
        )
        exemplar.stage = Stage.RETURNED
        exemplar.review_comment = comment
        exemplar.save()
        _tell(actor, exemplar, RETURNED)
    return exemplar


def commend_exemplar(*, actor, exemplar: Exemplar, form: str, on: date_type | None) -> Exemplar:
    """A leader above records the commendation: its form and its date."""
    policy.require(actor, "exemplars.commend", exemplar)
    form = (form or "").strip()
    errors: dict[str, list[str]] = {}
    if not form:
        _add(errors, "form", _("Enter the form of commendation."))
    elif len(form) > 255:
        _add(errors, "form", _("The form of commendation is too long."))
    if on is None:
        _add(errors, "on", _("Enter the date of commendation."))
    elif on > timezone.localdate():
        _add(errors, "on", _("The date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        exemplar = _locked(exemplar)
        _check_stage(
            exemplar,
            Stage.VERIFIED,
            message=_("An exemplar must be verified before it is commended."),
        )
        exemplar.stage = Stage.COMMENDED
        exemplar.commendation_form = form
        exemplar.commended_on = on
        exemplar.commended_by = actor
        exemplar.save()
        _tell(actor, exemplar, COMMENDED)
    return exemplar


def check_promotion_link(link: str) -> str:
    """A web address (checked like evidence links) or a short description of the content."""
    link = (link or "").strip()
    if not link:
        raise ValidationError(
            {"link": [_("Give the link to, or the title of, the content that spreads it.")]}
        )
    if "://" in link or link.lower().startswith(("www.", "http:", "https:")):
        try:
            return ev.check_url(link)
        except ValidationError as exc:
            raise ValidationError({"link": exc.messages}) from None
    if len(link) > 500:
        raise ValidationError({"link": [_("The text is too long.")]})
    return link


def promote_exemplar(*, actor, exemplar: Exemplar, link: str) -> Exemplar:
    """The coordinator links a commended exemplar to the content that spreads it."""
    policy.require(actor, "exemplars.promote", exemplar)
    link = check_promotion_link(link)
    with transaction.atomic(), acting_as(actor):
        exemplar = _locked(exemplar)
        _check_stage(
            exemplar,
            Stage.COMMENDED,
            Stage.PROMOTED,
            message=_("An exemplar must be commended before it is promoted."),
        )
        first = exemplar.stage == Stage.COMMENDED
        exemplar.stage = Stage.PROMOTED
        exemplar.promoted_link = link
        if first:
            exemplar.promoted_at = timezone.now()
        exemplar.save()
        if first:
            _tell(actor, exemplar, PROMOTED)
    return exemplar

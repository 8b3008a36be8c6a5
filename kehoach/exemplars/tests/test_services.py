"""Exemplars from nomination to promotion: who may do each step, in which order, with what
checks; every step audited and told to the people who act next."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from kehoach.accounts.models import Role
from kehoach.activities.models import Notification
from kehoach.audit.models import AuditEntry
from kehoach.core.concurrency import StaleEdit
from kehoach.core.testing import make_user
from kehoach.exemplars import services
from kehoach.exemplars.figures import exemplar_counts, stage_counts
from kehoach.exemplars.models import Exemplar, ExemplarPhoto, Stage
from kehoach.org.models import Unit
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import stage as staged_plan

# ---------------------------------------------------------------- builders (shared by the tests)


def jpeg(size=(2400, 1800), gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def photo(name: str = "guong-sang.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(**kwargs), content_type="image/jpeg")


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def make_leader(world):
    return make_user("thuongvu", unit=world.ward, role=Role.LEADER, full_name="Lê Thị Thu")


@pytest.fixture
def leader(world):
    return make_leader(world)


def nominate(world, *, actor=None, unit=None, **extra) -> Exemplar:
    data = {
        "kind": "individual",
        "field": "mass_mobilisation",
        "name": "Bà Nguyễn Thị Hoa",
        "story": "Vận động 40 hộ hiến đất mở rộng ngõ 12.",
        "evidence": "Biên bản họp tổ dân phố ngày 05/03/2026.",
        "year": 2026,
    }
    data.update(extra)
    return services.nominate_exemplar(
        actor=actor or world.secretary, unit=unit or world.cell1, **data
    )


def verified(world, **extra) -> Exemplar:
    exemplar = nominate(world, **extra)
    return services.verify_exemplar(actor=world.coordinator, exemplar=exemplar)


def commended(world, leader, **extra) -> Exemplar:
    exemplar = verified(world, **extra)
    return services.commend_exemplar(
        actor=leader, exemplar=exemplar, form="Giấy khen", on=timezone.localdate()
    )


def audit_of(exemplar: Exemplar) -> list[AuditEntry]:
    ct = ContentType.objects.get_for_model(Exemplar)
    return list(
        AuditEntry.objects.filter(content_type=ct, object_id=str(exemplar.pk)).order_by("id")
    )


def told(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


# ---------------------------------------------------------------- nominate


def test_a_cell_secretary_nominates_with_a_photo_cleaned_and_shrunk(world) -> None:
    exemplar = nominate(world, photos=[photo(gps=True)])
    assert exemplar.stage == Stage.NOMINATED
    assert exemplar.unit == world.cell1 and exemplar.created_by == world.secretary
    stored = exemplar.photos.get()
    image = Image.open(stored.file)
    assert max(image.size) <= 1600
    assert ExifTags.IFD.GPSInfo not in image.getexif()
    assert stored.original_name == "guong-sang.jpg"
    assert not stored.file.name.endswith("guong-sang.jpg")


def test_a_document_is_not_a_photo_and_nothing_is_saved(world) -> None:
    with pytest.raises(ValidationError) as caught:
        nominate(world, photos=[photo(), SimpleUploadedFile("anh.jpg", PDF)])
    assert "photos" in caught.value.message_dict
    assert not Exemplar.objects.exists() and not ExemplarPhoto.objects.exists()


def test_a_renamed_program_is_refused_by_its_content(world) -> None:
    with pytest.raises(ValidationError):
        nominate(world, photos=[SimpleUploadedFile("anh.png", b"MZ\x90\x00 not an image")])
    assert not Exemplar.objects.exists()


@pytest.mark.parametrize("who", ["secretary2", "outsider"])
def test_only_the_units_people_nominate_for_it(world, who) -> None:
    with pytest.raises(PermissionDenied):
        nominate(world, actor=getattr(world, who))
    assert not Exemplar.objects.exists()


def test_a_leader_does_not_nominate(world, leader) -> None:
    with pytest.raises(PermissionDenied):
        nominate(world, actor=leader)


def test_the_coordinator_may_nominate_for_a_unit_below(world) -> None:
    assert nominate(world, actor=world.coordinator).unit == world.cell1


def test_the_content_rules_are_reported_together(world) -> None:
    with pytest.raises(ValidationError) as caught:
        nominate(world, story="  ", year=1800, kind="hero")
    assert {"story", "year", "kind"} <= set(caught.value.message_dict)


def test_a_nomination_tells_the_coordinator_but_not_the_nominator(world) -> None:
    nominate(world)
    assert len(told(world.coordinator)) == 1
    assert told(world.secretary) == []
    assert told(world.secretary2) == [] and told(world.outsider) == []


def test_a_plan_of_the_ward_may_be_linked(world) -> None:
    plan = plan_services.save_import(
        actor=world.coordinator, staged=staged_plan(world.ward, world.coordinator)
    )
    assert nominate(world, plan=plan).plan == plan


# ---------------------------------------------------------------- edit


def test_a_nominated_exemplar_is_edited_and_audited(world) -> None:
    exemplar = nominate(world)
    services.update_exemplar(
        actor=world.secretary, exemplar=exemplar, changes={"story": "Câu chuyện mới"}
    )
    exemplar.refresh_from_db()
    assert exemplar.story == "Câu chuyện mới"
    assert audit_of(exemplar)[-1].after["story"] == "Câu chuyện mới"


def test_an_edit_based_on_an_old_read_is_refused(world) -> None:
    exemplar = nominate(world)
    seen = exemplar.updated_at
    services.update_exemplar(actor=world.secretary, exemplar=exemplar, changes={"year": 2025})
    with pytest.raises(StaleEdit):
        services.update_exemplar(
            actor=world.secretary,
            exemplar=exemplar,
            changes={"name": "Khác"},
            seen_updated_at=seen,
        )


def test_a_verified_exemplar_can_no_longer_be_edited(world) -> None:
    exemplar = verified(world)
    with pytest.raises(ValidationError):
        services.update_exemplar(actor=world.secretary, exemplar=exemplar, changes={"year": 2025})
    with pytest.raises(ValidationError):
        services.add_photos(actor=world.secretary, exemplar=exemplar, photos=[photo()])


def test_another_cell_cannot_edit(world) -> None:
    exemplar = nominate(world)
    with pytest.raises(PermissionDenied):
        services.update_exemplar(actor=world.secretary2, exemplar=exemplar, changes={})


def test_editing_a_returned_exemplar_sends_it_again(world) -> None:
    exemplar = nominate(world)
    services.return_exemplar(actor=world.coordinator, exemplar=exemplar, comment="Thêm ảnh")
    Notification.objects.all().delete()
    services.update_exemplar(actor=world.secretary, exemplar=exemplar, changes={}, photos=[photo()])
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED and exemplar.photos.count() == 1
    assert len(told(world.coordinator)) == 1


def test_a_photo_is_removed_with_an_audit_record(world) -> None:
    exemplar = nominate(world, photos=[photo()])
    item = exemplar.photos.get()
    services.remove_photo(actor=world.secretary, photo=item)
    assert not exemplar.photos.exists()
    ct = ContentType.objects.get_for_model(ExemplarPhoto)
    assert AuditEntry.objects.filter(content_type=ct, object_id=str(item.pk), action="delete")


# ---------------------------------------------------------------- verify and return


def test_the_coordinator_verifies_and_the_leaders_are_asked_to_commend(world, leader) -> None:
    exemplar = verified(world)
    assert exemplar.stage == Stage.VERIFIED
    assert exemplar.verified_by == world.coordinator and exemplar.verified_at
    assert len(told(leader)) == 1
    assert len(told(world.secretary)) == 1  # the nominating unit's head hears of it
    entry = audit_of(exemplar)[-1]
    assert entry.actor == world.coordinator
    assert (entry.before["stage"], entry.after["stage"]) == ("nominated", "verified")


@pytest.mark.parametrize("who", ["secretary", "secretary2", "outsider", "leader"])
def test_nobody_but_the_coordinator_verifies_or_returns(world, leader, who) -> None:
    exemplar = nominate(world)
    actor = leader if who == "leader" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.verify_exemplar(actor=actor, exemplar=exemplar)
    with pytest.raises(PermissionDenied):
        services.return_exemplar(actor=actor, exemplar=exemplar, comment="x")
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


def test_a_return_without_a_comment_is_refused(world) -> None:
    exemplar = nominate(world)
    with pytest.raises(ValidationError) as caught:
        services.return_exemplar(actor=world.coordinator, exemplar=exemplar, comment="  ")
    assert "comment" in caught.value.message_dict
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


def test_a_return_keeps_the_comment_and_tells_the_unit(world) -> None:
    exemplar = nominate(world)
    services.return_exemplar(actor=world.coordinator, exemplar=exemplar, comment="Bổ sung số liệu")
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.RETURNED and exemplar.review_comment == "Bổ sung số liệu"
    assert len(told(world.secretary)) == 1


def test_a_returned_exemplar_cannot_be_verified_until_sent_again(world) -> None:
    exemplar = nominate(world)
    services.return_exemplar(actor=world.coordinator, exemplar=exemplar, comment="Thiếu")
    with pytest.raises(ValidationError):
        services.verify_exemplar(actor=world.coordinator, exemplar=exemplar)


def test_a_verified_exemplar_is_not_verified_twice(world) -> None:
    exemplar = verified(world)
    with pytest.raises(ValidationError):
        services.verify_exemplar(actor=world.coordinator, exemplar=exemplar)


# ---------------------------------------------------------------- commend


def test_a_leader_commends_with_form_and_date(world, leader) -> None:
    exemplar = commended(world, leader)
    assert exemplar.stage == Stage.COMMENDED
    assert exemplar.commendation_form == "Giấy khen"
    assert exemplar.commended_on == timezone.localdate() and exemplar.commended_by == leader
    assert audit_of(exemplar)[-1].actor == leader


def test_commending_before_verification_is_refused(world, leader) -> None:
    exemplar = nominate(world)
    with pytest.raises(ValidationError):
        services.commend_exemplar(
            actor=leader, exemplar=exemplar, form="Giấy khen", on=timezone.localdate()
        )
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


@pytest.mark.parametrize("who", ["secretary", "coordinator", "secretary2", "outsider"])
def test_nobody_but_a_leader_commends(world, who) -> None:
    exemplar = verified(world)
    with pytest.raises(PermissionDenied):
        services.commend_exemplar(
            actor=getattr(world, who), exemplar=exemplar, form="x", on=timezone.localdate()
        )


def test_a_leader_of_another_ward_cannot_commend(world) -> None:
    other = make_user("thuongvu2", unit=world.other_ward, role=Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.commend_exemplar(
            actor=other, exemplar=verified(world), form="x", on=timezone.localdate()
        )


@pytest.mark.parametrize(
    "form, on, field",
    [
        ("", dt.date(2026, 1, 5), "form"),
        ("Giấy khen", None, "on"),
        ("Giấy khen", dt.date.today() + dt.timedelta(days=3), "on"),
    ],
)
def test_the_form_and_a_past_date_of_commendation_are_required(
    world, leader, form, on, field
) -> None:
    exemplar = verified(world)
    with pytest.raises(ValidationError) as caught:
        services.commend_exemplar(actor=leader, exemplar=exemplar, form=form, on=on)
    assert field in caught.value.message_dict


# ---------------------------------------------------------------- promote


@pytest.mark.parametrize(
    "link",
    ["https://lechan.haiphong.gov.vn/tin-tuc/guong-sang", "Bản tin truyền thanh số 12/2026"],
)
def test_the_coordinator_links_the_content_that_spreads_it(world, leader, link) -> None:
    exemplar = commended(world, leader)
    services.promote_exemplar(actor=world.coordinator, exemplar=exemplar, link=link)
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.PROMOTED and exemplar.promoted_link == link
    assert exemplar.promoted_at is not None
    assert audit_of(exemplar)[-1].actor == world.coordinator


@pytest.mark.parametrize("link", ["", "   ", "javascript://alert(1)", "http://"])
def test_a_promotion_needs_a_link_or_text(world, leader, link) -> None:
    exemplar = commended(world, leader)
    with pytest.raises(ValidationError):
        services.promote_exemplar(actor=world.coordinator, exemplar=exemplar, link=link)


def test_promoting_before_commendation_is_refused(world) -> None:
    with pytest.raises(ValidationError):
        services.promote_exemplar(actor=world.coordinator, exemplar=verified(world), link="Bài")


@pytest.mark.parametrize("who", ["secretary", "secretary2", "outsider", "leader"])
def test_nobody_but_the_coordinator_promotes(world, leader, who) -> None:
    exemplar = commended(world, leader)
    actor = leader if who == "leader" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.promote_exemplar(actor=actor, exemplar=exemplar, link="Bài viết")


# ---------------------------------------------------------------- figures


def test_counts_by_stage_per_unit_in_the_period(world, leader) -> None:
    nominate(world)
    verified(world)
    commended(world, leader)
    nominate(world, actor=world.secretary2, unit=world.cell2)
    today = timezone.localdate()
    counts = exemplar_counts([world.cell1, world.cell2, world.committee], today, today)
    assert counts[world.cell1.pk] == {
        "nominated": 1,
        "returned": 0,
        "verified": 1,
        "commended": 1,
        "promoted": 0,
        "total": 3,
    }
    assert counts[world.cell2.pk]["nominated"] == 1
    assert counts[world.committee.pk]["total"] == 0
    last_year = today.replace(year=today.year - 1)
    assert exemplar_counts([world.cell1], last_year, last_year)[world.cell1.pk]["total"] == 0
    # Summed over the units in one query, as a list or as a queryset: the same figures.
    summed = {stage: sum(c[stage] for c in counts.values()) for stage in counts[world.cell1.pk]}
    units = Unit.objects.filter(pk__in=[world.cell1.pk, world.cell2.pk, world.committee.pk])
    assert (
        stage_counts(units, today, today)
        == summed
        == {
            "nominated": 2,
            "returned": 0,
            "verified": 1,
            "commended": 1,
            "promoted": 0,
            "total": 4,
        }
    )
    assert stage_counts([world.cell1, world.cell2], today, today) == summed


def test_a_unit_counts_its_subtree_when_asked(world) -> None:
    nominate(world)
    nominate(world, actor=world.secretary2, unit=world.cell2)
    today = timezone.localdate()
    assert exemplar_counts([world.ward], today, today)[world.ward.pk]["total"] == 0
    assert exemplar_counts([world.ward], today, today, subtree=True)[world.ward.pk]["total"] == 2


def test_the_counts_take_one_query_whatever_the_numbers(world, django_assert_num_queries) -> None:
    for _ in range(3):
        nominate(world)
    today = timezone.localdate()
    units = [world.cell1, world.cell2, world.committee, world.board]
    with django_assert_num_queries(1):
        exemplar_counts(units, today, today)
    with django_assert_num_queries(1):
        exemplar_counts(units, today, today, subtree=True)

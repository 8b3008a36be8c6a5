"""Concern pages for signed-in people: list, record, detail, every handling step by every
persona, attachments, the home-page block."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from kehoach.accounts.models import Role
from kehoach.core.testing import ScopedViewChecks, client_for, make_user
from kehoach.feedback.models import (
    Category,
    Concern,
    ConcernAttachment,
    ConcernStatus,
    RoutingRule,
    Source,
    Urgency,
)
from kehoach.feedback.tests.test_concern_services import (
    committee_head,
    concern_for_committee,
    record,
)
from kehoach.feedback.views import home_block

S = ConcernStatus


def photo(name="den-duong.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 0)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def cell1_concern(world, **extra) -> Concern:
    RoutingRule.objects.get_or_create(
        ward=world.ward, category=Category.ENVIRONMENT, defaults={"unit": world.cell1}
    )
    return record(world, category=Category.ENVIRONMENT, **extra)


class TestDetailScope(ScopedViewChecks):
    def url(self, world):
        return f"/y-kien/{cell1_concern(world).pk}/"


class TestListScope:
    def test_anonymous_is_sent_to_sign_in(self, client, db):
        response = client.get("/y-kien/")
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]

    def test_each_person_lists_only_concerns_handled_in_their_scope(self, world):
        mine = cell1_concern(world)
        theirs = concern_for_committee(world)
        ids = {
            who: {c.pk for c in client_for(getattr(world, who)).get("/y-kien/").context["page"]}
            for who in ("secretary", "secretary2", "coordinator", "outsider")
        }
        assert ids["secretary"] == {mine.pk}
        assert ids["secretary2"] == set()
        assert ids["coordinator"] == {mine.pk, theirs.pk}
        assert ids["outsider"] == set()

    def test_filters_narrow_the_list(self, world):
        concern_for_committee(world)
        hot = concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        Concern.objects.filter(pk=hot.pk).update(acknowledge_due=timezone.now())
        client = client_for(world.coordinator)
        assert [c.pk for c in client.get("/y-kien/?urgency=hot_spot").context["page"]] == [hot.pk]
        assert [c.pk for c in client.get("/y-kien/?state=overdue").context["page"]] == [hot.pk]
        assert [c.pk for c in client.get(f"/y-kien/?code={hot.code.lower()}").context["page"]] == [
            hot.pk
        ]

    def test_hot_spots_come_first(self, world):
        concern_for_committee(world)
        hot = concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        concern_for_committee(world)
        page = client_for(world.coordinator).get("/y-kien/").context["page"]
        assert page.object_list[0].pk == hot.pk

    def test_the_list_costs_the_same_queries_for_few_or_many_concerns(
        self, world, django_assert_max_num_queries
    ):
        from django.db import connection

        client = client_for(world.coordinator)
        concern_for_committee(world)
        with CaptureQueriesContext(connection) as few:
            assert client.get("/y-kien/").status_code == 200
        for _ in range(12):
            concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        with django_assert_max_num_queries(len(few)):
            response = client.get("/y-kien/")
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 13


class TestRecordPage:
    def test_a_secretary_records_a_concern_with_a_photo(self, world):
        RoutingRule.objects.create(
            ward=world.ward, category=Category.URBAN_ORDER, unit=world.committee
        )
        response = client_for(world.secretary).post(
            "/y-kien/ghi-nhan/",
            {
                "unit": world.cell1.pk,
                "source": Source.CELL_MEETING,
                "category": Category.URBAN_ORDER,
                "place": "Tổ 1",
                "summary": "Đèn đường hỏng",
                "people_count": 3,
                "urgency": Urgency.NORMAL,
                "files": [photo()],
            },
        )
        concern = Concern.objects.get()
        # Routed outside the cell's scope: back to the list, with the code in the message.
        assert response.status_code == 302 and response["Location"] == "/y-kien/"
        assert concern.unit == world.committee and concern.recorded_by_unit == world.cell1
        assert concern.attachments.get().content_type == "image/jpeg"

    def test_a_file_that_is_not_what_it_claims_is_refused(self, world):
        fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
        response = client_for(world.secretary).post(
            "/y-kien/ghi-nhan/",
            {
                "unit": world.cell1.pk,
                "source": Source.CELL_MEETING,
                "category": Category.OTHER,
                "summary": "Có việc",
                "people_count": 1,
                "urgency": Urgency.NORMAL,
                "files": [fake],
            },
        )
        assert response.status_code == 422
        assert not Concern.objects.exists()

    def test_a_unit_of_another_ward_cannot_be_chosen(self, world):
        response = client_for(world.secretary).post(
            "/y-kien/ghi-nhan/",
            {
                "unit": world.other_cell.pk,
                "source": Source.VISIT,
                "category": Category.OTHER,
                "summary": "Có việc",
                "people_count": 1,
                "urgency": Urgency.NORMAL,
            },
        )
        assert response.status_code == 422 and not Concern.objects.exists()

    def test_a_viewer_may_not_open_the_form(self, world):
        viewer = make_user("xem", unit=world.cell1, role=Role.VIEWER)
        assert client_for(viewer).get("/y-kien/ghi-nhan/").status_code == 403

    def test_the_recording_units_secretary_opens_the_form(self, world):
        response = client_for(world.secretary).get("/y-kien/ghi-nhan/")
        assert response.status_code == 200
        assert b'id="concern-form"' in response.content


# ---------------------------------------------------------------- every step, every persona

STEPS = {
    # slug: (state before, data, state after)
    "tiep-nhan": (S.NEW, {}, S.ACKNOWLEDGED),
    "xu-ly": (S.ACKNOWLEDGED, {}, S.IN_PROGRESS),
    "tra-loi": (S.IN_PROGRESS, {"answer": "Đã thay bóng đèn."}, S.ANSWERED),
    "dong": (S.ANSWERED, {}, S.CLOSED),
    "mo-lai": (S.CLOSED, {}, S.IN_PROGRESS),
    "chuyen": (S.NEW, "transfer", S.TRANSFERRED),
    "ngoai-tham-quyen": (S.NEW, {"scope-note": "Liên hệ Điện lực Lê Chân"}, S.OUT_OF_SCOPE),
    "trung-lap": (S.NEW, "duplicate", S.DUPLICATE),
    "muc-do": (S.NEW, {"urgency-urgency": Urgency.HOT_SPOT}, S.NEW),
    "dieu-phoi": (S.NEW, "reroute", S.NEW),
}


def _data(world, spec, concern):
    if spec == "transfer":
        return {"transfer-unit": world.cell2.pk, "transfer-note": "Địa bàn tổ 2"}
    if spec == "reroute":
        return {"reroute-unit": world.cell2.pk}
    if spec == "duplicate":
        return {"duplicate-original": concern_for_committee(world).code}
    return spec


def _persona(world, who):
    return {
        "head": lambda: committee_head(world),
        "officer": lambda: make_user("canbo", unit=world.committee, role=Role.OFFICER),
        "coordinator": lambda: world.coordinator,
        "viewer": lambda: make_user("xem", unit=world.committee, role=Role.VIEWER),
        "leader": lambda: make_user("thuongvu", unit=world.ward, role=Role.LEADER),
        "secretary": lambda: world.secretary,
        "outsider": lambda: world.outsider,
        "anonymous": lambda: None,
    }[who]()


def _expected(who, slug):
    if who == "anonymous":
        return 302
    if who in ("secretary", "outsider"):
        return 404
    if who in ("viewer", "leader"):
        return 403
    if slug == "dieu-phoi" and who != "coordinator":
        return 403
    return 302


@pytest.mark.parametrize("slug", sorted(STEPS))
@pytest.mark.parametrize(
    "who",
    ["head", "officer", "coordinator", "viewer", "leader", "secretary", "outsider", "anonymous"],
)
def test_every_step_by_every_persona(world, slug, who):
    before, spec, after = STEPS[slug]
    concern = concern_for_committee(world, before)
    user = _persona(world, who)
    response = client_for(user).post(f"/y-kien/{concern.pk}/{slug}/", _data(world, spec, concern))
    expected = _expected(who, slug)
    assert response.status_code == expected
    concern.refresh_from_db()
    if expected == 302 and user is not None:
        assert response["Location"] == f"/y-kien/{concern.pk}/"
        assert concern.status == after
        if slug == "muc-do":
            assert concern.urgency == Urgency.HOT_SPOT
        if slug == "dieu-phoi":
            assert concern.unit == world.cell2
    else:
        assert concern.status == before
        assert concern.unit == world.committee


class TestStepErrors:
    def test_a_step_the_state_does_not_allow_is_shown_as_an_error(self, world):
        concern = concern_for_committee(world, S.NEW)
        response = client_for(world.coordinator).post(f"/y-kien/{concern.pk}/dong/")
        assert response.status_code == 422
        assert b'id="action-errors"' in response.content

    def test_a_transfer_without_a_note_is_refused(self, world):
        concern = concern_for_committee(world)
        response = client_for(world.coordinator).post(
            f"/y-kien/{concern.pk}/chuyen/", {"transfer-unit": world.cell2.pk}
        )
        assert response.status_code == 422
        concern.refresh_from_db()
        assert concern.unit == world.committee

    def test_an_unknown_step_is_not_found(self, world):
        concern = concern_for_committee(world)
        assert client_for(world.coordinator).post(f"/y-kien/{concern.pk}/xoa/").status_code == 404

    def test_steps_are_posts_only(self, world):
        concern = concern_for_committee(world)
        response = client_for(world.coordinator).get(f"/y-kien/{concern.pk}/tiep-nhan/")
        assert response.status_code == 405


class TestDetailPage:
    def _with_contact(self, world):
        return concern_for_committee(
            world, wants_answer=True, resident_name="Bà Hoa", resident_contact="0912 345 678"
        )

    def test_the_handling_unit_sees_the_residents_contact(self, world):
        concern = self._with_contact(world)
        response = client_for(committee_head(world)).get(f"/y-kien/{concern.pk}/")
        assert "0912 345 678" in response.content.decode()

    @pytest.mark.parametrize("who", ["coordinator", "leader"])
    def test_others_who_see_the_concern_do_not_see_the_contact(self, world, who):
        concern = self._with_contact(world)
        user = (
            world.coordinator
            if who == "coordinator"
            else make_user("thuongvu", unit=world.ward, role=Role.LEADER)
        )
        response = client_for(user).get(f"/y-kien/{concern.pk}/")
        assert response.status_code == 200
        assert "0912 345 678" not in response.content.decode()
        assert "Bà Hoa" not in response.content.decode()

    def test_the_handler_sees_the_buttons_the_leader_does_not(self, world):
        concern = concern_for_committee(world)
        handler = client_for(committee_head(world)).get(f"/y-kien/{concern.pk}/").content
        leader = make_user("thuongvu", unit=world.ward, role=Role.LEADER)
        reader = client_for(leader).get(f"/y-kien/{concern.pk}/").content
        assert b'id="acknowledge"' in handler and b'id="form-answer"' in handler
        assert b'id="form-reroute"' not in handler
        assert b'id="acknowledge"' not in reader and b'id="form-answer"' not in reader

    def test_the_coordinator_sees_the_routing_form(self, world):
        concern = concern_for_committee(world)
        page = client_for(world.coordinator).get(f"/y-kien/{concern.pk}/").content
        assert b'id="form-reroute"' in page


class TestAttachments:
    def _attached(self, world):
        return record(
            world, category=Category.ENVIRONMENT, actor=world.secretary, files=[photo()]
        ).attachments.get()

    def test_people_who_see_the_concern_download_its_attachment(self, world):
        RoutingRule.objects.create(ward=world.ward, category=Category.ENVIRONMENT, unit=world.cell1)
        item = self._attached(world)
        response = client_for(world.secretary).get(f"/y-kien/tep/{item.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"

    @pytest.mark.parametrize("who", ["secretary2", "outsider"])
    def test_others_get_not_found(self, world, who):
        RoutingRule.objects.create(ward=world.ward, category=Category.ENVIRONMENT, unit=world.cell1)
        item = self._attached(world)
        assert client_for(getattr(world, who)).get(f"/y-kien/tep/{item.pk}/").status_code == 404

    def test_the_stored_name_is_random(self, world):
        RoutingRule.objects.create(ward=world.ward, category=Category.ENVIRONMENT, unit=world.cell1)
        item = self._attached(world)
        assert "den-duong" not in item.file.name
        assert ConcernAttachment.objects.get().original_name == "den-duong.jpg"


class TestHomeBlock:
    def test_the_coordinator_sees_overdue_and_hot_spots(self, world):
        late = concern_for_committee(world)
        Concern.objects.filter(pk=late.pk).update(acknowledge_due=timezone.now())
        hot = concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        concern_for_committee(world)
        block = home_block(world.coordinator)
        assert block["counts"]["open"] == 3
        assert block["counts"]["overdue"] == 1 and block["counts"]["hot"] == 1
        assert [c.pk for c in block["urgent"]] == [hot.pk, late.pk]
        assert block["show"]

    def test_a_cell_without_concerns_still_sees_where_to_record_them(self, world):
        block = home_block(world.secretary)
        assert block["counts"]["open"] == 0 and block["show"]

    def test_the_outsider_sees_nothing_of_this_ward(self, world):
        concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        assert home_block(world.outsider)["counts"]["hot"] == 0

    def test_the_block_costs_two_queries(self, world, django_assert_num_queries):
        concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        user = world.coordinator
        from kehoach.accounts.querysets import memberships_of

        memberships_of(user)
        with django_assert_num_queries(2):
            home_block(user)

    def test_the_include_renders(self, world):
        from django.template.loader import render_to_string

        concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        html = render_to_string(
            "feedback/_home_block.html", {"concern_block": home_block(world.coordinator)}
        )
        assert 'id="concern-home"' in html and 'id="concern-home-hot"' in html


def test_a_person_without_the_role_is_refused_before_the_form_is_read(world):
    concern = concern_for_committee(world)
    leader = make_user("thuongvu", unit=world.ward, role=Role.LEADER)
    assert client_for(leader).post(f"/y-kien/{concern.pk}/chuyen/", {}).status_code == 403
    assert (
        client_for(committee_head(world)).post(f"/y-kien/{concern.pk}/dieu-phoi/").status_code
        == 403
    )

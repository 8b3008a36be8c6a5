"""The resident's side: the public form (no sign-in) against robots, floods and oversized
input, and the private follow-up link that shows the answer and nothing internal."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kehoach.feedback import services
from kehoach.feedback.models import Category, Concern, ConcernStatus, RoutingRule, Source
from kehoach.feedback.tests.test_concern_services import committee_head

S = ConcernStatus


def form_url(world) -> str:
    return f"/y-kien/gui/{world.ward.pk}/"


def data(**extra) -> dict:
    values = {
        "category": Category.URBAN_ORDER,
        "place": "Ngõ 12 Hàng Kênh",
        "summary": "Đèn đường trước số 5 bị hỏng hơn một tuần.",
        "website": "",
    }
    values.update(extra)
    return values


def jpeg(size=(30, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 10, 10)).save(buffer, "JPEG")
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def routed(world):
    return RoutingRule.objects.create(
        ward=world.ward, category=Category.URBAN_ORDER, unit=world.committee
    )


class TestPublicForm:
    def test_anyone_opens_the_form_without_signing_in(self, world):
        response = Client().get(form_url(world))
        assert response.status_code == 200
        assert b'id="concern-public-form"' in response.content
        assert "no-store" in response["Cache-Control"]

    def test_a_resident_sends_a_concern_and_is_sent_to_the_private_page(self, world, routed):
        response = Client().post(form_url(world), data(files=[jpeg()]))
        concern = Concern.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/y-kien/theo-doi/{concern.token}/?moi=1"
        assert concern.unit == world.committee and concern.source == Source.PUBLIC_FORM
        assert concern.created_by is None and concern.recorded_by_unit is None
        assert concern.attachments.count() == 1

    def test_a_name_without_asking_for_an_answer_is_not_kept(self, world):
        Client().post(form_url(world), data(resident_name="Lan", resident_contact="0901"))
        concern = Concern.objects.get()
        assert concern.resident_name == "" and concern.resident_contact == ""

    def test_the_contact_is_kept_when_an_answer_is_asked_for(self, world):
        Client().post(
            form_url(world),
            data(wants_answer="on", resident_name="Lan", resident_contact="0901"),
        )
        concern = Concern.objects.get()
        assert concern.wants_answer and concern.resident_contact == "0901"

    def test_a_robot_that_fills_the_trap_field_is_thanked_and_nothing_is_stored(self, world):
        response = Client().post(form_url(world), data(website="http://spam.example"))
        assert response.status_code == 200
        assert b'id="concern-received"' in response.content
        assert not Concern.objects.exists()

    def test_a_flood_from_one_address_is_stopped(self, world, settings):
        settings.CONCERN_PUBLIC_LIMIT = 3
        client = Client(REMOTE_ADDR="203.0.113.9")
        codes = [client.post(form_url(world), data()).status_code for _ in range(5)]
        assert codes == [302, 302, 302, 429, 429]
        assert Concern.objects.count() == 3
        # Another address is not held back.
        assert Client(REMOTE_ADDR="203.0.113.10").post(form_url(world), data()).status_code == 302

    def test_the_limit_counts_the_robots_too(self, world, settings):
        settings.CONCERN_PUBLIC_LIMIT = 2
        client = Client(REMOTE_ADDR="203.0.113.9")
        client.post(form_url(world), data(website="x"))
        client.post(form_url(world), data(website="x"))
        assert client.post(form_url(world), data()).status_code == 429
        assert not Concern.objects.exists()

    @pytest.mark.parametrize(
        "extra",
        [
            {"summary": "x" * (services.SUMMARY_MAX + 1)},
            {"summary": ""},
            {"place": "x" * (services.SHORT_MAX + 1)},
            {"resident_name": "x" * 500, "wants_answer": "on"},
            {"category": "politics"},
        ],
    )
    def test_oversized_or_missing_input_is_refused(self, world, extra):
        response = Client().post(form_url(world), data(**extra))
        assert response.status_code == 422
        assert not Concern.objects.exists()

    def test_more_than_three_files_are_refused(self, world):
        response = Client().post(form_url(world), data(files=[jpeg() for _ in range(4)]))
        assert response.status_code == 422
        assert not Concern.objects.exists()

    def test_an_oversized_file_is_refused(self, world, settings):
        settings.MAX_UPLOAD_BYTES = 1000
        big = SimpleUploadedFile("to.pdf", b"%PDF-1.4\n" + b"0" * 5000, "application/pdf")
        response = Client().post(form_url(world), data(files=[big]))
        assert response.status_code == 422
        assert not Concern.objects.exists()

    def test_a_file_is_judged_by_its_content_not_its_name(self, world):
        fake = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", "image/jpeg")
        response = Client().post(form_url(world), data(files=[fake]))
        assert response.status_code == 422
        assert not Concern.objects.exists()

    @pytest.mark.parametrize("which", ["cell1", "superior", "missing"])
    def test_only_a_ward_root_takes_concerns(self, world, which):
        ward_id = 999_999 if which == "missing" else getattr(world, which).pk
        assert Client().get(f"/y-kien/gui/{ward_id}/").status_code == 404
        assert Client().post(f"/y-kien/gui/{ward_id}/", data()).status_code == 404

    def test_a_retired_ward_takes_none(self, world):
        world.other_ward.is_active = False
        world.other_ward.save()
        assert Client().get(f"/y-kien/gui/{world.other_ward.pk}/").status_code == 404


class TestFollowPage:
    def _sent(self, world, **extra) -> Concern:
        Client().post(form_url(world), data(**extra))
        return Concern.objects.get()

    def test_the_new_page_shows_the_code_and_the_link_to_keep(self, world, routed):
        concern = self._sent(world)
        response = Client().get(f"/y-kien/theo-doi/{concern.token}/?moi=1")
        html = response.content.decode()
        assert response.status_code == 200
        assert concern.code in html and 'id="concern-link"' in html
        assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site
        assert "noindex" in response["X-Robots-Tag"]

    def test_a_wrong_token_is_not_found(self, world):
        self._sent(world)
        assert Client().get("/y-kien/theo-doi/khong-co/").status_code == 404

    def test_the_answer_shows_and_no_staff_name_or_internal_note_does(self, world, routed):
        from kehoach.feedback import services as s

        concern = self._sent(world)
        head = committee_head(world)
        concern = s.transfer(
            actor=world.coordinator, concern=concern, unit=world.cell2, note="GHI-CHU-NOI-BO"
        )
        concern = s.reroute(actor=world.coordinator, concern=concern, unit=world.committee)
        s.answer(actor=head, concern=concern, text="Đã thay bóng đèn ngày 12/6.")
        html = Client().get(f"/y-kien/theo-doi/{concern.token}/").content.decode()
        assert "Đã thay bóng đèn ngày 12/6." in html
        assert 'id="concern-answer"' in html
        assert "GHI-CHU-NOI-BO" not in html
        for person in (head, world.coordinator):
            assert person.full_name not in html and person.username not in html

    def test_outside_our_competence_tells_where_to_turn(self, world):
        concern = self._sent(world)
        services.mark_out_of_scope(
            actor=world.coordinator, concern=concern, note="Gọi Điện lực Lê Chân"
        )
        html = Client().get(f"/y-kien/theo-doi/{concern.token}/").content.decode()
        assert "Gọi Điện lực Lê Chân" in html and 'id="concern-where"' in html

    def test_a_duplicate_shows_the_original_and_its_answer(self, world):
        original = self._sent(world)
        Client().post(form_url(world), data())
        second = Concern.objects.exclude(pk=original.pk).get()
        services.answer(actor=world.coordinator, concern=original, text="Đã sửa xong.")
        services.mark_duplicate(actor=world.coordinator, concern=second, original=original)
        html = Client().get(f"/y-kien/theo-doi/{second.token}/").content.decode()
        assert 'id="concern-original"' in html and "Đã sửa xong." in html
        assert original.token not in html


class TestPublicViewModel:
    def test_the_view_holds_no_contact_and_no_note_while_open(self, world):
        from kehoach.feedback.views import public_view

        Client().post(
            form_url(world), data(wants_answer="on", resident_name="Lan", resident_contact="09")
        )
        concern = Concern.objects.get()
        # A note no tracking code can contain (codes are random capitals: "NB" once matched).
        note = "ghi chú nội bộ"
        services.transfer(actor=world.coordinator, concern=concern, unit=world.cell1, note=note)
        view = public_view(Concern.objects.get())
        assert "Lan" not in str(view.values()) and note not in str(view.values())
        assert view["status"] == S.TRANSFERRED


def test_the_form_page_keeps_the_referrer_so_the_browser_sends_its_origin(world) -> None:
    # With "no-referrer" a browser posts Origin: null and Django's CSRF check refuses it.
    response = Client().get(form_url(world))
    assert response.get("Referrer-Policy", "same-origin") != "no-referrer"

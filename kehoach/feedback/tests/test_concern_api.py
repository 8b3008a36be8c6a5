"""/api/v1/concerns and /api/v1/public/concerns: scoped, with the same rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from kehoach.accounts.models import Role
from kehoach.accounts.services import issue_token
from kehoach.core.testing import ScopedEndpointChecks, make_user
from kehoach.feedback import services
from kehoach.feedback.models import Category, Concern, ConcernStatus, RoutingRule, Urgency
from kehoach.feedback.tests.test_concern_services import committee_head, concern_for_committee
from kehoach.feedback.tests.test_concern_views import cell1_concern

S = ConcernStatus


def api(user):
    client = Client()
    if user is not None:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(actor=user)}"
    return client


def post(user, url, payload=None):
    return api(user).post(url, payload or {}, content_type="application/json")


class TestOneConcernScope(ScopedEndpointChecks):
    def url(self, world):
        return f"/api/v1/concerns/{cell1_concern(world).pk}"


class TestAcknowledgeScope(ScopedEndpointChecks):
    method = "post"

    def url(self, world):
        return f"/api/v1/concerns/{cell1_concern(world).pk}/acknowledge"

    def payload(self, world):
        return {}


class TestList:
    def test_the_list_is_scoped(self, world):
        mine = cell1_concern(world)
        theirs = concern_for_committee(world)
        assert [c["id"] for c in api(world.secretary).get("/api/v1/concerns").json()] == [mine.pk]
        assert {c["id"] for c in api(world.coordinator).get("/api/v1/concerns").json()} == {
            mine.pk,
            theirs.pk,
        }
        assert api(world.outsider).get("/api/v1/concerns").json() == []
        assert api(None).get("/api/v1/concerns").status_code == 401

    def test_filters_work(self, world):
        concern_for_committee(world)
        hot = concern_for_committee(world, urgency=Urgency.HOT_SPOT)
        done = concern_for_committee(world, S.CLOSED)
        client = api(world.coordinator)
        assert [c["id"] for c in client.get("/api/v1/concerns?urgency=hot_spot").json()] == [hot.pk]
        assert [c["id"] for c in client.get("/api/v1/concerns?open=false").json()] == [done.pk]
        assert client.get(f"/api/v1/concerns?unit={world.other_cell.pk}").status_code == 404

    def test_the_list_costs_the_same_queries_for_few_or_many(
        self, world, django_assert_num_queries
    ):
        client = api(world.coordinator)
        concern_for_committee(world)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get("/api/v1/concerns")  # warm the token's first use
        with CaptureQueriesContext(connection) as few:
            client.get("/api/v1/concerns")
        for _ in range(10):
            concern_for_committee(world)
        with django_assert_num_queries(len(few)):
            assert len(client.get("/api/v1/concerns").json()) == 11

    def test_the_contact_is_given_to_the_handling_unit_only(self, world):
        concern = concern_for_committee(
            world, wants_answer=True, resident_name="Bà Hoa", resident_contact="0912"
        )
        url = f"/api/v1/concerns/{concern.pk}"
        assert api(committee_head(world)).get(url).json()["resident_contact"] == "0912"
        coordinator_view = api(world.coordinator).get(url).json()
        assert coordinator_view["resident_contact"] is None
        assert coordinator_view["resident_name"] is None


class TestCreate:
    def test_a_cell_records_and_gets_the_routed_concern_back(self, world):
        RoutingRule.objects.create(
            ward=world.ward, category=Category.URBAN_ORDER, unit=world.committee
        )
        response = post(
            world.secretary,
            "/api/v1/concerns",
            {
                "unit_id": world.cell1.pk,
                "category": "urban_order",
                "summary": "Đèn đường hỏng",
                "source": "cell_meeting",
                "wants_answer": True,
                "resident_name": "Bà Hoa",
                "resident_contact": "0912",
            },
        )
        assert response.status_code == 201
        body = response.json()
        assert body["unit_id"] == world.committee.pk and body["status"] == "new"
        assert body["resident_contact"] is None  # the cell is not the handling unit
        assert Concern.objects.get().resident_contact == "0912"

    def test_a_unit_outside_the_scope_is_not_found(self, world):
        response = post(
            world.secretary,
            "/api/v1/concerns",
            {"unit_id": world.other_cell.pk, "category": "other", "summary": "x"},
        )
        assert response.status_code == 404
        assert not Concern.objects.exists()

    def test_a_viewer_is_forbidden_and_bad_input_is_unprocessable(self, world):
        viewer = make_user("xem", unit=world.cell1, role=Role.VIEWER)
        body = {"unit_id": world.cell1.pk, "category": "other", "summary": "x"}
        assert post(viewer, "/api/v1/concerns", body).status_code == 403
        body["summary"] = ""
        assert post(world.secretary, "/api/v1/concerns", body).status_code == 422
        body.update(summary="x", category="politics")
        assert post(world.secretary, "/api/v1/concerns", body).status_code == 422
        assert not Concern.objects.exists()


class TestSteps:
    def test_the_handling_unit_goes_through_every_state(self, world):
        head = committee_head(world)
        concern = concern_for_committee(world)
        base = f"/api/v1/concerns/{concern.pk}"
        assert post(head, f"{base}/acknowledge").json()["status"] == "acknowledged"
        assert post(head, f"{base}/start").json()["status"] == "in_progress"
        answered = post(head, f"{base}/answer", {"answer": "Đã thay bóng."}).json()
        assert answered["status"] == "answered" and answered["answer"] == "Đã thay bóng."
        assert post(head, f"{base}/close").json()["status"] == "closed"
        assert post(head, f"{base}/reopen").json()["status"] == "in_progress"
        assert (
            post(head, f"{base}/urgency", {"urgency": "hot_spot"}).json()["urgency"] == "hot_spot"
        )
        assert (
            post(head, f"{base}/out-of-scope", {"note": "Điện lực"}).json()["status"]
            == "out_of_scope"
        )

    def test_a_transfer_out_of_the_persons_scope_answers_not_found_after_doing_it(self, world):
        head = committee_head(world)
        concern = concern_for_committee(world)
        response = post(
            head,
            f"/api/v1/concerns/{concern.pk}/transfer",
            {"unit_id": world.cell2.pk, "note": "Tổ 2"},
        )
        assert response.status_code == 404
        concern.refresh_from_db()
        assert concern.unit == world.cell2 and concern.status == S.TRANSFERRED

    def test_a_transfer_to_another_ward_is_not_found(self, world):
        concern = concern_for_committee(world)
        response = post(
            world.coordinator,
            f"/api/v1/concerns/{concern.pk}/transfer",
            {"unit_id": world.other_cell.pk, "note": "x"},
        )
        assert response.status_code == 404

    def test_the_coordinator_reroutes_and_marks_duplicates(self, world):
        original = concern_for_committee(world)
        concern = concern_for_committee(world)
        base = f"/api/v1/concerns/{concern.pk}"
        body = post(world.coordinator, f"{base}/duplicate", {"original_code": original.code})
        assert body.json()["duplicate_of_id"] == original.pk
        other = concern_for_committee(world)
        moved = post(
            world.coordinator, f"/api/v1/concerns/{other.pk}/reroute", {"unit_id": world.cell1.pk}
        )
        assert moved.json()["unit_id"] == world.cell1.pk

    @pytest.mark.parametrize(
        ("who", "status"),
        [("viewer", 403), ("leader", 403), ("secretary", 404), ("outsider", 404)],
    )
    def test_wrong_role_is_forbidden_and_another_unit_not_found(self, world, who, status):
        user = {
            "viewer": lambda: make_user("xem", unit=world.committee, role=Role.VIEWER),
            "leader": lambda: make_user("thuongvu", unit=world.ward, role=Role.LEADER),
            "secretary": lambda: world.secretary,
            "outsider": lambda: world.outsider,
        }[who]()
        concern = concern_for_committee(world)
        for step in ("acknowledge", "start", "close", "reopen", "reroute"):
            assert post(user, f"/api/v1/concerns/{concern.pk}/{step}").status_code == status
        concern.refresh_from_db()
        assert concern.status == S.NEW

    def test_the_handling_unit_may_not_reroute(self, world):
        concern = concern_for_committee(world)
        response = post(
            committee_head(world),
            f"/api/v1/concerns/{concern.pk}/reroute",
            {"unit_id": world.cell1.pk},
        )
        assert response.status_code == 403

    def test_a_step_out_of_order_is_unprocessable(self, world):
        concern = concern_for_committee(world)
        response = post(world.coordinator, f"/api/v1/concerns/{concern.pk}/close")
        assert response.status_code == 422 and response.json()["detail"]

    def test_an_unknown_step_is_refused(self, world):
        concern = concern_for_committee(world)
        response = post(world.coordinator, f"/api/v1/concerns/{concern.pk}/delete")
        assert response.status_code == 422
        concern.refresh_from_db()
        assert concern.status == S.NEW


class TestPublicApi:
    def _send(self, world, client=None, **extra):
        body = {"ward_id": world.ward.pk, "category": "urban_order", "summary": "Đèn hỏng"}
        body.update(extra)
        return (client or Client()).post(
            "/api/v1/public/concerns", body, content_type="application/json"
        )

    def test_a_resident_sends_without_a_token_and_gets_a_code_and_link(self, world):
        response = self._send(world)
        assert response.status_code == 201
        body = response.json()
        concern = Concern.objects.get()
        assert body["code"] == concern.code and body["token"] == concern.token
        assert body["follow_url"].endswith(f"/y-kien/theo-doi/{concern.token}/")

    def test_the_public_intake_is_rate_limited(self, world, settings):
        settings.CONCERN_PUBLIC_LIMIT = 2
        client = Client(REMOTE_ADDR="198.51.100.7")
        codes = [self._send(world, client).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        assert Concern.objects.count() == 2

    def test_oversized_input_and_unknown_wards_are_refused(self, world):
        assert self._send(world, summary="x" * (services.SUMMARY_MAX + 1)).status_code == 422
        assert self._send(world, ward_id=world.cell1.pk).status_code == 404
        assert not Concern.objects.exists()

    def test_the_status_by_code_tells_the_state_and_nothing_more(self, world):
        self._send(world, wants_answer=True, resident_name="Lan", resident_contact="0901")
        concern = Concern.objects.get()
        services.answer(actor=world.coordinator, concern=concern, text="Đã sửa")
        response = Client().get(f"/api/v1/public/concerns/{concern.code.lower()}")
        body = response.json()
        assert response.status_code == 200
        assert set(body) == {
            "code",
            "status",
            "status_label",
            "received_on",
            "acknowledged",
            "answered",
            "closed",
        }
        assert body["status"] == "answered" and body["answered"] is True
        assert "Lan" not in response.content.decode() and "Đã sửa" not in response.content.decode()

    def test_an_unknown_code_is_not_found_and_guessing_is_limited(self, world, settings):
        settings.CONCERN_PUBLIC_LIMIT = 1
        client = Client(REMOTE_ADDR="198.51.100.8")
        codes = [
            client.get("/api/v1/public/concerns/AAAA2222").status_code
            for _ in range(services.LOOKUP_FACTOR + 1)
        ]
        assert codes[0] == 404 and codes[-1] == 429

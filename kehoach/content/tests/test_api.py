"""The content API: scoped reads, drafting, transitions by persona, media upload."""

import io

import pytest
from django.test import Client
from PIL import Image

from kehoach.accounts.services import issue_token
from kehoach.activities.models import Activity
from kehoach.content import services
from kehoach.content.models import ContentItem, ContentKind, ContentStatus, Outlet
from kehoach.core.testing import ScopedEndpointChecks


def draft(world, *, outlets=(Outlet.SOCIAL,), title="Tin chi bộ"):
    return services.create_item(
        actor=world.secretary,
        unit=world.cell1,
        kind=ContentKind.NEWS,
        title=title,
        outlets=list(outlets),
    )


def submitted(world, **kwargs):
    return services.submit(actor=world.secretary, item=draft(world, **kwargs))


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(actor=user)}"})


def post(user, url, data=None):
    return api(user).post(url, data or {}, content_type="application/json")


class TestOneItemScope(ScopedEndpointChecks):
    def url(self, world):
        return f"/api/v1/content/{draft(world).pk}"


class TestSubmitScope(ScopedEndpointChecks):
    method = "post"

    def url(self, world):
        return f"/api/v1/content/{draft(world).pk}/submit"

    def payload(self, world):
        return {}


class TestList:
    def test_the_list_holds_only_items_in_scope_and_filters_by_channel(self, world):
        social = draft(world, outlets=[Outlet.SOCIAL])
        portal = draft(world, outlets=[Outlet.PORTAL], title="Cổng")
        everything = api(world.secretary).get("/api/v1/content").json()
        assert {row["id"] for row in everything} == {social.pk, portal.pk}
        assert api(world.outsider).get("/api/v1/content").json() == []
        only = api(world.secretary).get("/api/v1/content", {"outlet": "portal"}).json()
        assert [row["id"] for row in only] == [portal.pk]
        assert only[0]["outlets"] == ["portal"]

    @pytest.mark.parametrize("count", [1, 10])
    def test_the_list_takes_the_same_number_of_queries_for_few_and_many(
        self, world, count, django_assert_max_num_queries
    ):
        for n in range(count):
            draft(world, title=f"Tin {n}")
        client = api(world.coordinator)
        with django_assert_max_num_queries(8):
            response = client.get("/api/v1/content")
        assert len(response.json()) == count


class TestCreate:
    def test_a_secretary_drafts_an_item(self, world):
        response = post(
            world.secretary,
            "/api/v1/content",
            {"unit_id": world.cell1.pk, "kind": "news", "title": "Tin mới", "outlets": ["social"]},
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["status"], body["outlets"], body["slug"]) == ("draft", ["social"], "tin-moi")

    def test_drafting_for_another_wards_unit_is_not_found(self, world):
        response = post(
            world.outsider,
            "/api/v1/content",
            {"unit_id": world.cell1.pk, "kind": "news", "title": "X", "outlets": ["social"]},
        )
        assert response.status_code == 404
        assert not ContentItem.objects.exists()

    def test_an_unknown_channel_is_refused(self, world):
        response = post(
            world.secretary,
            "/api/v1/content",
            {"unit_id": world.cell1.pk, "kind": "news", "title": "X", "outlets": ["fax"]},
        )
        assert response.status_code == 422


class TestTransitions:
    def test_the_head_approves_a_social_only_item(self, world):
        item = submitted(world, outlets=[Outlet.SOCIAL])
        response = post(world.secretary, f"/api/v1/content/{item.pk}/approve")
        assert response.status_code == 200
        assert response.json()["status"] == "approved"

    def test_the_head_is_forbidden_to_approve_a_portal_item(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        assert post(world.secretary, f"/api/v1/content/{item.pk}/approve").status_code == 403
        assert post(world.coordinator, f"/api/v1/content/{item.pk}/approve").status_code == 200

    def test_requesting_changes_without_a_comment_is_refused(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        url = f"/api/v1/content/{item.pk}/request_changes"
        assert post(world.coordinator, url, {"comment": ""}).status_code == 422
        response = post(world.coordinator, url, {"comment": "Sửa tiêu đề"})
        assert response.json()["review_comment"] == "Sửa tiêu đề"

    def test_publishing_twice_is_refused_and_counts_one_activity(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        post(world.coordinator, f"/api/v1/content/{item.pk}/approve")
        first = post(world.coordinator, f"/api/v1/content/{item.pk}/publish")
        second = post(world.coordinator, f"/api/v1/content/{item.pk}/publish")
        assert (first.status_code, second.status_code) == (200, 422)
        assert first.json()["activity_id"] == Activity.objects.get().pk

    def test_scheduling_needs_a_time(self, world):
        item = submitted(world, outlets=[Outlet.PORTAL])
        post(world.coordinator, f"/api/v1/content/{item.pk}/approve")
        url = f"/api/v1/content/{item.pk}/schedule"
        assert post(world.coordinator, url, {}).status_code == 422
        response = post(world.coordinator, url, {"when": "2030-05-01T07:30:00+07:00"})
        assert response.json()["status"] == ContentStatus.SCHEDULED

    def test_an_unknown_transition_is_not_found(self, world):
        item = draft(world)
        assert post(world.secretary, f"/api/v1/content/{item.pk}/explode").status_code == 404


class TestMedia:
    def test_an_image_upload_is_stored(self, world):
        item = draft(world)
        out = io.BytesIO()
        Image.new("RGB", (20, 10), "blue").save(out, format="JPEG")
        out.name = "anh.jpg"
        out.seek(0)
        response = api(world.secretary).post(f"/api/v1/content/{item.pk}/media", {"file": out})
        assert response.status_code == 201
        assert (response.json()["kind"], response.json()["width"]) == ("image", 20)

    def test_a_text_file_is_refused(self, world):
        item = draft(world)
        out = io.BytesIO(b"hello")
        out.name = "x.txt"
        response = api(world.secretary).post(f"/api/v1/content/{item.pk}/media", {"file": out})
        assert response.status_code == 422
        assert item.media.count() == 0

    def test_uploading_to_another_wards_item_is_not_found(self, world):
        item = draft(world)
        out = io.BytesIO(b"hello")
        out.name = "x.txt"
        response = api(world.outsider).post(f"/api/v1/content/{item.pk}/media", {"file": out})
        assert response.status_code == 404

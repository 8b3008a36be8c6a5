"""Exemplars over the API: scoped reads, nomination, photos and the review steps."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kehoach.accounts.services import issue_token
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import ScopedEndpointChecks
from kehoach.exemplars.models import Exemplar, Stage
from kehoach.exemplars.tests.test_services import PDF, make_leader, nominate, photo, verified


@pytest.fixture
def leader(world):
    return make_leader(world)


def api(user):
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(actor=user)}"
    return client


def post_json(user, url: str, data: dict | None = None):
    return api(user).post(url, data or {}, content_type="application/json")


class TestOneExemplarIsScoped(ScopedEndpointChecks):
    def url(self, world):
        return f"/api/v1/exemplars/{nominate(world).pk}"


class TestVerifyIsScoped(ScopedEndpointChecks):
    """Outsiders get 404 before any role check; the cell's own head is refused (403)."""

    method = "post"

    def url(self, world):
        return f"/api/v1/exemplars/{nominate(world).pk}/verify"

    def test_own_unit_is_served(self, world) -> None:
        assert self._call(world.secretary, world).status_code == 403


def test_the_list_is_scoped_and_filtered(world) -> None:
    a = nominate(world, kind="model", year=2025)
    nominate(world, kind="individual", year=2026)
    c = nominate(world, actor=world.secretary2, unit=world.cell2, kind="model")
    mine = api(world.secretary).get("/api/v1/exemplars").json()
    assert {row["unit_id"] for row in mine} == {world.cell1.pk}
    models = api(world.coordinator).get("/api/v1/exemplars", {"kind": "model"}).json()
    assert {row["id"] for row in models} == {a.pk, c.pk}
    by_year = api(world.coordinator).get("/api/v1/exemplars", {"year": 2025}).json()
    assert [row["id"] for row in by_year] == [a.pk]
    subtree = api(world.coordinator).get("/api/v1/exemplars", {"unit_id": world.cell2.pk}).json()
    assert [row["id"] for row in subtree] == [c.pk]
    other = api(world.secretary).get("/api/v1/exemplars", {"unit_id": world.cell2.pk})
    assert other.status_code == 404
    assert api(world.outsider).get("/api/v1/exemplars").json() == []


def test_a_secretary_nominates_over_the_api_and_adds_a_photo(world) -> None:
    response = post_json(
        world.secretary,
        "/api/v1/exemplars",
        {
            "unit_id": world.cell1.pk,
            "kind": "individual",
            "field": "social",
            "name": "Ông Trần Văn Bình",
            "story": "Ba mươi năm giữ sổ sách tổ dân phố.",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["stage"] == "nominated" and body["unit_id"] == world.cell1.pk
    exemplar = Exemplar.objects.get(pk=body["id"])
    assert AuditEntry.objects.filter(object_id=str(exemplar.pk), source="api").exists()
    added = api(world.secretary).post(f"/api/v1/exemplars/{exemplar.pk}/photos", {"file": photo()})
    assert added.status_code == 201 and added.json()["content_type"] == "image/jpeg"
    refused = api(world.secretary).post(
        f"/api/v1/exemplars/{exemplar.pk}/photos",
        {"file": SimpleUploadedFile("x.jpg", PDF)},
    )
    assert refused.status_code == 422
    assert exemplar.photos.count() == 1


def test_nominating_for_another_cell_is_not_found(world) -> None:
    response = post_json(
        world.secretary,
        "/api/v1/exemplars",
        {
            "unit_id": world.other_cell.pk,
            "kind": "model",
            "field": "other",
            "name": "x",
            "story": "y",
        },
    )
    assert response.status_code == 404
    assert not Exemplar.objects.exists()


def test_a_nomination_missing_its_story_is_refused(world) -> None:
    response = post_json(
        world.secretary,
        "/api/v1/exemplars",
        {"unit_id": world.cell1.pk, "kind": "model", "field": "other", "name": "x", "story": ""},
    )
    assert response.status_code == 422


def test_the_whole_journey_over_the_api(world, leader) -> None:
    exemplar = nominate(world)
    url = f"/api/v1/exemplars/{exemplar.pk}"
    early = post_json(leader, f"{url}/commend", {"form": "Giấy khen", "date": "2026-01-05"})
    assert early.status_code == 422
    assert post_json(world.coordinator, f"{url}/return", {"comment": ""}).status_code == 422
    verified_ = post_json(world.coordinator, f"{url}/verify")
    assert verified_.status_code == 200 and verified_.json()["stage"] == "verified"
    no_date = post_json(leader, f"{url}/commend", {"form": "Giấy khen"})
    assert no_date.status_code == 422
    done = post_json(leader, f"{url}/commend", {"form": "Giấy khen", "date": "2026-01-05"})
    assert done.status_code == 200 and done.json()["commended_on"] == "2026-01-05"
    assert post_json(world.coordinator, f"{url}/promote", {"link": ""}).status_code == 422
    promoted = post_json(world.coordinator, f"{url}/promote", {"link": "Bản tin số 3"})
    assert promoted.json()["stage"] == "promoted"


@pytest.mark.parametrize(
    "who, step, data",
    [
        ("secretary", "verify", {}),
        ("leader", "return", {"comment": "x"}),
        ("coordinator", "commend", {"form": "Giấy khen", "date": "2026-01-05"}),
        ("leader", "promote", {"link": "Bài viết"}),
    ],
)
def test_the_wrong_role_is_forbidden(world, leader, who, step, data) -> None:
    exemplar = verified(world) if step == "commend" else nominate(world)
    before = exemplar.stage
    user = leader if who == "leader" else getattr(world, who)
    response = post_json(user, f"/api/v1/exemplars/{exemplar.pk}/{step}", data)
    assert response.status_code == 403
    exemplar.refresh_from_db()
    assert exemplar.stage == before


def test_a_returned_exemplar_is_patched_and_sent_again(world) -> None:
    exemplar = nominate(world)
    post_json(world.coordinator, f"/api/v1/exemplars/{exemplar.pk}/return", {"comment": "Thiếu"})
    response = api(world.secretary).patch(
        f"/api/v1/exemplars/{exemplar.pk}",
        {"evidence": "Số liệu bổ sung"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["stage"] == Stage.NOMINATED
    assert response.json()["evidence"] == "Số liệu bổ sung"

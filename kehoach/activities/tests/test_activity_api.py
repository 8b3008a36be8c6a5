"""The activities API: scoped reads, writes that refuse other units' ids without writing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from kehoach.accounts.services import issue_token
from kehoach.activities import activity_services as services
from kehoach.activities.models import Activity, Evidence, Task
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import ScopedEndpointChecks
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import sample_parsed, stage

TODAY = timezone.localdate


@pytest.fixture
def plan(world):
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


@pytest.fixture
def other_plan(world):
    return plan_services.save_import(
        actor=world.admin,
        staged=stage(world.other_ward, world.admin, sample_parsed(title="Ngô Quyền")),
    )


def log(world, plan=None, actor=None, unit=None, **changes) -> Activity:
    entry = {
        "actor": actor or world.secretary,
        "unit": unit or world.cell1,
        "channel": "meeting",
        "plan": plan,
        "topics": list(plan.topics.all()) if plan else [],
        "participants": 25,
    }
    entry.update(changes)
    return services.log_activity(**entry)


def headers(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(actor=user)}"}


def call(user, method, url, body=None):
    kwargs = {"headers": headers(user)}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(Client(), method)(url, **kwargs)


def payload(world, plan, **changes) -> dict:
    body = {
        "unit_id": world.cell1.pk,
        "date": TODAY().isoformat(),
        "channel": "loudspeaker",
        "plan_id": plan.pk,
        "topic_ids": [t.pk for t in plan.topics.all()],
        "audiences": ["people"],
        "counts": {"listeners": 400, "broadcasts": 2, "broadcast_minutes": 20},
        "description": "Bản tin truyền thanh",
    }
    body.update(changes)
    return body


class TestActivityEndpoint(ScopedEndpointChecks):
    def url(self, world) -> str:
        return f"/api/v1/activities/{log(world).pk}"


class TestActivityPatchEndpoint(ScopedEndpointChecks):
    method = "patch"

    def url(self, world) -> str:
        return f"/api/v1/activities/{log(world).pk}"

    def payload(self, world) -> dict:
        return {"description": "sửa"}


class TestActivityDeleteEndpoint(ScopedEndpointChecks):
    method = "delete"
    ok_status = 204

    def url(self, world) -> str:
        return f"/api/v1/activities/{log(world).pk}"


def test_an_activity_reads_with_its_topics_audiences_counts_and_evidence(world, plan) -> None:
    activity = log(world, plan, audiences=["youth"], links=["https://lechan.vn/1"])
    data = call(world.secretary, "get", f"/api/v1/activities/{activity.pk}").json()
    assert data["unit_id"] == world.cell1.pk and data["plan_id"] == plan.pk
    assert data["topic_ids"] == [plan.topics.get().pk]
    assert data["audiences"] == ["youth"]
    assert data["counts"]["participants"] == 25 and data["reached"] == 25
    assert data["evidence"][0]["url"] == "https://lechan.vn/1"
    assert data["locked"] is False


def test_a_secretary_logs_an_activity_through_the_api(world, plan) -> None:
    response = call(world.secretary, "post", "/api/v1/activities", payload(world, plan))
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.listeners, activity.broadcasts, activity.channel) == (400, 2, "loudspeaker")
    assert activity.topic_links.get().topic == plan.topics.get()
    assert AuditEntry.objects.filter(object_id=str(activity.pk), source="api").exists()


def test_a_topic_of_another_units_plan_writes_nothing(world, plan, other_plan) -> None:
    body = payload(world, plan, topic_ids=[other_plan.topics.get().pk])
    response = call(world.secretary, "post", "/api/v1/activities", body)
    assert response.status_code == 422
    assert not Activity.objects.exists()


def test_another_wards_plan_is_not_found_and_writes_nothing(world, other_plan) -> None:
    body = payload(world, other_plan)
    assert call(world.secretary, "post", "/api/v1/activities", body).status_code == 404
    assert not Activity.objects.exists()


def test_another_cells_unit_is_not_found_for_a_cell_and_writes_nothing(world, plan) -> None:
    body = payload(world, plan, unit_id=world.other_cell.pk)
    assert call(world.secretary, "post", "/api/v1/activities", body).status_code == 404
    body = payload(world, plan, unit_id=world.cell2.pk)
    assert call(world.secretary, "post", "/api/v1/activities", body).status_code in (403, 404)
    assert not Activity.objects.exists()


def test_a_task_of_another_cell_writes_nothing(world, plan) -> None:
    theirs = Task.objects.create(plan=plan, unit=world.cell2, title="Việc chi bộ 2")
    body = payload(world, plan, task_id=theirs.pk)
    assert call(world.secretary, "post", "/api/v1/activities", body).status_code == 404
    assert call(world.coordinator, "post", "/api/v1/activities", body).status_code == 422
    assert not Activity.objects.exists()


def test_unknown_counts_and_negative_counts_are_refused(world, plan) -> None:
    body = payload(world, plan, counts={"likes": 3})
    assert call(world.secretary, "post", "/api/v1/activities", body).status_code == 422
    body = payload(world, plan, counts={"views": -1})
    assert call(world.secretary, "post", "/api/v1/activities", body).status_code == 422
    assert not Activity.objects.exists()


def test_the_list_is_scoped_and_filtered(world, plan) -> None:
    mine = log(world, plan)
    log(world, None, channel="portal")
    theirs = log(world, plan, actor=world.secretary2, unit=world.cell2)
    ids = [a["id"] for a in call(world.secretary, "get", "/api/v1/activities").json()]
    assert theirs.pk not in ids and mine.pk in ids and len(ids) == 2
    topic = plan.topics.get().pk
    filtered = call(world.coordinator, "get", f"/api/v1/activities?topic_id={topic}").json()
    assert {a["id"] for a in filtered} == {mine.pk, theirs.pk}
    portal = call(world.coordinator, "get", "/api/v1/activities?channel=portal").json()
    assert [a["channel"] for a in portal] == ["portal"]
    unit = call(world.coordinator, "get", f"/api/v1/activities?unit_id={world.cell2.pk}").json()
    assert [a["id"] for a in unit] == [theirs.pk]
    assert call(world.outsider, "get", "/api/v1/activities").json() == []
    other = call(world.secretary, "get", f"/api/v1/activities?unit_id={world.other_cell.pk}")
    assert other.status_code == 404


def test_patch_changes_the_activity_and_detects_a_stale_edit(world, plan) -> None:
    activity = log(world, plan)
    url = f"/api/v1/activities/{activity.pk}"
    seen = call(world.secretary, "get", url).json()["updated_at"]
    response = call(world.secretary, "patch", url, {"counts": {"views": 80}, "updated_at": seen})
    assert response.status_code == 200 and response.json()["counts"]["views"] == 80
    stale = call(world.secretary, "patch", url, {"counts": {"views": 1}, "updated_at": seen})
    assert stale.status_code == 422
    activity.refresh_from_db()
    assert activity.views == 80


def test_patch_with_a_topic_of_another_plan_writes_nothing(world, plan, other_plan) -> None:
    activity = log(world, plan)
    url = f"/api/v1/activities/{activity.pk}"
    body = {"topic_ids": [other_plan.topics.get().pk], "counts": {"views": 5}}
    assert call(world.secretary, "patch", url, body).status_code == 422
    activity.refresh_from_db()
    assert activity.views == 0 and activity.topic_links.get().topic.plan == plan


def test_a_locked_activity_cannot_be_patched_or_deleted(world, plan) -> None:
    activity = log(world, plan)
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    url = f"/api/v1/activities/{activity.pk}"
    assert call(world.secretary, "patch", url, {"description": "x"}).status_code == 422
    assert call(world.secretary, "delete", url).status_code == 422
    assert call(world.secretary, "get", url).json()["locked"] is True


def test_delete_is_soft(world, plan) -> None:
    activity = log(world, plan)
    assert call(world.secretary, "delete", f"/api/v1/activities/{activity.pk}").status_code == 204
    activity.refresh_from_db()
    assert activity.deleted_at is not None
    assert call(world.secretary, "get", f"/api/v1/activities/{activity.pk}").status_code == 404


def test_evidence_is_uploaded_as_a_file_or_a_link(world, plan) -> None:
    activity = log(world, plan)
    url = f"/api/v1/activities/{activity.pk}/evidence"
    out = io.BytesIO()
    Image.new("RGB", (2000, 500)).save(out, format="JPEG")
    photo = SimpleUploadedFile("a.jpg", out.getvalue())
    response = Client().post(url, {"file": photo}, headers=headers(world.secretary))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "photo"
    assert response.json()["file_url"] == f"/hoat-dong/bang-chung/{response.json()['id']}/"
    link = Client().post(url, {"url": "https://lechan.vn/b"}, headers=headers(world.secretary))
    assert link.status_code == 201 and link.json()["kind"] == "link"


def test_a_renamed_executable_upload_is_refused(world, plan) -> None:
    activity = log(world, plan)
    exe = SimpleUploadedFile("a.jpg", b"MZ\x90\x00" + b"\x00" * 64)
    response = Client().post(
        f"/api/v1/activities/{activity.pk}/evidence",
        {"file": exe},
        headers=headers(world.secretary),
    )
    assert response.status_code == 422
    assert not Evidence.objects.exists()


def test_another_cell_cannot_upload_evidence(world, plan) -> None:
    activity = log(world, plan)
    response = Client().post(
        f"/api/v1/activities/{activity.pk}/evidence",
        {"url": "https://x.vn"},
        headers=headers(world.secretary2),
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_a_patch_with_null_lists_clears_them_instead_of_failing(world, plan):
    """Found by the schemathesis run: `"audiences": null` was a server error."""
    activity = log(world, plan, audiences=["people"])
    response = call(
        world.secretary,
        "patch",
        f"/api/v1/activities/{activity.pk}",
        {"audiences": None, "topic_ids": None},
    )
    assert response.status_code == 200, response.content
    activity.refresh_from_db()
    assert not activity.audiences.exists() and not activity.topic_links.exists()

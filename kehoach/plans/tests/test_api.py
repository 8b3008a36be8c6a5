import pytest
from django.test import Client

from kehoach.accounts.services import issue_token
from kehoach.core.testing import ScopedEndpointChecks
from kehoach.plans import models as m
from kehoach.plans import services
from kehoach.plans.tests.builders import stage


def _get(user, url):
    return Client().get(url, headers={"Authorization": f"Bearer {issue_token(actor=user)}"})


@pytest.fixture
def plan(world) -> m.Plan:
    return services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


class TestPlanEndpoint(ScopedEndpointChecks):
    def url(self, world) -> str:
        parent = services.save_import(
            actor=world.coordinator, staged=stage(world.ward, world.coordinator)
        )
        own = services.create_sub_plan(actor=world.secretary, parent=parent, unit=world.cell1)
        return f"/api/v1/plans/{own.pk}"


def test_a_plan_comes_with_topics_channels_assignments_duties_and_citations(world, plan) -> None:
    data = _get(world.coordinator, f"/api/v1/plans/{plan.pk}").json()
    assert data["title"] == plan.title
    assert data["topics"][0]["citations"] == ["58-CT/TW"]
    assert data["channels"][0]["kinds"] == ["loudspeaker"]
    assert data["assignments"][0]["unit_ids"] == [world.committee.pk]
    assert len(data["assignments"][1]["duties"]) == 2
    assert {c["number"] for c in data["citations"]} == {"806-CV/BTGDVTU", "58-CT/TW"}
    assert data["recipients"][0] == {"name": "Ban Tuyên giáo và Dân vận TU", "note": "để báo cáo"}


def test_the_plan_list_is_scoped(world, plan) -> None:
    assert [p["id"] for p in _get(world.secretary, "/api/v1/plans").json()] == [plan.pk]
    assert _get(world.outsider, "/api/v1/plans").json() == []


def test_source_documents_are_listed_for_anyone_signed_in(world, plan) -> None:
    numbers = {d["number"] for d in _get(world.outsider, "/api/v1/source-documents").json()}
    assert numbers == {"806-CV/BTGDVTU", "58-CT/TW"}
    assert Client().get("/api/v1/source-documents").status_code == 401


def _import(user, unit, content: bytes, name: str, save: bool = False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/api/v1/plans/import" + ("?save=true" if save else "")
    return Client().post(
        url,
        {"unit_id": unit.pk, "file": SimpleUploadedFile(name, content)},
        headers={"Authorization": f"Bearer {issue_token(actor=user)}"},
    )


def test_importing_through_the_api_refuses_an_empty_file_with_a_message(world) -> None:
    response = _import(world.coordinator, world.ward, b"", "ke-hoach.txt")
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not m.PlanImport.objects.exists()


def test_importing_for_another_wards_unit_is_not_found(world) -> None:
    response = _import(world.coordinator, world.other_ward, b"KE HOACH", "ke-hoach.txt")
    assert response.status_code == 404


def test_importing_without_the_right_role_is_forbidden(world) -> None:
    from kehoach.accounts.models import Membership, Role

    Membership.objects.filter(user=world.secretary).update(role=Role.VIEWER)
    response = _import(world.secretary, world.cell1, b"KE HOACH", "ke-hoach.txt")
    assert response.status_code == 403

"""The REST API: tokens, the signed-in person, units in scope, docs and the health check."""

import json
import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from kehoach.accounts.models import ApiToken, Role
from kehoach.accounts.services import issue_token
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import (
    PASSWORD,
    ScopedEndpointChecks,
    World,
    client_for,
    make_unit,
    make_user,
)
from kehoach.org.models import Unit

pytestmark = pytest.mark.django_db

JSON = "application/json"


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(actor=user)}"}


def api(user, method: str, url: str, payload: dict | None = None):
    kwargs = {"headers": bearer(user) if user is not None else {}}
    if payload is not None:
        kwargs.update(data=json.dumps(payload), content_type=JSON)
    return getattr(Client(), method)(url, **kwargs)


def ask_for_token(username: str, password: str, client: Client | None = None):
    return (client or Client()).post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type=JSON
    )


def snapshot(unit: Unit) -> dict:
    unit = Unit.objects.get(pk=unit.pk)
    return {f.name: getattr(unit, f.attname) for f in Unit._meta.concrete_fields}


# --- Tokens ---------------------------------------------------------------------------------


class TestGettingAToken:
    def test_the_right_password_returns_a_token_that_works(self, world: World):
        response = ask_for_token("chibo1", PASSWORD)

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token"}
        me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
        assert me.status_code == 200
        assert me.json()["username"] == "chibo1"

    def test_only_a_hash_of_the_token_is_stored(self, world: World):
        raw = ask_for_token("chibo1", PASSWORD).json()["token"]
        token = ApiToken.objects.get(user=world.secretary)
        assert raw not in (token.key_hash, token.prefix)
        assert raw.startswith(token.prefix)

    def test_a_wrong_password_is_refused(self, world: World):
        response = ask_for_token("chibo1", "sai-mat-khau")

        assert response.status_code == 401
        assert response.json()["detail"]
        assert not ApiToken.objects.exists()

    def test_an_unknown_user_is_refused_the_same_way(self, world: World):
        response = ask_for_token("khongco", PASSWORD)
        assert response.status_code == 401

    def test_an_inactive_account_gets_no_token(self, world: World):
        world.secretary.is_active = False
        world.secretary.save()
        assert ask_for_token("chibo1", PASSWORD).status_code == 401
        assert not ApiToken.objects.exists()

    def test_a_missing_field_is_invalid_input(self, world: World):
        response = Client().post("/api/v1/auth/token", {"username": "chibo1"}, content_type=JSON)
        assert response.status_code == 422
        assert response.json()["detail"]

    def test_repeated_failures_pause_sign_in_even_with_the_right_password(
        self, world: World, settings
    ):
        for _ in range(settings.LOGIN_MAX_FAILURES):
            assert ask_for_token("chibo1", "sai-mat-khau").status_code == 401

        response = ask_for_token("chibo1", PASSWORD)

        assert response.status_code == 429
        assert response.json()["detail"]
        assert not ApiToken.objects.exists()

    def test_one_failure_short_of_the_limit_still_lets_the_right_password_in(
        self, world: World, settings
    ):
        for _ in range(settings.LOGIN_MAX_FAILURES - 1):
            ask_for_token("chibo1", "sai-mat-khau")
        assert ask_for_token("chibo1", PASSWORD).status_code == 200


# --- The signed-in person -------------------------------------------------------------------


class TestMe:
    def test_describes_the_person_and_their_roles(self, world: World):
        response = api(world.secretary, "get", "/api/v1/me")

        assert response.status_code == 200
        body = response.json()
        assert body["username"] == "chibo1"
        assert body["full_name"] == "Vũ Văn Nam"
        assert body["is_staff"] is False
        assert body["memberships"] == [
            {"unit_id": world.cell1.pk, "unit_name": world.cell1.name, "role": Role.HEAD}
        ]

    def test_lists_every_membership(self, world: World):
        from kehoach.accounts.models import Membership

        Membership.objects.create(user=world.coordinator, unit=world.board, role=Role.OFFICER)

        body = api(world.coordinator, "get", "/api/v1/me").json()

        assert {(m["unit_id"], m["role"]) for m in body["memberships"]} == {
            (world.ward.pk, Role.COORDINATOR),
            (world.board.pk, Role.OFFICER),
        }

    def test_a_session_works_as_well_as_a_token(self, world: World):
        response = client_for(world.coordinator).get("/api/v1/me")

        assert response.status_code == 200
        assert response.json()["username"] == "xaydungdang"

    def test_without_credentials_is_refused(self, world: World):
        response = Client().get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["detail"]


class TestBadTokens:
    def _me(self, raw: str):
        return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    def test_a_made_up_token_is_refused(self, world: World):
        assert self._me("kh_khongphaimatokenthat").status_code == 401

    def test_an_expired_token_is_refused(self, world: World):
        raw = issue_token(actor=world.secretary)
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        assert self._me(raw).status_code == 401

    def test_a_revoked_token_is_refused(self, world: World):
        raw = issue_token(actor=world.secretary)
        ApiToken.objects.update(revoked=True)
        assert self._me(raw).status_code == 401

    def test_a_token_of_a_deactivated_account_is_refused(self, world: World):
        raw = issue_token(actor=world.secretary)
        world.secretary.is_active = False
        world.secretary.save()
        assert self._me(raw).status_code == 401

    def test_a_bad_token_beside_a_valid_session_is_the_session_and_nothing_more(self, world: World):
        client = client_for(world.secretary)
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer kh_sai"})
        assert response.status_code == 200
        assert response.json()["username"] == "chibo1"

    def test_use_is_noted_on_the_token(self, world: World):
        raw = issue_token(actor=world.secretary)
        assert self._me(raw).status_code == 200
        assert ApiToken.objects.get().last_used_at is not None


# --- Units: reading -------------------------------------------------------------------------


class TestListingUnits:
    def ids(self, user, **params) -> set[int]:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        response = api(user, "get", "/api/v1/units" + (f"?{query}" if query else ""))
        assert response.status_code == 200
        return {u["id"] for u in response.json()}

    def test_a_secretary_sees_their_cell_and_external_bodies(self, world: World):
        assert self.ids(world.secretary) == {world.cell1.pk, world.superior.pk}

    def test_the_coordinator_sees_the_whole_ward(self, world: World):
        assert self.ids(world.coordinator) == {
            world.ward.pk,
            world.board.pk,
            world.committee.pk,
            world.cell1.pk,
            world.cell2.pk,
            world.superior.pk,
        }

    def test_an_outsider_sees_nothing_of_le_chan(self, world: World):
        seen = self.ids(world.outsider)
        le_chan = set(Unit.objects.subtree_of(world.ward).values_list("pk", flat=True))
        assert not seen & le_chan
        assert seen == {world.other_cell.pk, world.superior.pk}

    def test_an_administrator_sees_everything(self, world: World):
        assert self.ids(world.admin) == set(Unit.objects.values_list("pk", flat=True))

    def test_retired_units_are_left_out_unless_asked_for(self, world: World):
        retired = make_unit("Chi bộ đã giải thể", parent=world.ward, is_active=False)

        assert retired.pk not in self.ids(world.coordinator)
        assert retired.pk in self.ids(world.coordinator, include_retired="true")

    def test_each_unit_carries_its_fields(self, world: World):
        response = api(world.secretary, "get", "/api/v1/units")
        cell = next(u for u in response.json() if u["id"] == world.cell1.pk)
        assert cell["name"] == "Chi bộ Tổ dân phố số 1"
        assert cell["kind"] == "party_cell"
        assert cell["parent_id"] == world.ward.pk
        assert cell["is_active"] is True
        assert cell["updated_at"]

    def test_a_session_works_for_the_list_too(self, world: World):
        response = client_for(world.outsider).get("/api/v1/units")
        assert {u["id"] for u in response.json()} == {world.other_cell.pk, world.superior.pk}


class TestReadingOneUnit(ScopedEndpointChecks):
    def url(self, world: World) -> str:
        return f"/api/v1/units/{world.cell1.pk}"

    def test_a_unit_that_does_not_exist_is_not_found(self, world: World):
        assert api(world.admin, "get", "/api/v1/units/987654").status_code == 404

    def test_the_body_is_the_unit(self, world: World):
        body = api(world.secretary, "get", self.url(world)).json()
        assert body["id"] == world.cell1.pk
        assert body["name"] == world.cell1.name


# --- Units: writing -------------------------------------------------------------------------

NEW_CELL = {"name": "Chi bộ Tổ dân phố số 3", "kind": "party_cell", "order": 103}


class TestCreatingUnits:
    def test_an_administrator_creates_a_unit(self, world: World):
        response = api(
            world.admin,
            "post",
            "/api/v1/units",
            {**NEW_CELL, "parent_id": world.ward.pk, "name": "  Chi bộ   Tổ dân phố số 3 "},
        )

        assert response.status_code == 201, response.content
        body = response.json()
        unit = Unit.objects.get(pk=body["id"])
        assert unit.name == "Chi bộ Tổ dân phố số 3"
        assert unit.parent == world.ward
        assert unit.path == f"{world.ward.path}{unit.pk}/"
        assert body["name"] == unit.name

    @pytest.mark.parametrize("persona", ["coordinator", "secretary"])
    def test_other_people_are_refused(self, world: World, persona: str):
        before = Unit.objects.count()
        parent = world.ward if persona == "coordinator" else world.cell1
        response = api(
            getattr(world, persona), "post", "/api/v1/units", {**NEW_CELL, "parent_id": parent.pk}
        )

        assert response.status_code == 403
        assert response.json()["detail"]
        assert Unit.objects.count() == before

    def test_a_parent_out_of_scope_is_not_found(self, world: World):
        before = Unit.objects.count()
        response = api(
            world.coordinator,
            "post",
            "/api/v1/units",
            {**NEW_CELL, "parent_id": world.other_ward.pk},
        )
        assert response.status_code == 404
        assert Unit.objects.count() == before

    def test_a_parent_that_does_not_exist_is_not_found(self, world: World):
        response = api(world.admin, "post", "/api/v1/units", {**NEW_CELL, "parent_id": 987654})
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "payload",
        [
            {**NEW_CELL, "name": 5},
            {**NEW_CELL, "name": ["a"]},
            {**NEW_CELL, "kind": "hanh_tinh"},
            {**NEW_CELL, "order": "nhiều"},
            {"kind": "party_cell"},
            {**NEW_CELL, "parent_id": "cha"},
        ],
        ids=["number-name", "list-name", "unknown-kind", "text-order", "no-name", "text-parent"],
    )
    def test_malformed_input_is_refused_with_a_detail(self, world: World, payload: dict):
        before = Unit.objects.count()

        response = api(world.admin, "post", "/api/v1/units", payload)

        assert response.status_code == 422
        body = response.json()
        assert body["detail"]
        assert body["errors"] and all(e["field"] for e in body["errors"])
        assert Unit.objects.count() == before

    @pytest.mark.parametrize(
        "payload",
        [
            {**NEW_CELL, "name": "   "},
            {**NEW_CELL, "name": "x" * 256},
            {**NEW_CELL, "order": -1},
            {**NEW_CELL, "short_name": "x" * 65},
        ],
        ids=["blank-name", "long-name", "negative-order", "long-short-name"],
    )
    def test_values_the_model_refuses_are_a_422_too(self, world: World, payload: dict):
        before = Unit.objects.count()

        response = api(world.admin, "post", "/api/v1/units", payload)

        assert response.status_code == 422, response.content
        assert response.json()["detail"]
        assert Unit.objects.count() == before

    def test_not_json_at_all_is_refused(self, world: World):
        before = Unit.objects.count()
        response = Client().post(
            "/api/v1/units", data="{name:", content_type=JSON, headers=bearer(world.admin)
        )
        assert response.status_code == 400
        assert response.json()["detail"]
        assert Unit.objects.count() == before


class TestUpdatingUnits:
    def url(self, unit: Unit) -> str:
        return f"/api/v1/units/{unit.pk}"

    def test_an_administrator_renames_a_unit(self, world: World):
        response = api(world.admin, "patch", self.url(world.cell1), {"name": "Chi bộ số 1 mới"})

        assert response.status_code == 200
        assert response.json()["name"] == "Chi bộ số 1 mới"
        assert Unit.objects.get(pk=world.cell1.pk).name == "Chi bộ số 1 mới"

    def test_fields_not_sent_are_left_alone(self, world: World):
        Unit.objects.filter(pk=world.cell1.pk).update(short_name="CB1")
        api(world.admin, "patch", self.url(world.cell1), {"order": 5})
        unit = Unit.objects.get(pk=world.cell1.pk)
        assert (unit.name, unit.short_name, unit.order) == ("Chi bộ Tổ dân phố số 1", "CB1", 5)

    def test_an_administrator_moves_a_unit_and_its_subtree(self, world: World):
        child = make_unit("Tổ đảng 1", parent=world.cell1)

        response = api(world.admin, "patch", self.url(world.cell1), {"parent_id": world.board.pk})

        assert response.status_code == 200
        assert response.json()["parent_id"] == world.board.pk
        assert Unit.objects.get(pk=child.pk).path == (
            f"{world.board.path}{world.cell1.pk}/{child.pk}/"
        )

    def test_an_administrator_retires_and_restores_a_unit(self, world: World):
        assert (
            api(world.admin, "patch", self.url(world.cell2), {"is_active": False}).json()[
                "is_active"
            ]
            is False
        )
        assert Unit.objects.get(pk=world.cell2.pk).retired_at is not None
        assert (
            api(world.admin, "patch", self.url(world.cell2), {"is_active": True}).json()[
                "is_active"
            ]
            is True
        )

    @pytest.mark.parametrize("persona", ["coordinator", "secretary"])
    def test_other_people_are_refused(self, world: World, persona: str):
        before = snapshot(world.cell1)
        response = api(getattr(world, persona), "patch", self.url(world.cell1), {"name": "Khác"})
        assert response.status_code == 403
        assert snapshot(world.cell1) == before

    @pytest.mark.parametrize("persona", ["coordinator", "secretary", "secretary2"])
    def test_a_unit_out_of_scope_is_not_found(self, world: World, persona: str):
        target = world.other_cell if persona != "secretary2" else world.cell1
        before = snapshot(target)
        response = api(getattr(world, persona), "patch", self.url(target), {"name": "Khác"})
        assert response.status_code == 404
        assert snapshot(target) == before

    def test_a_unit_that_does_not_exist_is_not_found(self, world: World):
        assert api(world.admin, "patch", "/api/v1/units/987654", {"name": "x"}).status_code == 404

    def test_a_move_under_a_unit_out_of_scope_is_not_found(self, world: World):
        # The other ward is not even confirmed to exist.
        before = snapshot(world.cell1)
        response = api(
            world.coordinator, "patch", self.url(world.cell1), {"parent_id": world.other_ward.pk}
        )
        assert response.status_code == 404
        assert snapshot(world.cell1) == before

    @pytest.mark.parametrize(
        "payload",
        [
            {"kind": "hanh_tinh"},
            {"order": "nhiều"},
            {"name": 5},
            {"is_active": "có lẽ"},
            {"updated_at": "hôm qua"},
        ],
        ids=["unknown-kind", "text-order", "number-name", "text-active", "text-updated-at"],
    )
    def test_malformed_input_is_refused_and_nothing_changes(self, world: World, payload: dict):
        before = snapshot(world.cell1)

        response = api(
            world.admin,
            "patch",
            self.url(world.cell1),
            {"name": "Đổi", **payload} if "name" not in payload else payload,
        )

        assert response.status_code == 422
        assert response.json()["detail"]
        assert snapshot(world.cell1) == before

    @pytest.mark.parametrize("field", ["name", "kind", "order"])
    def test_an_explicit_null_for_a_required_field_is_refused(self, world: World, field: str):
        before = snapshot(world.cell1)

        response = api(world.admin, "patch", self.url(world.cell1), {field: None})

        assert response.status_code == 422
        assert response.json()["detail"]
        assert snapshot(world.cell1) == before

    def test_an_explicit_null_for_active_does_not_retire_the_unit(self, world: World):
        before = snapshot(world.cell1)

        response = api(world.admin, "patch", self.url(world.cell1), {"is_active": None})

        assert response.status_code == 200
        assert response.json()["is_active"] is True
        assert snapshot(world.cell1) == before

    def test_an_explicit_null_parent_makes_a_top_level_unit(self, world: World):
        response = api(world.admin, "patch", self.url(world.cell1), {"parent_id": None})

        assert response.status_code == 200
        unit = Unit.objects.get(pk=world.cell1.pk)
        assert unit.parent_id is None
        assert unit.path == f"/{unit.pk}/"

    def test_updated_at_is_sent_to_the_microsecond(self, world: World):
        stored = datetime(2026, 3, 2, 1, 2, 3, 123456, tzinfo=UTC)
        Unit.objects.filter(pk=world.cell1.pk).update(updated_at=stored)

        body = api(world.admin, "get", self.url(world.cell1)).json()

        assert datetime.fromisoformat(body["updated_at"]) == stored

    def test_the_updated_at_just_read_is_accepted(self, world: World):
        read = api(world.admin, "get", self.url(world.cell1)).json()

        response = api(
            world.admin,
            "patch",
            self.url(world.cell1),
            {"name": "Chi bộ số 1 mới", "updated_at": read["updated_at"]},
        )

        assert response.status_code == 200, response.content
        assert Unit.objects.get(pk=world.cell1.pk).name == "Chi bộ số 1 mới"

    @pytest.mark.parametrize(
        "change",
        [{"name": "Chi bộ số 1 mới"}, {"order": 7}, {"is_active": False}],
        ids=["rename", "reorder", "retire"],
    )
    def test_a_stale_updated_at_is_refused_and_nothing_is_saved(self, world: World, change):
        read = api(world.admin, "get", self.url(world.cell1)).json()
        # Someone else saves in between.
        api(world.admin, "patch", self.url(world.cell1), {"short_name": "CB1"})
        before = snapshot(world.cell1)
        entries = AuditEntry.objects.for_object(world.cell1).count()

        response = api(
            world.admin,
            "patch",
            self.url(world.cell1),
            {**change, "updated_at": read["updated_at"]},
        )

        assert response.status_code == 422
        assert response.json()["detail"]
        assert snapshot(world.cell1) == before
        assert AuditEntry.objects.for_object(world.cell1).count() == entries

    def test_a_stale_move_is_refused(self, world: World):
        read = api(world.admin, "get", self.url(world.cell1)).json()
        api(world.admin, "patch", self.url(world.cell1), {"short_name": "CB1"})
        before = snapshot(world.cell1)

        response = api(
            world.admin,
            "patch",
            self.url(world.cell1),
            {"parent_id": world.board.pk, "updated_at": read["updated_at"]},
        )

        assert response.status_code == 422
        assert snapshot(world.cell1) == before

    def test_a_rename_with_a_move_under_itself_changes_nothing(self, world: World):
        before = snapshot(world.cell1)
        entries = AuditEntry.objects.for_object(world.cell1).count()

        response = api(
            world.admin,
            "patch",
            self.url(world.cell1),
            {"name": "Chi bộ số 1 mới", "parent_id": world.cell1.pk},
        )

        assert response.status_code == 422
        assert response.json()["detail"]
        assert snapshot(world.cell1) == before
        assert AuditEntry.objects.for_object(world.cell1).count() == entries

    def test_a_rename_with_a_move_under_its_own_child_changes_nothing(self, world: World):
        child = make_unit("Tổ đảng 1", parent=world.cell1)
        before = snapshot(world.cell1)

        response = api(
            world.admin,
            "patch",
            self.url(world.cell1),
            {"name": "Chi bộ số 1 mới", "parent_id": child.pk},
        )

        assert response.status_code == 422
        assert snapshot(world.cell1) == before
        assert Unit.objects.get(pk=child.pk).path == f"{world.cell1.path}{child.pk}/"

    def test_a_rename_with_a_refused_retirement_changes_nothing(self, world: World):
        make_unit("Tổ đảng 1", parent=world.cell1)
        before = snapshot(world.cell1)

        response = api(
            world.admin,
            "patch",
            self.url(world.cell1),
            {"name": "Chi bộ số 1 mới", "is_active": False},
        )

        assert response.status_code == 422
        assert snapshot(world.cell1) == before


class TestSessionWritesNeedCsrf:
    def test_a_session_write_without_a_csrf_token_is_refused(self, world: World):
        client = client_for(world.admin, enforce_csrf_checks=True)

        response = client.patch(
            f"/api/v1/units/{world.cell1.pk}", {"name": "Khác"}, content_type=JSON
        )

        assert response.status_code == 403
        assert Unit.objects.get(pk=world.cell1.pk).name == "Chi bộ Tổ dân phố số 1"

    def test_a_bearer_write_needs_no_csrf_token(self, world: World):
        client = Client(enforce_csrf_checks=True)

        response = client.patch(
            f"/api/v1/units/{world.cell1.pk}",
            {"name": "Khác"},
            content_type=JSON,
            headers=bearer(world.admin),
        )

        assert response.status_code == 200


# --- Documentation and health -----------------------------------------------------------------


class TestDocumentation:
    def test_the_schema_is_json_listing_every_path(self, db):
        response = Client().get("/api/v1/openapi.json")

        assert response.status_code == 200
        schema = json.loads(response.content)
        assert schema["openapi"].startswith("3.")
        assert {
            "/api/v1/auth/token",
            "/api/v1/me",
            "/api/v1/units",
            "/api/v1/units/{unit_id}",
        } <= set(schema["paths"])
        assert {"get", "post"} <= set(schema["paths"]["/api/v1/units"])
        assert {"get", "patch"} <= set(schema["paths"]["/api/v1/units/{unit_id}"])

    def test_the_docs_page_loads_nothing_from_outside(self, db):
        response = Client().get("/api/v1/docs")

        assert response.status_code == 200
        html = response.content.decode()
        assert "/api/v1/openapi.json" in html
        assert "cdn" not in html.lower()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources
        assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]


class TestHealth:
    def test_reports_ok_when_the_database_answers(self, db):
        response = Client().get("/healthz")

        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    def test_reports_503_when_the_database_is_down(self, db):
        with mock.patch(
            "kehoach.core.views.connection.cursor", side_effect=OperationalError("mất kết nối")
        ):
            response = Client().get("/healthz")

        assert response.status_code == 503
        assert response.json()["status"] == "error"
        assert response.json()["database"] != "ok"

    def test_needs_no_sign_in(self, db):
        assert Client().get("/healthz").status_code == 200


def test_a_revoked_membership_takes_effect_at_once_for_an_existing_token(world: World):
    cell_head = make_user("tam", unit=world.cell2, role=Role.HEAD)
    raw = issue_token(actor=cell_head)
    cell_head.memberships.all().delete()

    response = Client().get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert {u["id"] for u in response.json()} == {world.superior.pk}


def test_a_body_that_is_not_json_gets_a_vietnamese_400(world) -> None:
    from django.test import Client

    from kehoach.accounts.services import issue_token

    response = Client().patch(
        f"/api/v1/units/{world.cell1.pk}",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(actor=world.admin)}"},
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"] and "Cannot" not in response.json()["detail"]

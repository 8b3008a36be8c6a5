"""Every change, whatever path it came by, leaves one audit entry with who, where and what."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from kehoach.accounts.models import ApiToken, Membership, Role, User
from kehoach.accounts.services import grant_membership, issue_token, revoke_membership
from kehoach.accounts.testing import code_for, enrol
from kehoach.audit import context
from kehoach.audit.context import audit_context
from kehoach.audit.models import Action, AuditEntry, audit_maintenance
from kehoach.audit.registry import MASK
from kehoach.core.testing import PASSWORD, World, client_for, make_user
from kehoach.org import services as org_services
from kehoach.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

NEW_NAME = "Chi bộ Tổ dân phố số 1 (sáp nhập)"


@pytest.fixture
def world(world: World) -> World:
    """The personas, with the log of their creation cleared so each test sees only its own."""
    with audit_maintenance():
        AuditEntry.objects.all().delete()
    return world


def only_entry(obj) -> AuditEntry:
    entries = list(AuditEntry.objects.for_object(obj))
    assert len(entries) == 1, entries
    return entries[0]


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match is not None, f"no hidden {name} in the form"
    return match.group(1)


class TestAChangeThroughTheWebInterface:
    def test_is_recorded_with_the_actor_source_request_id_and_the_change(self, world: World):
        client = client_for(world.admin)
        form_page = client.get(f"/don-vi/{world.cell1.pk}/sua/")
        assert form_page.status_code == 200
        seen = hidden_value(form_page.content.decode(), "seen_updated_at")

        response = client.post(
            f"/don-vi/{world.cell1.pk}/sua/",
            {
                "name": NEW_NAME,
                "short_name": "CB1",
                "kind": UnitKind.PARTY_CELL,
                "order": 101,
                "seen_updated_at": seen,
            },
        )

        assert response.status_code == 302
        entry = only_entry(world.cell1)
        assert entry.action == Action.UPDATE
        assert entry.source == "web"
        assert entry.actor == world.admin
        assert entry.actor_label == "admin"
        assert entry.request_id == response["X-Request-ID"]
        assert entry.request_id
        assert entry.before["name"] == "Chi bộ Tổ dân phố số 1"
        assert entry.after["name"] == NEW_NAME
        assert dict((f, (old, new)) for f, old, new in entry.changes()) == {
            "name": ("Chi bộ Tổ dân phố số 1", NEW_NAME),
            "short_name": ("", "CB1"),
        }


class TestAChangeThroughTheAdministrationSite:
    def test_editing_a_unit_is_recorded_as_admin(self, world: World):
        client = client_for(world.admin)
        response = client.post(
            f"/quan-tri/org/unit/{world.cell1.pk}/change/",
            {
                "kind": UnitKind.PARTY_CELL,
                "parent": world.ward.pk,
                "name": NEW_NAME,
                "short_name": "",
                "order": 101,
                "is_active": "on",
                "_save": "1",
            },
        )

        assert response.status_code == 302, response.content.decode()[:2000]
        entry = only_entry(world.cell1)
        assert entry.action == Action.UPDATE
        assert entry.source == "admin"
        assert entry.actor == world.admin
        assert entry.request_id == response["X-Request-ID"]
        assert [(f, old, new) for f, old, new in entry.changes()] == [
            ("name", "Chi bộ Tổ dân phố số 1", NEW_NAME)
        ]

    def test_adding_a_membership_is_recorded_as_a_creation(self, world: World):
        newcomer = make_user("nguoimoi")
        client = client_for(world.admin)
        response = client.post(
            "/quan-tri/accounts/membership/add/",
            {"user": newcomer.pk, "unit": world.cell2.pk, "role": Role.OFFICER, "_save": "1"},
        )

        assert response.status_code == 302, response.content.decode()[:2000]
        membership = Membership.objects.get(user=newcomer)
        entry = only_entry(membership)
        assert entry.action == Action.CREATE
        assert entry.source == "admin"
        assert entry.actor == world.admin
        assert entry.request_id == response["X-Request-ID"]
        assert entry.before is None
        assert entry.after["unit_id"] == world.cell2.pk
        assert entry.after["role"] == Role.OFFICER


class TestAChangeThroughTheApi:
    def test_is_recorded_as_api_with_the_token_holder_as_actor(self, world: World):
        client = Client()
        enrol(world.admin)  # an administrator's token needs the second factor
        token = client.post(
            "/api/v1/auth/token",
            {"username": "admin", "password": PASSWORD, "code": code_for(world.admin)},
            content_type="application/json",
        ).json()["token"]

        response = client.patch(
            f"/api/v1/units/{world.cell1.pk}",
            {"name": NEW_NAME},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

        assert response.status_code == 200, response.content
        entry = only_entry(world.cell1)
        assert entry.action == Action.UPDATE
        assert entry.source == "api"
        assert entry.actor == world.admin
        assert entry.request_id == response["X-Request-ID"]
        assert entry.before["name"] == "Chi bộ Tổ dân phố số 1"
        assert entry.after["name"] == NEW_NAME

    def test_issuing_a_token_records_it_without_the_secret(self, world: World):
        response = Client().post(
            "/api/v1/auth/token",
            {"username": "chibo1", "password": PASSWORD},
            content_type="application/json",
        )

        raw = response.json()["token"]
        token = ApiToken.objects.get(user=world.secretary)
        entry = only_entry(token)
        assert entry.action == Action.CREATE
        assert entry.source == "api"
        assert entry.actor == world.secretary
        assert entry.request_id == response["X-Request-ID"]
        logged = json.dumps(entry.after)
        assert raw not in logged
        assert token.key_hash not in logged
        assert entry.after["key_hash"].startswith(MASK)


class TestTheRequestId:
    def test_a_well_formed_incoming_id_is_kept(self, world: World):
        response = client_for(world.admin).post(
            f"/don-vi/{world.cell1.pk}/sua/",
            {"name": NEW_NAME, "kind": UnitKind.PARTY_CELL, "order": 101},
            headers={"X-Request-ID": "proxy-abc-12345"},
        )

        assert response["X-Request-ID"] == "proxy-abc-12345"
        assert only_entry(world.cell1).request_id == "proxy-abc-12345"

    def test_a_malformed_incoming_id_is_replaced(self, world: World):
        response = client_for(world.admin).post(
            f"/don-vi/{world.cell1.pk}/sua/",
            {"name": NEW_NAME, "kind": UnitKind.PARTY_CELL, "order": 101},
            headers={"X-Request-ID": "<script>alert(1)</script>"},
        )

        assert response["X-Request-ID"] != "<script>alert(1)</script>"
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
        assert only_entry(world.cell1).request_id == response["X-Request-ID"]

    def test_each_request_gets_its_own_id(self, world: World):
        client = client_for(world.admin)
        first = client.get("/don-vi/")
        second = client.get("/don-vi/")
        assert first["X-Request-ID"] != second["X-Request-ID"]


class TestCreatingAndDeleting:
    def test_a_new_membership_is_recorded_as_created_with_no_before(self, world: World):
        membership = grant_membership(
            actor=world.admin, user=world.secretary2, unit=world.cell1, role=Role.VIEWER
        )

        entry = only_entry(membership)
        assert entry.action == Action.CREATE
        assert entry.actor == world.admin
        assert entry.before is None
        assert entry.after["user_id"] == world.secretary2.pk
        assert entry.after["role"] == Role.VIEWER

    def test_a_deleted_membership_keeps_its_last_state_in_the_log(self, world: World):
        membership = Membership.objects.get(user=world.secretary2)
        membership_pk = membership.pk

        revoke_membership(actor=world.admin, membership=membership)

        entry = AuditEntry.objects.get(action=Action.DELETE)
        assert entry.object_id == str(membership_pk)
        assert entry.actor == world.admin
        assert entry.after is None
        assert entry.before["unit_id"] == world.cell2.pk
        assert entry.before["role"] == Role.HEAD
        assert "Đỗ Thị Lan" in entry.object_repr

    def test_a_new_unit_is_recorded_by_the_service_actor(self, world: World):
        unit = org_services.create_unit(
            actor=world.admin,
            name="Chi bộ Tổ dân phố số 3",
            kind=UnitKind.PARTY_CELL,
            parent=world.ward,
        )

        entry = only_entry(unit)
        assert entry.action == Action.CREATE
        assert entry.actor == world.admin
        assert entry.after["name"] == "Chi bộ Tổ dân phố số 3"
        assert entry.after["parent_id"] == world.ward.pk
        # Derived and bookkeeping fields stay out of the log.
        assert "path" not in entry.after
        assert "updated_at" not in entry.after


class TestChangesThatAreNotChanges:
    def test_saving_a_unit_unchanged_writes_nothing(self, world: World):
        before = AuditEntry.objects.count()
        Unit.objects.get(pk=world.cell1.pk).save()
        assert AuditEntry.objects.count() == before

    def test_saving_the_web_form_unchanged_writes_nothing(self, world: World):
        before = AuditEntry.objects.count()
        response = client_for(world.admin).post(
            f"/don-vi/{world.cell1.pk}/sua/",
            {"name": world.cell1.name, "short_name": "", "kind": world.cell1.kind, "order": 101},
        )
        assert response.status_code == 302
        assert AuditEntry.objects.count() == before

    def test_signing_in_writes_nothing(self, world: World):
        before = AuditEntry.objects.count()
        response = Client().post(
            "/tai-khoan/dang-nhap/", {"username": "chibo1", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert User.objects.get(pk=world.secretary.pk).last_login is not None
        assert AuditEntry.objects.count() == before


class TestPasswords:
    def test_a_password_change_is_marked_but_the_hash_never_appears(self, world: World):
        user = User.objects.get(pk=world.secretary.pk)
        old_hash = user.password
        user.set_password("mot-mat-khau-moi-2026")
        user.save()

        entry = only_entry(user)
        logged = json.dumps([entry.before, entry.after], ensure_ascii=False)
        assert old_hash not in logged
        assert user.password not in logged
        assert "mot-mat-khau-moi-2026" not in logged
        assert entry.before["password"].startswith(MASK)
        assert entry.after["password"].startswith(MASK)
        assert [field for field, _old, _new in entry.changes()] == ["password"]

    def test_a_password_set_in_the_admin_is_masked_too(self, world: World):
        response = client_for(world.admin).post(
            f"/quan-tri/accounts/user/{world.secretary.pk}/password/",
            {
                "password1": "mot-mat-khau-moi-2026",
                "password2": "mot-mat-khau-moi-2026",
                "usable_password": "true",
            },
        )

        assert response.status_code == 302, response.content.decode()[:2000]
        user = User.objects.get(pk=world.secretary.pk)
        assert user.check_password("mot-mat-khau-moi-2026")
        entry = only_entry(user)
        assert entry.source == "admin"
        assert entry.actor == world.admin
        assert user.password not in json.dumps(entry.after)
        assert entry.after["password"].startswith(MASK)


class TestTransactions:
    def test_a_rolled_back_change_leaves_no_entry(self, world: World):
        before = AuditEntry.objects.count()
        with pytest.raises(RuntimeError), transaction.atomic():
            org_services.update_unit(
                actor=world.admin,
                unit=world.cell1,
                name=NEW_NAME,
                kind=UnitKind.PARTY_CELL,
                short_name="",
                order=101,
            )
            assert AuditEntry.objects.count() == before + 1
            raise RuntimeError("later step failed")

        assert AuditEntry.objects.count() == before
        assert Unit.objects.get(pk=world.cell1.pk).name == "Chi bộ Tổ dân phố số 1"


class TestManagementCommands:
    def test_call_command_alone_does_not_mark_changes_as_command(self, db):
        # Only manage.py sets the default source; an in-process call_command keeps "system".
        call_command("demo", stdout=io.StringIO())
        sources = set(AuditEntry.objects.values_list("source", flat=True))
        assert sources == {"system"}

    def test_a_change_inside_a_command_context_is_recorded_as_command(self, db):
        with audit_context(source="command"):
            call_command("demo", stdout=io.StringIO())

        entries = AuditEntry.objects.all()
        assert entries.filter(content_type__model="unit").count() > 10
        assert set(entries.values_list("source", flat=True)) == {"command"}
        # The ward is built by nobody in particular; its plan is imported by the coordinator.
        structure = entries.filter(content_type__model__in=["unit", "user", "membership"])
        assert set(structure.values_list("actor_label", flat=True)) == {""}
        plan_entries = entries.filter(content_type__model="plan")
        assert set(plan_entries.values_list("actor_label", flat=True)) == {"xaydungdang"}
        assert not entries.exclude(request_id="").exists()

    def test_manage_py_marks_every_change_of_a_command_as_command(self, db, monkeypatch):
        import django.core.management

        import manage

        monkeypatch.setattr(context, "_default_source", "system")

        def run(argv):
            call_command("demo", stdout=io.StringIO())

        monkeypatch.setattr(django.core.management, "execute_from_command_line", run)
        manage.main()

        assert AuditEntry.objects.exists()
        assert set(AuditEntry.objects.values_list("source", flat=True)) == {"command"}

    def test_running_the_demo_twice_records_nothing_the_second_time(self, db):
        call_command("demo", stdout=io.StringIO())
        first = AuditEntry.objects.count()
        call_command("demo", stdout=io.StringIO())
        assert first > 0
        assert AuditEntry.objects.count() == first


def test_an_api_token_issued_by_a_service_is_recorded_for_its_holder(world: World):
    issue_token(actor=world.coordinator)
    token = ApiToken.objects.get(user=world.coordinator)
    entry = only_entry(token)
    assert entry.actor == world.coordinator
    assert entry.source == "system"


class TestABeforeRememberedUnderLock:
    def test_is_the_stored_row_and_saves_the_second_read(self, world: World):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from kehoach.audit.recorder import remember

        with transaction.atomic():
            unit = remember(Unit.objects.select_for_update().get(pk=world.cell1.pk))
            unit.name = NEW_NAME
            with CaptureQueriesContext(connection) as remembered:
                unit.save()
        entry = only_entry(unit)
        assert entry.before["name"] == world.cell1.name
        assert entry.after["name"] == NEW_NAME
        with transaction.atomic():
            other = Unit.objects.select_for_update().get(pk=world.cell2.pk)
            other.name = "Chi bộ Tổ dân phố số 2 (sáp nhập)"
            with CaptureQueriesContext(connection) as read_again:
                other.save()
        assert only_entry(other).before["name"] == world.cell2.name
        # The same save, less the read of the row before it.
        assert len(remembered) == len(read_again) - 1

    def test_counts_for_one_save_only(self, world: World):
        from kehoach.audit.recorder import remember

        with transaction.atomic():
            unit = remember(Unit.objects.select_for_update().get(pk=world.cell1.pk))
            unit.name = NEW_NAME
            unit.save()
            unit.name = "Chi bộ Tổ dân phố số 1 (đổi lại)"
            unit.save()
        first, second = AuditEntry.objects.for_object(unit).order_by("pk")
        # The second save's before is the row as the first left it, read again.
        assert first.before["name"] == world.cell1.name
        assert second.before["name"] == NEW_NAME

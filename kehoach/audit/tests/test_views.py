"""The audit log pages: the full list for administrators, one object's history in scope."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehoach.accounts.models import Membership, Role
from kehoach.audit.models import Action, AuditEntry, Source, audit_maintenance
from kehoach.audit.views import PAGE_SIZE
from kehoach.core.testing import ScopedViewChecks, World, client_for, make_user
from kehoach.org import services as org_services
from kehoach.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

LIST_URL = "/nhat-ky/"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(world: World) -> World:
    """The personas, with the log of their creation cleared so each test sees only its own."""
    with audit_maintenance():
        AuditEntry.objects.all().delete()
    return world


def ct_of(model) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def make_entry(
    obj,
    *,
    actor=None,
    action: str = Action.UPDATE,
    source: str = Source.WEB,
    request_id: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor else "",
        request_id=request_id,
        source=source,
        action=action,
        content_type=ct_of(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj),
        before={"name": "cũ"},
        after={"name": "mới"},
    )
    if at is not None:
        with audit_maintenance():
            AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [entry.pk for entry in response.context["page"].object_list]


class TestTheAuditListIsForAdministrators:
    def test_anonymous_is_sent_to_sign_in(self, world: World):
        response = client_for(None).get(LIST_URL)
        assert response.status_code == 302
        assert "/tai-khoan/dang-nhap/" in response["Location"]

    @pytest.mark.parametrize("persona", ["coordinator", "secretary", "outsider"])
    def test_people_who_are_not_administrators_are_refused(self, world: World, persona: str):
        assert client_for(getattr(world, persona)).get(LIST_URL).status_code == 403

    def test_an_administrator_sees_every_entry_newest_first(self, world: World):
        old = make_entry(world.cell1, at=datetime(2026, 1, 1, tzinfo=HANOI))
        new = make_entry(world.other_cell, at=datetime(2026, 2, 1, tzinfo=HANOI))

        response = client_for(world.admin).get(LIST_URL)

        assert listed(response) == [new.pk, old.pk]
        assert world.other_cell.name in response.content.decode()


class TestFilteringTheAuditList:
    def test_by_actor_ignores_case(self, world: World):
        mine = make_entry(world.cell1, actor=world.secretary)
        make_entry(world.cell1, actor=world.coordinator)
        make_entry(world.cell1)

        response = client_for(world.admin).get(LIST_URL, {"actor": " CHIBO1 "})

        assert listed(response) == [mine.pk]

    def test_by_action(self, world: World):
        created = make_entry(world.cell1, action=Action.CREATE)
        make_entry(world.cell1, action=Action.UPDATE)
        make_entry(world.cell1, action=Action.DELETE)

        response = client_for(world.admin).get(LIST_URL, {"action": "create"})

        assert listed(response) == [created.pk]

    def test_by_source(self, world: World):
        make_entry(world.cell1, source=Source.WEB)
        via_api = make_entry(world.cell1, source=Source.API)
        make_entry(world.cell1, source=Source.ADMIN)

        response = client_for(world.admin).get(LIST_URL, {"source": "api"})

        assert listed(response) == [via_api.pk]

    def test_by_object_type(self, world: World):
        make_entry(world.cell1)
        membership = Membership.objects.get(user=world.secretary)
        about_membership = make_entry(membership)

        response = client_for(world.admin).get(LIST_URL, {"model": ct_of(Membership).pk})

        assert listed(response) == [about_membership.pk]

    def test_by_object_id(self, world: World):
        about_cell1 = make_entry(world.cell1)
        make_entry(world.cell2)

        response = client_for(world.admin).get(LIST_URL, {"object_id": str(world.cell1.pk)})

        assert listed(response) == [about_cell1.pk]

    def test_by_request_id(self, world: World):
        make_entry(world.cell1, request_id="aaaaaaaa1111")
        wanted = make_entry(world.cell2, request_id="bbbbbbbb2222")

        response = client_for(world.admin).get(LIST_URL, {"request_id": "bbbbbbbb2222"})

        assert listed(response) == [wanted.pk]

    def test_by_date_range_in_local_time_including_both_ends(self, world: World):
        make_entry(world.cell1, at=datetime(2026, 1, 31, 23, 50, tzinfo=HANOI))
        first_day = make_entry(world.cell1, at=datetime(2026, 2, 1, 0, 10, tzinfo=HANOI))
        last_day = make_entry(world.cell1, at=datetime(2026, 2, 28, 23, 50, tzinfo=HANOI))
        make_entry(world.cell1, at=datetime(2026, 3, 1, 0, 10, tzinfo=HANOI))

        response = client_for(world.admin).get(
            LIST_URL, {"date_from": "01/02/2026", "date_to": "28/02/2026"}
        )

        assert listed(response) == [last_day.pk, first_day.pk]

    def test_filters_combine(self, world: World):
        wanted = make_entry(world.cell1, actor=world.admin, source=Source.API)
        make_entry(world.cell1, actor=world.admin, source=Source.WEB)
        make_entry(world.cell1, actor=world.secretary, source=Source.API)

        response = client_for(world.admin).get(LIST_URL, {"actor": "admin", "source": "api"})

        assert listed(response) == [wanted.pk]

    @pytest.mark.parametrize("value", ["31/02/2026", "hôm qua", "2026-13-01"])
    def test_an_invalid_date_is_a_form_error_not_a_crash(self, world: World, value: str):
        make_entry(world.cell1)

        response = client_for(world.admin).get(LIST_URL, {"date_from": value})

        assert response.status_code == 200
        assert "date_from" in response.context["form"].errors

    def test_a_start_after_the_end_is_a_form_error(self, world: World):
        response = client_for(world.admin).get(
            LIST_URL, {"date_from": "10/03/2026", "date_to": "01/03/2026"}
        )

        assert response.status_code == 200
        assert response.context["form"].non_field_errors()

    @pytest.mark.parametrize("field", ["action", "source", "model"])
    def test_an_unknown_choice_is_a_form_error_not_a_crash(self, world: World, field: str):
        response = client_for(world.admin).get(LIST_URL, {field: "khong-co"})

        assert response.status_code == 200
        assert field in response.context["form"].errors


class TestPagingTheAuditList:
    def test_sixty_entries_make_two_pages(self, world: World):
        entries = [make_entry(world.cell1) for _ in range(60)]
        client = client_for(world.admin)

        first = listed(client.get(LIST_URL))
        second = listed(client.get(LIST_URL, {"trang": 2}))

        assert len(first) == PAGE_SIZE
        assert len(second) == 60 - PAGE_SIZE
        assert set(first) | set(second) == {e.pk for e in entries}
        assert not set(first) & set(second)

    def test_a_page_past_the_end_shows_the_last_page(self, world: World):
        for _ in range(60):
            make_entry(world.cell1)

        response = client_for(world.admin).get(LIST_URL, {"trang": 99})

        assert response.context["page"].number == 2

    def test_the_pager_keeps_the_filters_but_not_the_page(self, world: World):
        for _ in range(60):
            make_entry(world.cell1, source=Source.API)

        response = client_for(world.admin).get(LIST_URL, {"source": "api", "trang": 1})

        assert response.context["query"] == "source=api"
        assert "?source=api&amp;trang=2" in response.content.decode()


class TestTheAuditListQueryCount:
    def test_is_the_same_for_five_and_sixty_entries(self, world: World):
        client = client_for(world.admin)
        users = [world.admin, world.secretary, world.coordinator, None]
        units = [world.cell1, world.cell2, world.ward]

        def add(count: int) -> None:
            for i in range(count):
                make_entry(units[i % 3], actor=users[i % 4], source=Source.values[i % 5])

        client.get(LIST_URL)  # warms the content type cache
        add(5)
        with CaptureQueriesContext(connection) as five:
            assert len(listed(client.get(LIST_URL))) == 5
        add(55)
        with CaptureQueriesContext(connection) as sixty:
            assert len(listed(client.get(LIST_URL))) == PAGE_SIZE

        assert len(five) == len(sixty)
        # Session, user, count, page.
        assert len(sixty) <= 5, [q["sql"] for q in sixty.captured_queries]


def history_url(obj) -> str:
    return f"/nhat-ky/{ct_of(type(obj)).pk}/{obj.pk}/"


class TestAUnitsHistory(ScopedViewChecks):
    def url(self, world: World) -> str:
        return history_url(world.cell1)

    def test_lists_the_units_changes_and_nothing_else(self, world: World):
        org_services.update_unit(
            actor=world.admin,
            unit=world.cell1,
            name="Chi bộ số 1 mới",
            kind=UnitKind.PARTY_CELL,
            short_name="",
            order=101,
        )
        org_services.update_unit(
            actor=world.admin,
            unit=world.cell2,
            name="Chi bộ số 2 mới",
            kind=UnitKind.PARTY_CELL,
            short_name="",
            order=102,
        )

        response = client_for(world.secretary).get(self.url(world))

        entries = list(response.context["page"].object_list)
        assert [(e.object_id, e.action) for e in entries] == [(str(world.cell1.pk), "update")]
        assert "Chi bộ số 1 mới" in response.content.decode()
        assert "Chi bộ số 2 mới" not in response.content.decode()

    def test_a_leader_above_is_served(self, world: World):
        leader = make_user("thuongvu", unit=world.ward, role=Role.LEADER)
        assert client_for(leader).get(self.url(world)).status_code == 200

    def test_an_administrator_is_served(self, world: World):
        assert client_for(world.admin).get(self.url(world)).status_code == 200

    @pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER])
    def test_a_member_without_oversight_is_refused(self, world: World, role: str):
        member = make_user("thanhvien", unit=world.cell1, role=role)
        assert client_for(member).get(self.url(world)).status_code == 403

    def test_an_external_body_is_not_an_open_door_to_its_history(self, world: World):
        response = client_for(world.secretary).get(history_url(world.superior))
        assert response.status_code == 403

    def test_the_query_count_does_not_grow_with_the_history(self, world: World):
        client = client_for(world.coordinator)
        client.get(self.url(world))
        for _ in range(3):
            make_entry(world.cell1, actor=world.admin)
        with CaptureQueriesContext(connection) as few:
            client.get(self.url(world))
        for _ in range(40):
            make_entry(world.cell1, actor=world.secretary)
        with CaptureQueriesContext(connection) as many:
            client.get(self.url(world))
        assert len(few) == len(many)


class TestHistoryOfThingsThatAreNotThere:
    def test_an_unknown_content_type_is_not_found(self, world: World):
        response = client_for(world.admin).get(f"/nhat-ky/999999/{world.cell1.pk}/")
        assert response.status_code == 404

    @pytest.mark.parametrize("model", [Group, AuditEntry])
    def test_a_model_that_is_not_audited_is_not_found(self, world: World, model):
        group = Group.objects.create(name="nhom")
        entry = make_entry(world.cell1)
        obj = group if model is Group else entry
        response = client_for(world.admin).get(history_url(obj))
        assert response.status_code == 404

    def test_an_object_that_never_existed_is_not_found_even_for_an_administrator(
        self, world: World
    ):
        response = client_for(world.admin).get(f"/nhat-ky/{ct_of(Unit).pk}/987654/")
        assert response.status_code == 404

    @pytest.mark.parametrize("persona", ["admin", "coordinator"])
    def test_an_id_of_the_wrong_shape_is_not_found(self, world: World, persona: str):
        response = client_for(getattr(world, persona)).get(f"/nhat-ky/{ct_of(Unit).pk}/abc/")
        assert response.status_code == 404

    def test_a_deleted_object_is_still_named_for_an_administrator(self, world: World):
        membership = Membership.objects.get(user=world.secretary2)
        url = history_url(membership)
        last_description = str(membership)
        membership.delete()

        response = client_for(world.admin).get(url)

        assert response.status_code == 200
        assert response.context["label"] == last_description
        assert [e.action for e in response.context["page"].object_list] == [Action.DELETE]

    def test_people_have_no_history_page_outside_the_administration(self, world: World):
        response = client_for(world.coordinator).get(history_url(world.secretary))
        assert response.status_code == 404


def test_history_names_fields_and_choices_the_way_people_read_them(world) -> None:
    from kehoach.core.testing import client_for
    from kehoach.org import services

    services.update_unit(
        actor=world.admin,
        unit=world.cell1,
        name="Chi bộ Khu dân cư số 1",
        kind="department",
        short_name="",
        order=1,
    )
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(world.cell1)
    html = client_for(world.coordinator).get(f"/nhat-ky/{ct.pk}/{world.cell1.pk}/").content.decode()
    assert "Tên</strong>: Chi bộ Tổ dân phố số 1 → Chi bộ Khu dân cư số 1" in html
    assert "Chi bộ, đảng bộ cơ sở → Phòng, ban chuyên môn" in html
    assert "party_cell" not in html


def test_a_structured_value_of_a_field_with_choices_is_shown_not_a_server_error():
    from kehoach.activities.models import Activity
    from kehoach.audit.templatetags.audit_tags import _display

    field = Activity._meta.get_field("channel")
    assert _display(field, {"a": 1}) == '{"a": 1}'
    assert _display(field, ["x"]) == '["x"]'
    assert _display(field, "meeting") == str(dict(field.flatchoices)["meeting"])

"""Activity pages: quick entry, detail, edit, delete, unlock, evidence, list, calendar, export."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from kehoach.activities import activity_services as services
from kehoach.activities.models import Activity, Evidence, Task
from kehoach.core.testing import ScopedViewChecks, client_for
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import sample_parsed, stage

TODAY = timezone.localdate


@pytest.fixture
def plan(world):
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


def _plan(world):
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


def jpeg(size=(1800, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 200)).save(out, format="JPEG")
    return out.getvalue()


def log(world, plan=None, actor=None, unit=None, **changes) -> Activity:
    entry = {
        "actor": actor or world.secretary,
        "unit": unit or world.cell1,
        "date": TODAY(),
        "channel": "meeting",
        "plan": plan,
        "topics": list(plan.topics.all()) if plan else [],
        "audiences": ["party_members"],
        "participants": 20,
    }
    entry.update(changes)
    return services.log_activity(**entry)


def entry_data(world, plan, **changes) -> dict:
    data = {
        "date": TODAY().isoformat(),
        "unit": world.cell1.pk,
        "plan": plan.pk,
        "topics": [t.pk for t in plan.topics.all()],
        "channel": "loudspeaker",
        "audiences": ["people", "party_members"],
        "listeners": "300",
        "broadcasts": "2",
        "broadcast_minutes": "30",
        "description": "Phát 2 bản tin về Chỉ thị 58",
        "link": "",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- one activity, five personas


class TestActivityDetail(ScopedViewChecks):
    def url(self, world) -> str:
        return f"/hoat-dong/{log(world, _plan(world)).pk}/"


class TestActivityEditPage(ScopedViewChecks):
    def url(self, world) -> str:
        return f"/hoat-dong/{log(world).pk}/sua/"


class TestActivityDelete(ScopedViewChecks):
    method = "post"
    ok_status = 302

    def url(self, world) -> str:
        return f"/hoat-dong/{log(world).pk}/xoa/"


class TestEvidenceFile(ScopedViewChecks):
    def url(self, world) -> str:
        upload = SimpleUploadedFile("hop-chi-bo.jpg", jpeg())
        activity = log(world, files=[upload])
        return f"/hoat-dong/bang-chung/{activity.evidence.get().pk}/"


def test_the_evidence_file_is_streamed_as_the_cleaned_photo(world) -> None:
    activity = log(world, files=[SimpleUploadedFile("hop.jpg", jpeg())])
    item = activity.evidence.get()
    response = client_for(world.secretary).get(f"/hoat-dong/bang-chung/{item.pk}/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (1600, 800)
    assert (
        "/media/"
        not in client_for(world.secretary).get(f"/hoat-dong/{activity.pk}/").content.decode()
    )


def test_the_detail_shows_the_facts_and_the_evidence(world, plan) -> None:
    activity = log(world, plan, links=["https://lechan.vn/tin/7"])
    body = client_for(world.coordinator).get(f"/hoat-dong/{activity.pk}/").content.decode()
    assert world.cell1.name in body and plan.topics.get().title in body
    assert "https://lechan.vn/tin/7" in body
    assert 'id="edit-activity"' in body


# ---------------------------------------------------------------- quick entry


def test_the_quick_form_offers_only_units_the_person_may_log_for(world, plan) -> None:
    body = client_for(world.secretary).get("/hoat-dong/them/").content.decode()
    assert 'id="save-activity"' in body
    options = re.findall(
        r'<option value="(\d+)"', body.split('name="unit"')[1].split("</select>")[0]
    )
    assert options == [str(world.cell1.pk)]
    assert 'accept="image/*"' in body and 'inputmode="numeric"' in body
    assert f'value="{TODAY().isoformat()}"' in body


def test_the_quick_form_is_refused_to_someone_who_may_log_nowhere(world) -> None:
    from kehoach.accounts.models import Role
    from kehoach.core.testing import make_user

    viewer = make_user("xem", unit=world.cell1, role=Role.VIEWER)
    assert client_for(viewer).get("/hoat-dong/them/").status_code == 403


def test_the_quick_form_is_prefilled_with_the_last_choices(world, plan) -> None:
    log(world, plan, channel="loudspeaker", audiences=["people"])
    body = client_for(world.secretary).get("/hoat-dong/them/").content.decode()
    assert re.search(r'value="loudspeaker"[^>]*checked', body)
    assert re.search(r'value="people"[^>]*checked', body)
    assert re.search(rf'<option value="{plan.pk}" selected>', body)
    topic = plan.topics.get()
    assert re.search(rf'value="{topic.pk}"[^>]*checked', body)


def test_a_cell_secretary_logs_an_activity_with_a_photo(world, plan) -> None:
    data = entry_data(world, plan, files=[SimpleUploadedFile("anh.jpg", jpeg())])
    response = client_for(world.secretary).post("/hoat-dong/them/", data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoat-dong/{activity.pk}/"
    assert (activity.channel, activity.listeners, activity.broadcast_minutes) == (
        "loudspeaker",
        300,
        30,
    )
    assert activity.evidence.get().kind == "photo"
    assert activity.topic_links.get().topic == plan.topics.get()


def test_photos_and_documents_from_both_inputs_are_kept(world, plan) -> None:
    files = [
        SimpleUploadedFile("a.jpg", jpeg()),
        SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF"),
    ]
    client_for(world.secretary).post("/hoat-dong/them/", entry_data(world, plan, files=files))
    assert sorted(Evidence.objects.values_list("kind", flat=True)) == ["document", "photo"]


def test_a_renamed_executable_in_the_form_is_refused_and_nothing_is_saved(world, plan) -> None:
    exe = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00" + b"\x00" * 100)
    response = client_for(world.secretary).post(
        "/hoat-dong/them/", entry_data(world, plan, files=[exe])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not Activity.objects.exists()


def test_a_topic_of_another_plan_posted_by_hand_is_refused(world, plan) -> None:
    other = plan_services.save_import(
        actor=world.admin,
        staged=stage(world.other_ward, world.admin, sample_parsed(title="khác")),
    )
    data = entry_data(world, plan, topics=[other.topics.get().pk])
    response = client_for(world.secretary).post("/hoat-dong/them/", data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Activity.objects.exists()


def test_another_cell_posted_by_hand_is_refused(world, plan) -> None:
    response = client_for(world.secretary).post(
        "/hoat-dong/them/", entry_data(world, plan, unit=world.cell2.pk)
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_changing_the_plan_reloads_its_topics(world, plan) -> None:
    topic = plan.topics.get()
    response = client_for(world.secretary).get(
        "/hoat-dong/them/phan/",
        {"unit": world.cell1.pk, "plan": plan.pk},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert re.search(rf'name="topics" value="{topic.pk}"', body) and "<html" not in body
    none = {"unit": world.cell1.pk, "plan": ""}
    empty = client_for(world.secretary).get("/hoat-dong/them/phan/", none)
    assert 'name="topics"' not in empty.content.decode()


def test_a_new_unit_chosen_brings_its_newest_plan_and_topics(world, plan) -> None:
    response = client_for(world.coordinator).get(
        "/hoat-dong/them/phan/", {"unit": world.cell2.pk}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert re.search(rf'<option value="{plan.pk}" selected>', body)
    assert re.search(rf'name="topics" value="{plan.topics.get().pk}"', body)
    board = client_for(world.coordinator).get("/hoat-dong/them/phan/", {"unit": world.board.pk})
    assert 'name="topics"' not in board.content.decode()


def test_a_first_entry_preselects_the_newest_plan_of_the_unit(world, plan) -> None:
    body = client_for(world.secretary).get("/hoat-dong/them/").content.decode()
    assert re.search(rf'<option value="{plan.pk}" selected>', body)
    assert re.search(rf'name="topics" value="{plan.topics.get().pk}"', body)


def test_the_open_tasks_of_the_unit_are_offered(world, plan) -> None:
    mine = Task.objects.create(plan=plan, unit=world.cell1, title="Việc của chi bộ 1")
    theirs = Task.objects.create(plan=plan, unit=world.cell2, title="Việc của chi bộ 2")
    body = client_for(world.secretary).get("/hoat-dong/them/").content.decode()
    assert mine.title in body and theirs.title not in body


# ---------------------------------------------------------------- edit, delete, unlock


def test_an_edit_based_on_an_old_read_is_refused(world, plan) -> None:
    activity = log(world, plan)
    client = client_for(world.secretary)
    form = client.get(f"/hoat-dong/{activity.pk}/sua/").context["form"]
    seen = form.initial["seen_updated_at"]
    services.update_activity(actor=world.coordinator, activity=activity, changes={"views": 7})
    data = entry_data(world, plan, participants="99", seen_updated_at=seen.isoformat(" "))
    response = client.post(f"/hoat-dong/{activity.pk}/sua/", data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    activity.refresh_from_db()
    assert (activity.participants, activity.views) == (20, 7)


def test_a_fresh_edit_is_saved(world, plan) -> None:
    activity = log(world, plan)
    client = client_for(world.secretary)
    seen = client.get(f"/hoat-dong/{activity.pk}/sua/").context["form"].initial["seen_updated_at"]
    data = entry_data(world, plan, participants="99", seen_updated_at=seen.isoformat(" "))
    response = client.post(f"/hoat-dong/{activity.pk}/sua/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.participants == 99 and activity.channel == "loudspeaker"


def test_a_locked_activity_sends_the_editor_back_to_the_detail(world, plan) -> None:
    activity = log(world, plan)
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    response = client_for(world.secretary).get(f"/hoat-dong/{activity.pk}/sua/")
    assert response.status_code == 302 and response["Location"] == f"/hoat-dong/{activity.pk}/"
    detail = client_for(world.secretary).get(f"/hoat-dong/{activity.pk}/").content.decode()
    assert 'id="locked-note"' in detail and 'id="edit-activity"' not in detail
    assert 'id="unlock-activity"' not in detail


def test_the_coordinator_unlocks_with_a_reason(world, plan) -> None:
    activity = log(world, plan)
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    client = client_for(world.coordinator)
    assert 'id="unlock-activity"' in client.get(f"/hoat-dong/{activity.pk}/").content.decode()
    refused = client.post(f"/hoat-dong/{activity.pk}/mo-khoa/", {"reason": ""})
    assert refused.status_code == 200
    response = client.post(f"/hoat-dong/{activity.pk}/mo-khoa/", {"reason": "Sửa số liệu"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert not activity.is_locked and activity.unlock_reason == "Sửa số liệu"


def test_the_secretary_may_not_open_the_unlock_page(world, plan) -> None:
    activity = log(world, plan)
    services.lock_activities(actor=world.coordinator, unit=world.cell1, start=TODAY(), end=TODAY())
    assert client_for(world.secretary).get(f"/hoat-dong/{activity.pk}/mo-khoa/").status_code == 403


def test_a_deleted_activity_can_be_restored_from_the_list_but_not_by_another_cell(
    world, plan
) -> None:
    activity = log(world, plan)
    client = client_for(world.secretary)
    response = client.post(f"/hoat-dong/{activity.pk}/xoa/")
    assert response["Location"].endswith(f"?da_xoa={activity.pk}")
    assert 'id="undo-delete"' in client.get(response["Location"]).content.decode()
    assert client.get(f"/hoat-dong/{activity.pk}/").status_code == 404
    other = client_for(world.secretary2).post(f"/hoat-dong/{activity.pk}/khoi-phuc/")
    assert other.status_code == 404
    assert client.post(f"/hoat-dong/{activity.pk}/khoi-phuc/").status_code == 302
    assert client.get(f"/hoat-dong/{activity.pk}/").status_code == 200


def test_evidence_is_added_on_the_detail_page_and_refused_when_wrong(world, plan) -> None:
    activity = log(world, plan)
    client = client_for(world.secretary)
    client.post(f"/hoat-dong/{activity.pk}/them-bang-chung/", {"link": "https://lechan.vn/x"})
    client.post(
        f"/hoat-dong/{activity.pk}/them-bang-chung/",
        {"file": SimpleUploadedFile("a.jpg", b"<html></html>")},
    )
    assert list(activity.evidence.values_list("url", flat=True)) == ["https://lechan.vn/x"]
    other = client_for(world.secretary2).post(
        f"/hoat-dong/{activity.pk}/them-bang-chung/", {"link": "https://x.vn"}
    )
    assert other.status_code == 404


# ---------------------------------------------------------------- list, filters, totals


@pytest.fixture
def spread(world, plan):
    """Activities of several units, channels, audiences and dates."""
    day = TODAY()
    return {
        "cell1_meeting": log(world, plan, participants=30),
        "cell1_old_loudspeaker": log(
            world,
            None,
            channel="loudspeaker",
            listeners=500,
            participants=0,
            audiences=["people"],
            date=day - dt.timedelta(days=45),
        ),
        "cell2_meeting": log(
            world, plan, actor=world.secretary2, unit=world.cell2, participants=12
        ),
        "committee_portal": log(
            world,
            None,
            actor=world.coordinator,
            unit=world.committee,
            channel="portal",
            views=1000,
            participants=0,
            news_items=3,
            audiences=["people"],
        ),
    }


def _ids(response) -> set[int]:
    return {a.pk for a in response.context["page"].object_list}


def test_the_list_shows_the_persons_scope_only(world, spread) -> None:
    mine = _ids(client_for(world.secretary).get("/hoat-dong/"))
    assert mine == {spread["cell1_meeting"].pk, spread["cell1_old_loudspeaker"].pk}
    assert len(_ids(client_for(world.coordinator).get("/hoat-dong/"))) == 4
    assert _ids(client_for(world.outsider).get("/hoat-dong/")) == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"channel": "loudspeaker"}, {"cell1_old_loudspeaker"}),
        ({"audience": "people"}, {"cell1_old_loudspeaker", "committee_portal"}),
        ({"topic": "TOPIC"}, {"cell1_meeting", "cell2_meeting"}),
        ({"plan": "PLAN"}, {"cell1_meeting", "cell2_meeting"}),
        ({"unit": "CELL2"}, {"cell2_meeting"}),
        (
            {"unit": "WARD"},
            {"cell1_meeting", "cell1_old_loudspeaker", "cell2_meeting", "committee_portal"},
        ),
        ({"date_from": "RECENT"}, {"cell1_meeting", "cell2_meeting", "committee_portal"}),
        ({"date_to": "OLD"}, {"cell1_old_loudspeaker"}),
    ],
)
def test_the_list_filters(world, plan, spread, query, expected) -> None:
    values = {
        "TOPIC": plan.topics.get().pk,
        "PLAN": plan.pk,
        "CELL2": world.cell2.pk,
        "WARD": world.ward.pk,
        "RECENT": (TODAY() - dt.timedelta(days=7)).isoformat(),
        "OLD": (TODAY() - dt.timedelta(days=30)).isoformat(),
    }
    params = {k: values.get(v, v) for k, v in query.items()}
    response = client_for(world.coordinator).get("/hoat-dong/", params)
    assert _ids(response) == {spread[name].pk for name in expected}


def test_the_totals_are_those_of_the_filtered_set(world, spread) -> None:
    sums = client_for(world.coordinator).get("/hoat-dong/", {"channel": "meeting"}).context["sums"]
    assert (sums["count"], sums["participants"], sums["views"]) == (2, 42, 0)
    everything = client_for(world.coordinator).get("/hoat-dong/").context
    assert everything["reached_total"] == 30 + 500 + 12 + 1000
    assert everything["sums"]["news_items"] == 3
    # Written as a ward office writes numbers: 1.542, not 1542.
    html = client_for(world.coordinator).get("/hoat-dong/").content.decode()
    assert "số người được tuyên truyền: <strong>1.542</strong>" in html
    portal = re.search(rf'<tr id="activity-{spread["committee_portal"].pk}".*?</tr>', html, re.S)
    assert 'class="num">1.000</td>' in portal.group(0)


def test_a_cell_cannot_filter_its_way_into_another_cell(world, spread) -> None:
    response = client_for(world.secretary).get("/hoat-dong/", {"unit": world.cell2.pk})
    assert spread["cell2_meeting"].pk not in _ids(response)


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (value, label, bool(chosen))
        for value, chosen, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


def test_the_pickers_offer_only_what_the_person_sees(world, plan, spread) -> None:
    topic = plan.topics.get()
    html = client_for(world.secretary).get("/hoat-dong/", {"unit": world.cell1.pk}).content
    units = [
        (v, label.lstrip("\u2003"), chosen) for v, label, chosen in _options(html.decode(), "unit")
    ]
    assert units == [("", "Tất cả", False), (str(world.cell1.pk), world.cell1.name, True)]
    topics = _options(html.decode(), "topic")
    assert (str(topic.pk), f"1. {topic.title[:80]}", False) in topics
    html = client_for(world.coordinator).get("/hoat-dong/").content.decode()
    offered = {value for value, _label, _chosen in _options(html, "unit")}
    assert {str(world.ward.pk), str(world.cell1.pk), str(world.cell2.pk)} <= offered
    # A deeper unit is indented under its parent, as in the tree.
    cell = next(label for value, label, _ in _options(html, "unit") if value == str(world.cell1.pk))
    assert cell.startswith("\u2003") and cell.strip("\u2003") == world.cell1.name


def test_the_list_is_paginated_by_fifty(world) -> None:
    for _ in range(51):
        log(world)
    response = client_for(world.secretary).get("/hoat-dong/")
    assert len(response.context["page"].object_list) == 50
    assert len(client_for(world.secretary).get("/hoat-dong/?trang=2").context["page"]) == 1


def test_the_list_query_count_does_not_grow_with_activities(
    world, plan, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = client_for(world.coordinator)
    log(world, plan, files=[SimpleUploadedFile("a.jpg", jpeg((50, 50)))])
    client.get("/hoat-dong/")
    with django_assert_max_num_queries(30) as one:
        client.get("/hoat-dong/")
    for n in range(8):
        log(
            world,
            plan,
            actor=world.coordinator,
            unit=[world.cell1, world.cell2][n % 2],
            links=["https://lechan.vn"],
            audiences=["people", "youth"],
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/hoat-dong/")


# ---------------------------------------------------------------- export


def test_the_excel_export_has_the_filtered_rows_and_totals(world, spread) -> None:
    response = client_for(world.coordinator).get("/hoat-dong/xuat-excel/", {"channel": "meeting"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:3]
    units = sorted(row[1] for row in data)
    assert units == sorted([world.cell1.name, world.cell2.name])
    participants = header.index("participants") if "participants" in header else 6
    assert sum(row[participants] for row in data) == 42
    assert rows[3][participants] == 42  # the totals row


def test_the_export_is_scoped_like_the_list(world, spread) -> None:
    response = client_for(world.secretary2).get("/hoat-dong/xuat-excel/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    units = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert world.cell2.name in units and world.cell1.name not in units


def test_the_export_link_keeps_the_filters(world, spread) -> None:
    body = client_for(world.coordinator).get("/hoat-dong/?channel=portal").content.decode()
    assert 'href="/hoat-dong/xuat-excel/?channel=portal"' in body


def test_a_cell_that_looks_like_a_formula_is_written_as_text(world) -> None:
    log(world, description='=HYPERLINK("http://x")')
    response = client_for(world.secretary).get("/hoat-dong/xuat-excel/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    descriptions = [row[17] for row in sheet.iter_rows(min_row=2, max_row=2, values_only=True)]
    assert descriptions == ['\'=HYPERLINK("http://x")']


# ---------------------------------------------------------------- calendar


def test_the_calendar_shows_a_month_with_counts_per_day(world, spread) -> None:
    month = TODAY().strftime("%Y-%m")
    response = client_for(world.coordinator).get("/hoat-dong/lich/", {"thang": month})
    body = response.content.decode()
    assert response.status_code == 200
    day = re.search(rf'id="day-{TODAY().isoformat()}".*?class="count">(\d+)<', body, re.S)
    assert day and int(day.group(1)) == 3
    assert response.context["total"] == 3


def test_the_calendar_keeps_the_filters(world, spread) -> None:
    month = TODAY().strftime("%Y-%m")
    response = client_for(world.coordinator).get(
        "/hoat-dong/lich/", {"thang": month, "channel": "portal"}
    )
    assert response.context["total"] == 1
    assert "channel=portal" in response.context["next"]


def test_the_calendar_for_an_older_month_shows_the_older_activity(world, spread) -> None:
    old = spread["cell1_old_loudspeaker"].date
    response = client_for(world.secretary).get("/hoat-dong/lich/", {"thang": f"{old:%Y-%m}"})
    assert response.context["total"] >= 1
    assert f'id="day-{old.isoformat()}"' in response.content.decode()


def test_a_malformed_month_falls_back_to_this_month(world) -> None:
    response = client_for(world.secretary).get("/hoat-dong/lich/", {"thang": "xx"})
    assert response.status_code == 200
    assert response.context["month"] == TODAY().replace(day=1)


def test_the_calendar_query_count_does_not_grow_with_activities(
    world, plan, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = client_for(world.coordinator)
    log(world, plan)
    client.get("/hoat-dong/lich/")
    with django_assert_max_num_queries(30) as one:
        client.get("/hoat-dong/lich/")
    for n in range(10):
        log(world, plan, actor=world.coordinator, unit=[world.cell1, world.committee][n % 2])
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/hoat-dong/lich/")

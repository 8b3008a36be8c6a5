"""Activities from a unit's monthly spreadsheet: template, rows checked, all or nothing,
the quick entry's rules and audit, permissions, and the export importing back."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from kehoach.accounts.models import Role
from kehoach.activities import activity_services as services
from kehoach.activities import sheets
from kehoach.activities.exports import COUNTS, FIELDS, columns
from kehoach.activities.models import Activity, Audience, Channel
from kehoach.audit.models import AuditEntry
from kehoach.core import spreadsheets as sh
from kehoach.core.testing import client_for, make_user
from kehoach.core.tests.test_spreadsheets_import import (
    first_sheet,
    headers,
    mirror_ward,
    names_row,
    upload,
    xlsx,
)
from kehoach.plans import services as plan_services
from kehoach.plans.importer.result import Topic
from kehoach.plans.tests.builders import sample_parsed, stage
from kehoach.reports.models import PeriodKind, ReportingPeriod, ReportStatus, UnitReport

pytestmark = pytest.mark.django_db
URL = "/hoat-dong/nhap-excel/"
TEMPLATE = "/hoat-dong/nhap-excel/mau.xlsx"
YESTERDAY = timezone.localdate() - timedelta(days=1)
TOPICS = [
    Topic("Tuyên truyền Chỉ thị số 58-CT/TW", ["Điểm 1"], ["58-CT/TW"]),
    Topic("Học tập; làm theo tư tưởng, đạo đức Hồ Chí Minh", [], []),
]


def make_plan(ward, actor):
    return plan_services.save_import(
        actor=actor, staged=stage(ward, actor, sample_parsed(topics=list(TOPICS)))
    )


@pytest.fixture
def plan(world):
    return make_plan(world.ward, world.coordinator)


def label(choices, value) -> str:
    return str(dict(choices)[value])


def row(who, **values) -> list:
    """A row in the template's columns; unnamed counts are blank."""
    cells = {
        "date": YESTERDAY.strftime("%d/%m/%Y"),
        "unit": who.name,
        "plan": "",
        "topics": "",
        "channel": label(Channel.choices, "meeting"),
        "audiences": "",
        "description": "Sinh hoạt chi bộ",
    }
    cells.update(values)
    return [cells.get(f.key) for f in FIELDS]


def sheet(*rows) -> bytes:
    return xlsx(headers(FIELDS), *rows)


def counts() -> tuple[int, int]:
    return Activity.objects.count(), AuditEntry.objects.count()


def post(user, data: bytes, **extra):
    return client_for(user).post(URL, {"file": upload(data), **extra})


# ---------------------------------------------------------------- template


def test_the_template_has_the_exports_columns_and_the_persons_units(world, plan) -> None:
    response = client_for(world.secretary).get(TEMPLATE)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in wb.worksheets[0][1]]
    assert header == headers(FIELDS)
    assert header == [str(c.header) for c in columns()][: len(FIELDS)]
    units_column = [r[0] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True) if r[0]]
    assert units_column == [world.cell1.name]
    assert wb.worksheets[0].data_validations.dataValidation


# ---------------------------------------------------------------- importing


def test_a_secretary_imports_a_month_through_the_quick_entry_service(world, plan) -> None:
    topic_titles = "; ".join(t.title for t in TOPICS)
    data = sheet(
        row(
            world.cell1,
            plan=str(plan),
            topics=topic_titles,
            audiences=f"{label(Audience.choices, 'cadres')}, {label(Audience.choices, 'people')}",
            participants="1.200",
            meetings=1,
        ),
        row(world.cell1, date=YESTERDAY, channel="loudspeaker", broadcasts=3, listeners=500.0),
    )
    response = post(world.secretary, data)
    assert response.status_code == 200
    assert response.context["errors"] == []
    assert len(response.context["outcome"].saved) == 2
    first, second = Activity.objects.order_by("pk")
    assert first.unit == world.cell1 and first.plan == plan and first.date == YESTERDAY
    assert sorted(t.title for t in first.topics.all()) == sorted(t.title for t in TOPICS)
    assert set(first.audiences.values_list("audience", flat=True)) == {"cadres", "people"}
    assert first.participants == 1200 and first.meetings == 1
    assert first.created_by == world.secretary
    assert second.channel == "loudspeaker" and second.listeners == 500 and second.broadcasts == 3
    # Audited like any logged activity, under the person who imported.
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity), object_id=str(first.pk)
    )
    assert entries.exists() and all(e.actor_id == world.secretary.pk for e in entries)


def test_every_row_error_is_listed_and_nothing_is_written(world, plan) -> None:
    before = counts()
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = sheet(
        row(world.cell1),  # a good row: still not saved
        row(world.cell1, date="31/02/2026"),
        row(world.cell1, date=tomorrow.strftime("%d/%m/%Y")),
        row(world.cell1, unit="Chi bộ không có"),
        row(world.cell1, unit=world.other_cell.name),
        row(world.cell1, participants=-4),
        row(world.cell1, channel=""),
        row(world.cell1, audiences="Người ngoài hành tinh"),
        row(world.cell1, topics="Một nội dung"),
        row(world.cell1, date=""),
    )
    response = post(world.secretary, data)
    errors = response.context["errors"]
    assert [n for n in range(3, 12) if any(names_row(e, n) for e in errors)] == list(range(3, 12))
    assert not any(names_row(e, 2) for e in errors)
    assert response.context["outcome"] is None
    assert 'id="import-errors"' in response.content.decode()
    assert counts() == before


def test_a_unit_of_the_same_ward_the_person_does_not_log_for_is_refused(world, plan) -> None:
    before = counts()
    response = post(world.secretary, sheet(row(world.cell2)))
    [error] = response.context["errors"]
    assert names_row(error, 2) and world.cell2.name in error
    assert counts() == before


def test_an_accepted_reports_period_locks_the_rows_dated_in_it(world, plan) -> None:
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind=PeriodKind.MONTH,
        label="Tháng này",
        start=YESTERDAY - timedelta(days=3),
        end=YESTERDAY,
        due_date=YESTERDAY,
    )
    UnitReport.objects.create(period=period, unit=world.cell1, status=ReportStatus.ACCEPTED)
    before = counts()
    older = (YESTERDAY - timedelta(days=10)).strftime("%d/%m/%Y")
    response = post(world.secretary, sheet(row(world.cell1, date=older), row(world.cell1)))
    [error] = response.context["errors"]
    assert names_row(error, 3) and "Tháng này" in error
    assert counts() == before


@pytest.mark.parametrize(
    "data",
    [b"", b"not a workbook at all", xlsx(headers(FIELDS))],
    ids=["empty", "not-xlsx", "headers-only"],
)
def test_a_bad_or_empty_file_is_refused_with_a_clear_message(world, plan, data) -> None:
    before = counts()
    response = post(world.secretary, data)
    assert response.status_code == 200
    form_errors = response.context["form"].errors.get("file")
    assert form_errors or len(response.context["errors"]) == 1
    assert counts() == before


def test_too_many_rows_are_refused_as_a_whole(world, plan, monkeypatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    before = counts()
    response = post(world.secretary, sheet(*[row(world.cell1)] * 4))
    [error] = response.context["errors"]
    assert "3" in error
    assert counts() == before


def test_only_checking_saves_nothing_and_says_the_rows_are_valid(world, plan) -> None:
    before = counts()
    response = post(world.secretary, sheet(row(world.cell1), row(world.cell1)), dry_run="on")
    outcome = response.context["outcome"]
    assert outcome.dry_run and outcome.checked == 2
    assert counts() == before


def test_an_administrator_chooses_the_ward_whose_names_the_file_uses(world, plan) -> None:
    page = client_for(world.admin).get(URL)
    assert "ward" in page.context["form"].fields
    response = post(world.admin, sheet(row(world.cell1)), ward=world.ward.pk)
    assert response.context["errors"] == []
    assert Activity.objects.get().unit == world.cell1
    refused = post(world.admin, sheet(row(world.cell1)), ward=world.other_ward.pk)
    assert len(refused.context["errors"]) == 1


# ---------------------------------------------------------------- permissions


def test_anonymous_visitors_are_sent_to_sign_in(world) -> None:
    for url in (URL, TEMPLATE):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_viewer_who_logs_for_no_unit_is_refused(world) -> None:
    viewer = make_user("xem", unit=world.ward, role=Role.VIEWER)
    assert client_for(viewer).get(URL).status_code == 403
    assert client_for(viewer).get(TEMPLATE).status_code == 403


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider", "admin"])
def test_people_who_log_activities_see_the_page(world, persona) -> None:
    response = client_for(getattr(world, persona)).get(URL)
    assert response.status_code == 200
    assert TEMPLATE in response.content.decode()


def test_the_outsider_cannot_name_a_unit_of_another_ward(world, plan) -> None:
    before = counts()
    response = post(world.outsider, sheet(row(world.cell1)))
    assert len(response.context["errors"]) == 1
    assert counts() == before


def test_the_page_reads_a_constant_number_of_queries(world, django_assert_max_num_queries) -> None:
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(10):
        client.get(URL)


# ---------------------------------------------------------------- round trip


def _as_fields(activity: Activity) -> dict:
    return {
        "date": activity.date,
        "unit": activity.unit.name,
        "plan": activity.plan.title if activity.plan else None,
        "topics": sorted(t.title for t in activity.topics.all()),
        "channel": activity.channel,
        "audiences": sorted(activity.audiences.values_list("audience", flat=True)),
        "description": activity.description,
        **{name: getattr(activity, name) for name in COUNTS},
    }


def test_an_exported_list_imports_into_an_empty_ward_field_by_field(world, plan) -> None:
    topics = list(plan.topics.order_by("order"))
    for n, (unit, channel) in enumerate(
        [(world.cell1, "meeting"), (world.cell2, "loudspeaker"), (world.cell1, "portal")]
    ):
        services.log_activity(
            actor=world.coordinator,
            unit=unit,
            date=YESTERDAY - timedelta(days=n),
            channel=channel,
            plan=plan if n != 2 else None,
            topics=topics[: n + 1] if n != 2 else [],
            audiences=["cadres", "workers"][: n + 1],
            description=f"Hoạt động {n}: =1+1, “trích dẫn”" if n == 1 else "",
            participants=10 * n,
            listeners=1000 + n,
            broadcast_minutes=n,
            posters=date(2026, 1, 1).day,
        )
    original = sorted((_as_fields(a) for a in Activity.objects.all()), key=str)
    exported = client_for(world.coordinator).get("/hoat-dong/xuat-excel/")
    assert first_sheet(exported.content)[0][: len(FIELDS)] == tuple(headers(FIELDS))

    target = mirror_ward(world)
    mirror_plan = make_plan(target["ward"], target["coordinator"])
    before = set(Activity.objects.values_list("pk", flat=True))
    response = post(target["coordinator"], exported.content)
    assert response.context["errors"] == []
    imported = Activity.objects.exclude(pk__in=before)
    assert all(a.unit.path.startswith(target["ward"].path) for a in imported)
    assert {a.plan_id for a in imported} == {mirror_plan.pk, None}
    assert sorted((_as_fields(a) for a in imported), key=str) == original


def test_the_list_also_exports_as_csv(world, plan) -> None:
    services.log_activity(actor=world.secretary, unit=world.cell1, channel="meeting")
    response = client_for(world.secretary).get("/hoat-dong/xuat-excel/", {"xuat": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].split(",")[0] == _("Activity date")
    assert world.cell1.name in body


def test_the_totals_row_of_an_export_is_not_imported(world, plan) -> None:
    services.log_activity(actor=world.secretary, unit=world.cell1, channel="meeting")
    exported = client_for(world.secretary).get("/hoat-dong/xuat-excel/").content
    rows = sh.read_records(exported, FIELDS, stop=sh.stop_at_first_cell(_("Total")))
    assert len(rows) == 1

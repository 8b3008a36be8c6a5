"""Concerns recorded on paper: template, rows checked, routing and privacy of the recording
service, all or nothing, permissions, and the list's export importing back."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from kehoach.accounts.models import Role
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import client_for, make_user
from kehoach.core.tests.test_spreadsheets_import import (
    first_sheet,
    headers,
    mirror_ward,
    names_row,
    upload,
    xlsx,
)
from kehoach.feedback import services, sheets
from kehoach.feedback.models import Category, Concern, RoutingRule, Source, Urgency
from kehoach.feedback.sheets import EXPORT_FIELDS, FIELDS

pytestmark = pytest.mark.django_db
URL = "/y-kien/nhap-excel/"
TEMPLATE = "/y-kien/nhap-excel/mau.xlsx"
TODAY = timezone.localdate()


def label(choices, value) -> str:
    return str(dict(choices)[value])


def row(who, **values) -> list:
    cells = {
        "received": (TODAY - timedelta(days=5)).strftime("%d/%m/%Y"),
        "source": label(Source.choices, Source.NEIGHBOURHOOD_MEETING),
        "category": label(Category.choices, Category.URBAN_ORDER),
        "unit": who.name,
        "place": "Tổ dân phố số 1",
        "summary": "Đèn đường ngõ 12 bị hỏng.",
        "people_count": 4,
    }
    cells.update(values)
    return [cells.get(f.key) for f in FIELDS]


def sheet(*rows) -> bytes:
    return xlsx(headers(FIELDS), *rows)


def counts() -> tuple[int, int]:
    return Concern.objects.count(), AuditEntry.objects.count()


def post(user, data: bytes, **extra):
    return client_for(user).post(URL, {"file": upload(data), **extra})


def test_the_template_offers_the_persons_units_and_the_lists(world) -> None:
    response = client_for(world.secretary).get(TEMPLATE)
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == headers(FIELDS)
    lists = list(wb.worksheets[1].iter_cols(values_only=True))
    units = next(col for col in lists if col[0] == str(FIELDS[3].header))
    assert [u for u in units[1:] if u] == [world.cell1.name]
    sources = next(col for col in lists if col[0] == str(FIELDS[1].header))
    assert label(Source.choices, Source.PUBLIC_FORM) not in sources


def test_paper_concerns_are_routed_with_deadlines_and_their_received_date(world) -> None:
    RoutingRule.objects.create(ward=world.ward, category=Category.URBAN_ORDER, unit=world.committee)
    received = TODAY - timedelta(days=5)
    data = sheet(
        row(world.cell1, urgency=label(Urgency.choices, Urgency.HOT_SPOT)),
        row(
            world.cell1,
            category=label(Category.choices, Category.LAND_HOUSING),
            wants_answer="Có",
            resident_name="Nguyễn Văn A",
            resident_contact="0912 345 678",
            people_count="",
        ),
    )
    response = post(world.secretary, data)
    assert response.context["errors"] == []
    first, second = Concern.objects.order_by("pk")
    assert first.unit == world.committee and first.ward == world.ward
    assert first.recorded_by_unit == world.cell1 and first.created_by == world.secretary
    assert first.urgency == Urgency.HOT_SPOT and first.people_count == 4
    assert first.acknowledge_due is not None and first.answer_due is not None
    assert timezone.localtime(first.created_at).date() == received
    assert second.unit == world.ward  # no rule for land: the ward itself
    assert second.wants_answer and second.resident_contact == "0912 345 678"
    assert second.people_count == 1
    audited = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Concern), object_id=str(first.pk)
    )
    assert audited.exists()
    for entry in audited:
        assert "resident_contact" not in (entry.after or {})


def test_every_row_error_is_listed_and_nothing_is_written(world) -> None:
    before = counts()
    tomorrow = (TODAY + timedelta(days=1)).strftime("%d/%m/%Y")
    data = sheet(
        row(world.cell1),
        row(world.cell1, received="hôm qua"),
        row(world.cell1, received=tomorrow),
        row(world.cell1, unit="Tổ không có"),
        row(world.cell1, unit=world.other_cell.name),
        row(world.cell1, people_count=-3),
        row(world.cell1, summary=""),
        row(world.cell1, category="Thời tiết"),
        row(world.cell1, source=label(Source.choices, Source.PUBLIC_FORM)),
        row(world.cell1, resident_name="Trần Thị B"),
    )
    response = post(world.secretary, data)
    errors = response.context["errors"]
    assert [n for n in range(3, 12) if any(names_row(e, n) for e in errors)] == list(range(3, 12))
    assert not any(names_row(e, 2) for e in errors)
    assert counts() == before


@pytest.mark.parametrize(
    "data", [b"", b"abc", xlsx(headers(FIELDS))], ids=["empty", "not-xlsx", "headers-only"]
)
def test_a_bad_or_empty_file_is_refused(world, data) -> None:
    before = counts()
    response = post(world.secretary, data)
    assert response.context["form"].errors.get("file") or len(response.context["errors"]) == 1
    assert counts() == before


def test_too_many_rows_are_refused(world, monkeypatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    before = counts()
    response = post(world.secretary, sheet(*[row(world.cell1)] * 3))
    assert len(response.context["errors"]) == 1
    assert counts() == before


def test_anonymous_visitors_are_sent_to_sign_in(world) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_viewer_may_not_import_concerns(world) -> None:
    viewer = make_user("xem", unit=world.ward, role=Role.VIEWER)
    assert client_for(viewer).get(URL).status_code == 403
    assert client_for(viewer).get(TEMPLATE).status_code == 403


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "admin"])
def test_people_who_record_concerns_see_the_page(world, persona) -> None:
    assert client_for(getattr(world, persona)).get(URL).status_code == 200


def test_the_page_reads_a_constant_number_of_queries(world, django_assert_max_num_queries) -> None:
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(10):
        client.get(URL)


# ---------------------------------------------------------------- export and round trip


def _as_fields(concern: Concern) -> dict:
    return {
        "received": sheets.received_on(concern),
        "source": concern.source,
        "category": concern.category,
        "recorded_by": concern.recorded_by_unit.name,
        "place": concern.place,
        "summary": concern.summary,
        "people_count": concern.people_count,
        "urgency": concern.urgency,
        "wants_answer": concern.wants_answer,
    }


def _record(world, days_ago: int, **fields) -> Concern:
    concern = services.record_concern(actor=world.coordinator, **fields)
    Concern.objects.filter(pk=concern.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return concern


def test_the_concern_list_exports_without_contacts_and_imports_into_an_empty_ward(world) -> None:
    _record(
        world,
        3,
        unit=world.cell1,
        category=Category.ENVIRONMENT,
        summary="=Rác thải tồn đọng ở chợ",
        source=Source.VISIT,
        place="Chợ Cột Đèn",
        people_count=12,
        urgency=Urgency.ATTENTION,
        wants_answer=True,
        resident_name="Nguyễn Văn Bí Mật",
        resident_contact="0900 000 001",
    )
    _record(world, 0, unit=world.cell2, category=Category.OTHER, summary="Ý kiến khác")
    original = sorted((_as_fields(c) for c in Concern.objects.all()), key=str)

    # With a filter, so the note under the table must not be read as a concern.
    exported = client_for(world.coordinator).get("/y-kien/", {"xuat": "xlsx", "state": "open"})
    assert exported.status_code == 200
    rows = first_sheet(exported.content)
    assert rows[0][: len(EXPORT_FIELDS)] == tuple(headers(EXPORT_FIELDS))
    assert any(str(r[0] or "").startswith(_("Filters")) for r in rows)
    text = repr(rows)
    assert "Bí Mật" not in text and "0900 000 001" not in text
    assert "'=Rác thải tồn đọng ở chợ" in text  # guarded against formulas

    target = mirror_ward(world)
    before = set(Concern.objects.values_list("pk", flat=True))
    response = post(target["coordinator"], exported.content)
    assert response.context["errors"] == []
    imported = Concern.objects.exclude(pk__in=before)
    assert all(c.ward == target["ward"] for c in imported)
    # The formula guard's apostrophe is Excel's, not the resident's words.
    got = sorted((_as_fields(c) for c in imported), key=str)
    for item in got:
        item["summary"] = item["summary"].removeprefix("'")
    assert got == original


def test_the_csv_export_follows_the_filters_and_the_scope(world) -> None:
    _record(world, 1, unit=world.cell1, category=Category.ENVIRONMENT, summary="Môi trường")
    _record(world, 1, unit=world.cell1, category=Category.OTHER, summary="Việc khác")
    response = client_for(world.coordinator).get(
        "/y-kien/", {"xuat": "csv", "category": Category.ENVIRONMENT}
    )
    body = response.content.decode("utf-8-sig")
    assert "Môi trường" in body and "Việc khác" not in body
    outsider = client_for(world.outsider).get("/y-kien/", {"xuat": "csv"})
    assert "Môi trường" not in outsider.content.decode("utf-8-sig")

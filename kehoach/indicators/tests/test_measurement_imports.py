"""Figures of targets from Excel: template, rows checked, all or nothing through
`record_measurement`, permissions, and the figures' export importing back."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from kehoach.accounts.models import Role
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import client_for, make_user
from kehoach.core.tests.test_spreadsheets_import import (
    headers,
    mirror_ward,
    names_row,
    upload,
    xlsx,
)
from kehoach.indicators import services, sheets
from kehoach.indicators.models import Direction, Indicator, Measurement
from kehoach.indicators.sheets import FIELDS

pytestmark = pytest.mark.django_db
URL = "/chi-tieu/so-lieu/nhap-excel/"
TEMPLATE = "/chi-tieu/so-lieu/nhap-excel/mau.xlsx"
EXPORT = "/chi-tieu/so-lieu/xuat-excel/"


def create(actor, ward, responsible, name="Thu ngân sách", programme="CTr 20") -> Indicator:
    return services.create_indicator(
        actor=actor,
        ward=ward,
        programme=programme,
        name=name,
        measure="tỷ đồng",
        baseline=D(100),
        baseline_year=2025,
        direction=Direction.HIGHER,
        responsible=responsible,
        targets={2026: D(150)},
    )


@pytest.fixture
def committee_head(world):
    return make_user("ubnd", unit=world.committee, role=Role.HEAD, full_name="Phạm Văn Ủy")


@pytest.fixture
def indicators(world):
    return [
        create(world.coordinator, world.ward, world.committee),
        create(world.coordinator, world.ward, world.committee, name="Tỷ lệ hộ gia đình văn hóa"),
        create(world.coordinator, world.ward, world.cell1, name="Đảng viên mới", programme="NQ"),
    ]


def row(which, **values) -> list:
    cells = {
        "programme": which.programme,
        "indicator": which.name,
        "period": "Quý I/2026",
        "as_of": "31/03/2026",
        "value": "1.234,5",
        "source": "Báo cáo UBND",
    }
    cells.update(values)
    return [cells.get(f.key) for f in FIELDS]


def sheet(*rows) -> bytes:
    return xlsx(headers(FIELDS), *rows)


def counts() -> tuple[int, int]:
    return Measurement.objects.count(), AuditEntry.objects.count()


def post(user, data: bytes, **extra):
    return client_for(user).post(URL, {"file": upload(data), **extra})


def test_the_responsible_unit_imports_figures_and_a_later_one_corrects(
    world, indicators, committee_head
) -> None:
    budget, culture, _cell = indicators
    services.record_measurement(
        actor=committee_head,
        indicator=budget,
        period_label="Quý I",
        as_of=date(2026, 3, 31),
        value=D(1),
        source="Nháp",
    )
    data = sheet(row(budget), row(culture, value=87.5, as_of=date(2026, 6, 30), programme=""))
    response = post(committee_head, data)
    assert response.context["errors"] == []
    assert Measurement.objects.get(indicator=budget).value == D("1234.5")
    assert Measurement.objects.get(indicator=culture).as_of == date(2026, 6, 30)
    assert Measurement.objects.get(indicator=culture).entered_by == committee_head


def test_every_row_error_is_listed_and_nothing_is_written(
    world, indicators, committee_head
) -> None:
    budget, culture, cell_indicator = indicators
    before = counts()
    data = sheet(
        row(budget),
        row(culture, as_of="32/13/2026"),
        row(culture, value="nhiều"),
        row(culture, indicator="Chỉ tiêu không có"),
        row(cell_indicator),  # another unit's indicator
        row(culture, source=""),
        row(budget),  # the same date twice
    )
    response = post(committee_head, data)
    errors = response.context["errors"]
    assert [n for n in range(3, 9) if any(names_row(e, n) for e in errors)] == list(range(3, 9))
    assert not any(names_row(e, 2) for e in errors)
    assert counts() == before


@pytest.mark.parametrize(
    "data", [b"", b"abc", xlsx(headers(FIELDS))], ids=["empty", "not-xlsx", "headers-only"]
)
def test_a_bad_or_empty_file_is_refused(world, indicators, data) -> None:
    before = counts()
    response = post(world.coordinator, data)
    assert response.context["form"].errors.get("file") or len(response.context["errors"]) == 1
    assert counts() == before


def test_too_many_rows_are_refused(world, indicators, monkeypatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 1)
    before = counts()
    response = post(world.coordinator, sheet(row(indicators[0]), row(indicators[1])))
    assert len(response.context["errors"]) == 1
    assert counts() == before


def test_the_catalogue_file_with_its_figures_sheet_imports_too(world, indicators) -> None:
    services.record_measurement(
        actor=world.coordinator,
        indicator=indicators[2],
        period_label="6 tháng",
        as_of=date(2026, 6, 30),
        value=D(7),
        source="Chi bộ",
    )
    catalogue = services.export_excel(Indicator.objects.filter(ward=world.ward))
    Measurement.objects.all().delete()
    response = post(world.coordinator, catalogue)
    assert response.context["errors"] == []
    assert Measurement.objects.get().value == D(7)


def test_anonymous_visitors_are_sent_to_sign_in(world) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_people_without_indicators_to_measure_are_refused(world, indicators) -> None:
    assert client_for(world.secretary2).get(URL).status_code == 403
    assert client_for(world.outsider).get(URL).status_code == 403
    assert client_for(world.outsider).get(EXPORT).status_code == 403


def test_the_template_lists_only_the_indicators_the_person_measures(world, indicators) -> None:
    response = client_for(world.secretary).get(TEMPLATE)
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == headers(FIELDS)
    names = [r[1] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True) if r[1]]
    assert names == ["Đảng viên mới"]


def test_the_page_reads_a_constant_number_of_queries(
    world, indicators, django_assert_max_num_queries
) -> None:
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(10):
        client.get(URL)


def test_exported_figures_import_into_an_empty_ward_field_by_field(world, indicators) -> None:
    for n, indicator in enumerate(indicators):
        services.record_measurement(
            actor=world.coordinator,
            indicator=indicator,
            period_label=f"Quý {n + 1}/2026",
            as_of=date(2026, 3 * (n + 1), 28),
            value=D("12.3456") * (n + 1),
            source=f"Nguồn {n}",
        )
    exported = client_for(world.coordinator).get(EXPORT, {"xuat": "xlsx"})
    target = mirror_ward(world)
    units = {"committee": target["committee"], "cell1": target["cell1"]}
    for source in indicators:
        create(
            target["coordinator"],
            target["ward"],
            units["cell1" if source.responsible_id == world.cell1.pk else "committee"],
            name=source.name,
            programme=source.programme,
        )
    response = post(target["coordinator"], exported.content)
    assert response.context["errors"] == []

    def figures(ward) -> list[tuple]:
        return sorted(
            (m.indicator.programme, m.indicator.name, m.period_label, m.as_of, m.value, m.source)
            for m in Measurement.objects.filter(indicator__ward=ward).select_related("indicator")
        )

    assert figures(target["ward"]) == figures(world.ward)
    assert len(figures(world.ward)) == 3

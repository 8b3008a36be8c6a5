"""Catalogue upkeep (coordinator), figures (responsible unit), Excel import and export, demo."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from kehoach.accounts.models import Role
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import make_user
from kehoach.indicators import services
from kehoach.indicators.demo import TARGETS, load_demo_targets
from kehoach.indicators.models import Direction, Indicator, Measurement, Target


def create(world, actor=None, **extra) -> Indicator:
    fields = {
        "ward": world.ward,
        "programme": "CTr 20",
        "name": "Thu ngân sách",
        "measure": "tỷ đồng",
        "baseline": D(100),
        "baseline_year": 2025,
        "direction": Direction.HIGHER,
        "responsible": world.committee,
        "targets": {2026: D(150), 2027: D(200)},
    } | extra
    return services.create_indicator(actor=actor or world.coordinator, **fields)


def figure(world, indicator, actor, **extra):
    fields = {
        "period_label": "Quý I/2026",
        "as_of": date(2026, 3, 31),
        "value": D(110),
        "source": "Báo cáo UBND",
    } | extra
    return services.record_measurement(actor=actor, indicator=indicator, **fields)


def test_the_coordinator_adds_an_indicator_with_its_targets(world):
    indicator = create(world)
    assert list(indicator.targets.values_list("year", "value")) == [(2026, D(150)), (2027, D(200))]
    assert AuditEntry.objects.filter(actor=world.coordinator).exists()


def test_a_unit_head_may_not_add_an_indicator(world):
    with pytest.raises(PermissionDenied):
        create(world, actor=world.secretary)
    assert not Indicator.objects.exists()


def test_the_responsible_unit_must_be_in_the_ward(world):
    with pytest.raises(ValidationError) as caught:
        create(world, responsible=world.other_cell)
    assert "responsible" in caught.value.error_dict


def test_targets_must_come_after_the_baseline_year(world):
    with pytest.raises(ValidationError) as caught:
        create(world, targets={2024: D(1)})
    assert "targets" in caught.value.error_dict


def test_editing_replaces_the_targets(world):
    indicator = create(world)
    services.update_indicator(
        actor=world.coordinator, indicator=indicator, name="Thu NSNN", targets={2028: D(300)}
    )
    indicator.refresh_from_db()
    assert indicator.name == "Thu NSNN"
    assert list(indicator.targets.values_list("year", flat=True)) == [2028]


def test_the_responsible_units_officer_records_a_figure_with_its_source(world):
    indicator = create(world)
    officer = make_user("ubnd", unit=world.committee, role=Role.OFFICER)
    measurement = figure(world, indicator, officer)
    assert measurement.entered_by == officer
    assert measurement.source == "Báo cáo UBND"
    assert AuditEntry.objects.filter(actor=officer).exists()


def test_another_units_head_may_not_record_a_figure(world):
    indicator = create(world)
    with pytest.raises(PermissionDenied):
        figure(world, indicator, world.secretary)
    assert not Measurement.objects.exists()


def test_a_figure_needs_its_source(world):
    indicator = create(world)
    with pytest.raises(ValidationError) as caught:
        figure(world, indicator, world.coordinator, source="  ")
    assert "source" in caught.value.error_dict


def test_a_second_figure_for_the_same_date_corrects_the_first(world):
    indicator = create(world)
    figure(world, indicator, world.coordinator)
    figure(world, indicator, world.coordinator, value=D(120))
    assert list(Measurement.objects.values_list("value", flat=True)) == [D(120)]


def workbook(rows, years=(2026, 2027)) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([str(c) for c in services.COLUMNS] + list(years))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(name="Kim ngạch xuất khẩu", unit="Ủy ban nhân dân phường", direction="higher"):
    return ["CTr 20", name, "triệu USD", direction, 320, 2025, unit, 360, "405,5"]


def test_import_creates_indicators_with_their_targets(world):
    result = services.import_excel(
        actor=world.coordinator,
        ward=world.ward,
        data=workbook([row(), row("Số hộ nghèo", direction="lower")]),
    )
    assert result == {"created": 2, "updated": 0}
    indicator = Indicator.objects.get(name="Kim ngạch xuất khẩu")
    assert indicator.responsible == world.committee
    assert dict(indicator.targets.values_list("year", "value")) == {2026: D(360), 2027: D("405.5")}
    assert Indicator.objects.get(name="Số hộ nghèo").direction == Direction.LOWER


def test_import_updates_an_indicator_of_the_same_programme_and_name(world):
    create(world, name="Kim ngạch xuất khẩu")
    result = services.import_excel(actor=world.coordinator, ward=world.ward, data=workbook([row()]))
    assert result == {"created": 0, "updated": 1}
    assert Indicator.objects.get().baseline == D(320)


def test_import_saves_nothing_when_one_row_is_wrong_and_names_the_row(world):
    data = workbook([row(), row("Số hộ nghèo", unit="Không có đơn vị này")])
    with pytest.raises(ValidationError) as caught:
        services.import_excel(actor=world.coordinator, ward=world.ward, data=data)
    assert caught.value.messages[0].split(":")[0].endswith(" 3")
    assert len(caught.value.messages) == 1
    assert not Indicator.objects.exists()


def test_import_refuses_a_file_that_is_not_a_workbook(world):
    with pytest.raises(services.ImportFileError):
        services.import_excel(actor=world.coordinator, ward=world.ward, data=b"not excel")


def test_import_is_for_the_coordinator(world):
    with pytest.raises(PermissionDenied):
        services.import_excel(actor=world.secretary, ward=world.ward, data=workbook([row()]))


def test_an_export_imports_back_unchanged(world):
    indicator = create(world)
    figure(world, indicator, world.coordinator)
    data = services.export_excel(Indicator.objects.all())
    sheets = load_workbook(io.BytesIO(data)).worksheets
    assert sheets[1].max_row == 2  # header and the one figure
    result = services.import_excel(actor=world.coordinator, ward=world.ward, data=data)
    assert result == {"created": 0, "updated": 1}
    assert dict(Target.objects.values_list("year", "value")) == {2026: D(150), 2027: D(200)}


def test_the_demo_loads_the_breakthrough_targets_as_examples_once(world):
    load_demo_targets(world.ward, world.coordinator)
    load_demo_targets(world.ward, world.coordinator)
    indicators = Indicator.objects.filter(ward=world.ward)
    assert indicators.count() == len(TARGETS) == 8
    assert all(i.is_example for i in indicators)
    assert {i.responsible for i in indicators} == {world.committee}
    assert Target.objects.filter(year__range=(2026, 2030)).count() == 8 * 5
    assert Measurement.objects.count() == sum(len(t[5]) for t in TARGETS)
    assert all(m.as_of.year == 2026 for m in Measurement.objects.all())

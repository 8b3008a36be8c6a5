from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kehoach.audit.models import AuditEntry
from kehoach.documents.models import SourceDocument
from kehoach.org.models import Unit
from kehoach.plans import models as m
from kehoach.plans import services
from kehoach.plans.services import UnitChoice
from kehoach.plans.tests.builders import sample_parsed, stage


def _save(world, parsed=None, choices=None):
    staged = stage(world.ward, world.coordinator, parsed)
    return services.save_import(actor=world.coordinator, staged=staged, choices=choices)


def test_saving_an_import_builds_the_whole_plan_in_order(world) -> None:
    plan = _save(world)
    assert plan.title.startswith("tuyên truyền thực hiện")
    assert plan.unit == world.ward and plan.issuing_unit == world.ward
    assert [t.title for t in plan.topics.all()] == ["Tuyên truyền Chỉ thị số 58-CT/TW"]
    assert plan.topics.get().points == ["Điểm 1", "Điểm 2"]
    assert [a.heading for a in plan.assignments.all()] == [
        "Ủy ban nhân dân phường",
        "Các cấp ủy, tổ chức đảng trực thuộc Đảng ủy",
        "Sở Văn hóa và Thể thao",
    ]
    assert [(r.name, r.note) for r in plan.recipients.all()] == [
        ("Ban Tuyên giáo và Dân vận TU", "để báo cáo"),
        ("Lưu VPĐU", ""),
    ]
    assert plan.signer_title == "PHÓ BÍ THƯ"
    duty = m.Duty.objects.get(text__startswith="Định kỳ")
    assert duty.recurrence == "periodic"


def test_headings_are_matched_to_units_and_groups_expand_to_every_party_cell(world) -> None:
    plan = _save(world)
    committee, cells, outside = plan.assignments.all()
    assert [t.unit for t in committee.targets.all()] == [world.committee]
    assert {t.unit for t in cells.targets.all()} == {world.cell1, world.cell2}
    # Another ward's cells are never pulled in by the phrase.
    assert world.other_cell not in {t.unit for t in cells.targets.all()}
    assert outside.outside_body == "Sở Văn hóa và Thể thao"
    assert not outside.targets.exists()


def test_cited_documents_are_registered_once_across_plans(world) -> None:
    _save(world)
    other = sample_parsed(title="kế hoạch khác", date=date(2026, 6, 1))
    _save(world, other)
    assert SourceDocument.objects.filter(number="58-CT/TW").count() == 1
    document = SourceDocument.objects.get(number="58-CT/TW")
    assert document.citations.filter(topic=None).count() == 2
    assert document.citations.exclude(topic=None).count() == 2
    assert document.issuer == "Ban Bí thư" and document.date == date(2026, 1, 10)


def test_importing_a_corrected_version_updates_the_plan_instead_of_a_twin(world) -> None:
    first = _save(world)
    corrected = sample_parsed(purposes=["Mục đích đã sửa"])
    second = _save(world, corrected)
    assert second.pk == first.pk
    assert m.Plan.objects.count() == 1
    second.refresh_from_db()
    assert second.purposes == ["Mục đích đã sửa"]
    assert second.assignments.count() == 3


def test_a_numbered_plan_is_recognised_by_its_number(world) -> None:
    first = _save(world, sample_parsed(number="12-KH/ĐU"))
    again = _save(world, sample_parsed(number="12-KH/ĐU", title="tiêu đề đã sửa"))
    assert again.pk == first.pk
    other = _save(world, sample_parsed(number="13-KH/ĐU"))
    assert other.pk != first.pk


def test_saving_writes_audit_entries_by_the_coordinator(world) -> None:
    plan = _save(world)
    entries = AuditEntry.objects.filter(actor=world.coordinator)
    assert entries.filter(object_repr__contains="tuyên truyền thực hiện", action="create").exists()
    assert entries.filter(content_type__model="duty").count() == 4
    assert plan.pk


def test_only_people_with_rights_on_the_unit_may_import(world) -> None:
    staged = stage(world.ward, world.coordinator)
    with pytest.raises(PermissionDenied):
        services.save_import(actor=world.secretary, staged=staged)
    with pytest.raises(PermissionDenied):
        services.stage_import(actor=world.outsider, unit=world.ward, text="KẾ HOẠCH")
    assert not m.Plan.objects.exists()


def test_a_failed_save_leaves_nothing_behind(world) -> None:
    choices = [
        UnitChoice("units", [world.committee.pk]),
        UnitChoice("units", [world.other_cell.pk]),
        UnitChoice("outside"),
    ]
    staged = stage(world.ward, world.coordinator)
    with pytest.raises(ValidationError):
        services.save_import(actor=world.coordinator, staged=staged, choices=choices)
    assert not m.Plan.objects.exists()
    assert not SourceDocument.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="plan").exists()


def test_the_coordinator_may_create_a_unit_for_an_unmatched_heading(world) -> None:
    choices = [
        UnitChoice("units", [world.committee.pk]),
        UnitChoice("units", [world.cell1.pk]),
        UnitChoice("create", new_kind="department"),
    ]
    plan = _save(world, choices=choices)
    created = Unit.objects.get(name="Sở Văn hóa và Thể thao")
    assert created.parent == world.ward
    assert plan.assignments.last().targets.get().unit == created


def test_a_saved_import_cannot_be_saved_twice(world) -> None:
    staged = stage(world.ward, world.coordinator)
    services.save_import(actor=world.coordinator, staged=staged)
    with pytest.raises(ValidationError):
        services.save_import(actor=world.coordinator, staged=staged)


def test_a_cell_builds_its_own_plan_from_the_wards_plan(world) -> None:
    parent = _save(world)
    own = services.create_sub_plan(actor=world.secretary, parent=parent, unit=world.cell1)
    assert own.parent == parent and own.unit == world.cell1
    assert list(parent.sub_plans.all()) == [own]
    assert "Căn cứ Kế hoạch" in own.basis[0]
    assert [t.title for t in own.topics.all()] == [t.title for t in parent.topics.all()]
    duties = list(m.Duty.objects.filter(assignment__plan=own).values_list("text", flat=True))
    assert duties == ["Xây dựng kế hoạch …", "Định kỳ báo cáo kết quả …"]
    assert own.topics.get().citations.get().document.number == "58-CT/TW"


def test_a_cell_cannot_build_a_plan_for_another_cell(world) -> None:
    parent = _save(world)
    with pytest.raises(PermissionDenied):
        services.create_sub_plan(actor=world.secretary, parent=parent, unit=world.cell2)


def test_issuing_sets_number_date_and_status_and_refuses_a_second_time(world) -> None:
    plan = _save(world)
    services.issue_plan(actor=world.coordinator, plan=plan, number="12-KH/ĐU", on=date(2026, 5, 20))
    plan.refresh_from_db()
    assert (plan.number, plan.status) == ("12-KH/ĐU", "issued")
    with pytest.raises(ValidationError):
        services.issue_plan(
            actor=world.coordinator, plan=plan, number="13-KH/ĐU", on=date(2026, 5, 21)
        )
    with pytest.raises(PermissionDenied):
        services.issue_plan(actor=world.secretary, plan=plan, number="1", on=date(2026, 1, 1))


def test_editing_with_a_stale_form_is_refused(world) -> None:
    plan = _save(world)
    seen = plan.updated_at
    services.update_plan(
        actor=world.coordinator, plan=plan, changes={"place": "Hải Phòng"}, seen_updated_at=seen
    )
    with pytest.raises(ValidationError):
        services.update_plan(
            actor=world.coordinator, plan=plan, changes={"place": "Lê Chân"}, seen_updated_at=seen
        )
    plan.refresh_from_db()
    assert plan.place == "Hải Phòng"


def test_plans_are_scoped_to_the_holder_and_to_units_with_duties(world) -> None:
    plan = _save(world)
    assert plan in m.Plan.objects.for_user(world.secretary)  # cell1 has duties in it
    assert plan not in m.Plan.objects.for_user(world.outsider)
    own = services.create_sub_plan(actor=world.secretary, parent=plan, unit=world.cell1)
    assert own not in m.Plan.objects.for_user(world.secretary2)
    assert own in m.Plan.objects.for_user(world.coordinator)


def test_a_unit_has_one_own_plan_per_parent(world) -> None:
    parent = _save(world)
    services.create_sub_plan(actor=world.secretary, parent=parent, unit=world.cell1)
    with pytest.raises(ValidationError):
        services.create_sub_plan(actor=world.secretary, parent=parent, unit=world.cell1)
    with pytest.raises(ValidationError):
        services.create_sub_plan(actor=world.coordinator, parent=parent, unit=world.ward)
    assert parent.sub_plans.count() == 1

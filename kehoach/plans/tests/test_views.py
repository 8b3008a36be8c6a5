import pytest

from kehoach.core.testing import ScopedViewChecks, client_for
from kehoach.plans import models as m
from kehoach.plans import services
from kehoach.plans.tests.builders import sample_parsed, stage


@pytest.fixture
def plan(world) -> m.Plan:
    staged = stage(world.ward, world.coordinator)
    return services.save_import(actor=world.coordinator, staged=staged)


class TestPlanPage(ScopedViewChecks):
    """A cell's own plan: its secretary and the coordinator see it, others get 404."""

    def url(self, world) -> str:
        parent = services.save_import(
            actor=world.coordinator, staged=stage(world.ward, world.coordinator)
        )
        own = services.create_sub_plan(actor=world.secretary, parent=parent, unit=world.cell1)
        return f"/ke-hoach/{own.pk}/"


def test_the_plan_page_shows_every_part_in_document_order(world, plan) -> None:
    html = client_for(world.coordinator).get(f"/ke-hoach/{plan.pk}/").content.decode()
    order = [
        "Thực hiện Công văn",
        "Tuyên truyền sâu rộng",
        "Tuyên truyền Chỉ thị số 58-CT/TW",
        "Hệ thống truyền thanh cơ sở",
        "Ủy ban nhân dân phường",
        "Trên đây là Kế hoạch",
        "Ban Tuyên giáo và Dân vận TU",
        "Nguyễn Thị Minh Ngọc",
    ]
    body = html[html.index('id="basis"') :]
    cursor = 0
    for text in order:
        found = body.find(text, cursor)
        assert found >= 0, f"{text!r} missing or out of order"
        cursor = found


def test_a_cell_with_duties_sees_the_wards_plan_but_an_outsider_does_not(world, plan) -> None:
    assert client_for(world.secretary).get(f"/ke-hoach/{plan.pk}/").status_code == 200
    assert client_for(world.outsider).get(f"/ke-hoach/{plan.pk}/").status_code == 404
    assert plan.title[:20] not in client_for(world.outsider).get("/ke-hoach/").content.decode()


def test_the_plan_list_query_count_does_not_grow_with_plans(
    world, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    services.save_import(actor=world.coordinator, staged=stage(world.ward, world.coordinator))
    client.get("/ke-hoach/")
    with django_assert_max_num_queries(100) as one:
        client.get("/ke-hoach/")
    for n in range(5):
        parsed = sample_parsed(title=f"kế hoạch số {n}")
        services.save_import(
            actor=world.coordinator, staged=stage(world.ward, world.coordinator, parsed)
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/ke-hoach/")


def test_the_plan_page_query_count_does_not_grow_with_the_plan(
    world, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    small = services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )
    client.get(f"/ke-hoach/{small.pk}/")
    with django_assert_max_num_queries(100) as base:
        client.get(f"/ke-hoach/{small.pk}/")
    big_parsed = sample_parsed(title="kế hoạch lớn")
    big_parsed.topics = big_parsed.topics * 6
    big_parsed.assignments = big_parsed.assignments * 4
    big = services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator, big_parsed)
    )
    with django_assert_num_queries(len(base.captured_queries)):
        client.get(f"/ke-hoach/{big.pk}/")


def test_the_review_screen_belongs_to_the_uploader_only(world) -> None:
    staged = stage(world.ward, world.coordinator)
    assert client_for(world.coordinator).get(f"/ke-hoach/nhap/{staged.pk}/").status_code == 200
    assert client_for(world.admin).get(f"/ke-hoach/nhap/{staged.pk}/").status_code == 404
    assert client_for(world.outsider).get(f"/ke-hoach/nhap/{staged.pk}/").status_code == 404


def test_the_review_screen_escapes_the_source_and_marks_recognised_parts(world) -> None:
    staged = stage(world.ward, world.coordinator)
    html = client_for(world.coordinator).get(f"/ke-hoach/nhap/{staged.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'data-part="title"' in html


def test_the_review_screen_proposes_matches_and_saves_a_corrected_choice(world) -> None:
    staged = stage(world.ward, world.coordinator)
    client = client_for(world.coordinator)
    page = client.get(f"/ke-hoach/nhap/{staged.pk}/")
    form = page.context["form"]
    assert form["units_0"].initial == [world.committee.pk]
    data = {
        "assignment_count": 3,
        "mode_0": "units",
        "units_0": [world.board.pk],  # corrected by the coordinator
        "mode_1": "units",
        "units_1": [world.cell1.pk, world.cell2.pk],
        "mode_2": "outside",
    }
    response = client.post(f"/ke-hoach/nhap/{staged.pk}/", data)
    assert response.status_code == 302
    plan = m.Plan.objects.get()
    assert [t.unit for t in plan.assignments.first().targets.all()] == [world.board]


def test_a_stale_review_form_is_refused_without_saving(world) -> None:
    staged = stage(world.ward, world.coordinator)
    response = client_for(world.coordinator).post(
        f"/ke-hoach/nhap/{staged.pk}/",
        {"assignment_count": 2, "mode_0": "outside", "mode_1": "outside"},
    )
    assert response.status_code == 200
    assert not m.Plan.objects.exists()


def test_another_units_id_in_the_review_form_is_refused(world) -> None:
    staged = stage(world.ward, world.coordinator)
    data = {
        "assignment_count": 3,
        "mode_0": "units",
        "units_0": [world.other_cell.pk],
        "mode_1": "outside",
        "mode_2": "outside",
    }
    response = client_for(world.coordinator).post(f"/ke-hoach/nhap/{staged.pk}/", data)
    assert response.status_code == 200
    assert "units_0" in response.context["form"].errors
    assert not m.Plan.objects.exists()


def test_uploading_a_plan_needs_the_right_role(world) -> None:
    assert client_for(world.coordinator).get("/ke-hoach/nhap/").status_code == 200
    viewer_only = client_for(world.admin)
    assert viewer_only.get("/ke-hoach/nhap/").status_code == 200
    from kehoach.accounts.models import Membership, Role

    Membership.objects.filter(user=world.secretary).update(role=Role.VIEWER)
    assert client_for(world.secretary).get("/ke-hoach/nhap/").status_code == 403


def test_an_upload_with_neither_file_nor_text_explains_itself(world) -> None:
    response = client_for(world.coordinator).post("/ke-hoach/nhap/", {"unit": world.ward.pk})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not m.PlanImport.objects.exists()


def test_uploading_for_a_unit_outside_ones_rights_is_refused(world) -> None:
    response = client_for(world.secretary).post(
        "/ke-hoach/nhap/", {"unit": world.cell2.pk, "text": "KẾ HOẠCH\ntuyên truyền"}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not m.PlanImport.objects.exists()


def test_a_cell_drafts_its_own_plan_from_the_plan_page(world, plan) -> None:
    client = client_for(world.secretary)
    page = client.get(f"/ke-hoach/{plan.pk}/")
    assert page.context["can_sub_plan"]
    response = client.post(f"/ke-hoach/{plan.pk}/ke-hoach-don-vi/", {"unit": world.cell1.pk})
    own = m.Plan.objects.get(parent=plan)
    assert response["Location"] == f"/ke-hoach/{own.pk}/"
    refused = client.post(f"/ke-hoach/{plan.pk}/ke-hoach-don-vi/", {"unit": world.cell2.pk})
    assert refused.status_code == 302
    assert m.Plan.objects.filter(parent=plan).count() == 1


def test_editing_and_issuing_are_for_the_coordinator(world, plan) -> None:
    assert client_for(world.secretary).get(f"/ke-hoach/{plan.pk}/sua/").status_code == 403
    client = client_for(world.coordinator)
    page = client.get(f"/ke-hoach/{plan.pk}/sua/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(place="Hải Phòng", date="20/05/2026")
    assert client.post(f"/ke-hoach/{plan.pk}/sua/", data).status_code == 302
    plan.refresh_from_db()
    assert plan.place == "Hải Phòng"
    assert client_for(world.secretary).get(f"/ke-hoach/{plan.pk}/ban-hanh/").status_code == 403


def test_the_coordinator_edits_a_topic_and_a_duty_and_history_keeps_both(world, plan) -> None:
    from kehoach.audit.models import AuditEntry

    topic = plan.topics.get()
    duty = m.Duty.objects.filter(assignment__plan=plan).first()
    client = client_for(world.coordinator)
    response = client.post(
        f"/ke-hoach/noi-dung/{topic.pk}/sua/",
        {"title": "Tiêu đề mới", "points": "Ý một\n\nÝ hai\n"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.points) == ("Tiêu đề mới", ["Ý một", "Ý hai"])
    response = client.post(
        f"/ke-hoach/nhiem-vu/{duty.pk}/sua/",
        {
            "text": "Báo cáo trước ngày 15 hằng tháng",
            "recurrence": "monthly",
            "due_day": 15,
            "due_month": "",
            "deadline": "",
        },
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert (duty.recurrence, duty.due_day) == ("monthly", 15)
    changed = AuditEntry.objects.filter(action="update", actor=world.coordinator)
    assert changed.filter(content_type__model="topic").exists()
    assert changed.filter(content_type__model="duty").exists()


def test_a_duty_with_an_impossible_day_is_refused(world, plan) -> None:
    duty = m.Duty.objects.filter(assignment__plan=plan).first()
    response = client_for(world.coordinator).post(
        f"/ke-hoach/nhiem-vu/{duty.pk}/sua/",
        {"text": "x", "recurrence": "monthly", "due_day": 40, "due_month": "", "deadline": ""},
    )
    assert response.status_code == 200
    duty.refresh_from_db()
    assert duty.due_day is None


def test_editing_parts_of_a_plan_needs_rights_on_it(world, plan) -> None:
    topic = plan.topics.get()
    duty = m.Duty.objects.filter(assignment__plan=plan).first()
    assert client_for(world.secretary).get(f"/ke-hoach/noi-dung/{topic.pk}/sua/").status_code == 403
    assert client_for(world.outsider).get(f"/ke-hoach/noi-dung/{topic.pk}/sua/").status_code == 404
    assert client_for(world.outsider).get(f"/ke-hoach/nhiem-vu/{duty.pk}/sua/").status_code == 404


UNPLACED = (
    "KẾ HOẠCH\ntuyên truyền an toàn giao thông\n\nI. MỤC ĐÍCH, YÊU CẦU\n"
    "- Nâng cao ý thức chấp hành.\n\nII. CÁCH LÀM\n- Tuyên truyền trên hệ thống truyền "
    "thanh cơ sở.\n- Treo băng rôn, khẩu hiệu.\n\nIII. TỔ CHỨC THỰC HIỆN\n"
    "1. Ủy ban nhân dân phường\n- Chỉ đạo thực hiện.\n"
)


def test_a_misplaced_section_is_moved_on_the_review_screen_before_saving(world) -> None:
    client = client_for(world.coordinator)
    response = client.post("/ke-hoach/nhap/", {"unit": world.ward.pk, "text": UNPLACED})
    staged = m.PlanImport.objects.get()
    assert response["Location"] == f"/ke-hoach/nhap/{staged.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "CÁCH LÀM" in page and "chưa xác định được" in page.lower()
    assert 'name="role_1"' in page and 'value="other" selected' in page
    client.post(
        response["Location"],
        {
            "phan_loai": "1",
            "role_0": "purposes_requirements",
            "role_1": "forms",
            "role_2": "organisation",
        },
    )
    staged.refresh_from_db()
    assert staged.parsed["sections"][1]["role"] == "forms"
    assert len(staged.parsed["channels"]) == 2
    saved = client.post(
        response["Location"],
        {"assignment_count": 1, "mode_0": "units", "units_0": [world.committee.pk]},
    )
    plan = m.Plan.objects.get()
    assert saved["Location"] == f"/ke-hoach/{plan.pk}/"
    assert plan.channels.count() == 2


def test_an_invalid_section_role_changes_nothing(world) -> None:
    client = client_for(world.coordinator)
    response = client.post("/ke-hoach/nhap/", {"unit": world.ward.pk, "text": UNPLACED})
    staged = m.PlanImport.objects.get()
    before = staged.parsed
    client.post(
        response["Location"],
        {"phan_loai": "1", "role_0": "bogus", "role_1": "forms", "role_2": "organisation"},
    )
    staged.refresh_from_db()
    assert staged.parsed == before

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from kehoach.activities.coverage import coverage
from kehoach.activities.models import Activity, ActivityTopic, Channel
from kehoach.core.testing import (
    ScopedEndpointChecks,
    ScopedViewChecks,
    client_for,
    make_unit,
)
from kehoach.dashboard import tallies
from kehoach.org.models import UnitKind
from kehoach.plans import services
from kehoach.plans.models import AssignmentUnit, Topic
from kehoach.plans.tests.builders import sample_parsed, stage


def ward_plan(world, title="tuyên truyền thực hiện Chỉ thị số 58-CT/TW"):
    parsed = sample_parsed(title=title)
    plan = services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator, parsed)
    )
    Topic.objects.create(plan=plan, order=5, title="Chủ đề thứ hai")
    return plan


def topics_of(plan):
    return list(plan.topics.order_by("order", "pk"))


def log(unit, plan, topics=(), channel=Channel.LOUDSPEAKER, deleted=False, **reach):
    activity = Activity.objects.create(
        unit=unit,
        plan=plan,
        channel=channel,
        date=date(2026, 6, 1),
        deleted_at=timezone.now() if deleted else None,
        **reach,
    )
    for topic in topics:
        ActivityTopic.objects.create(activity=activity, topic=topic)
    return activity


def cell_of(table, unit, key):
    for row in table.rows:
        if row.unit == unit:
            for column, cell in zip(table.columns, row.cells, strict=True):
                if column.key == key:
                    return cell
    raise AssertionError(f"no cell for {unit} / {key}")


@pytest.fixture
def plan(world):
    return ward_plan(world)


@pytest.fixture
def sub_plan(world, plan):
    return services.create_sub_plan(actor=world.secretary, parent=plan, unit=world.cell1)


class TestAggregation:
    def test_rows_are_the_units_with_duties_and_the_units_that_logged(self, world, plan):
        board_activity_unit = world.board
        log(board_activity_unit, plan, topics_of(plan)[:1])
        result = coverage(plan, world.coordinator)
        names = {u.name for u in result.units}
        assert names == {
            world.committee.name,
            world.cell1.name,
            world.cell2.name,
            world.board.name,
        }

    def test_columns_are_the_plan_topics_in_order_and_every_channel(self, world, plan):
        result = coverage(plan, world.coordinator)
        assert [c.key for c in result.topics.columns] == [t.pk for t in topics_of(plan)]
        assert [c.key for c in result.channels.columns] == list(Channel.values)

    def test_cells_count_activities_and_people_reached(self, world, plan):
        first, second = topics_of(plan)
        log(world.cell1, plan, [first], participants=10, listeners=5, views=1)
        log(world.cell1, plan, [first, second], channel=Channel.MEETING, participants=20)
        result = coverage(plan, world.coordinator)
        cell = cell_of(result.topics, world.cell1, first.pk)
        assert (cell.activities, cell.reached) == (2, 36)
        assert (cell_of(result.topics, world.cell1, second.pk).activities) == 1
        loud = cell_of(result.channels, world.cell1, Channel.LOUDSPEAKER)
        assert (loud.activities, loud.reached) == (1, 16)

    def test_deleted_activities_are_not_counted(self, world, plan):
        first = topics_of(plan)[0]
        log(world.cell1, plan, [first], participants=10)
        log(world.cell1, plan, [first], participants=99, deleted=True)
        result = coverage(plan, world.coordinator)
        cell = cell_of(result.topics, world.cell1, first.pk)
        assert (cell.activities, cell.reached) == (1, 10)

    def test_activities_of_other_plans_and_of_another_ward_are_not_counted(self, world, plan):
        first = topics_of(plan)[0]
        other_plan = ward_plan(world, "kế hoạch khác")
        log(world.cell1, other_plan, topics_of(other_plan)[:1], participants=7)
        log(world.other_cell, plan, [first], participants=50)
        result = coverage(plan, world.coordinator)
        assert world.other_cell not in result.units
        assert result.topics.total.activities == 0
        assert cell_of(result.topics, world.cell1, first.pk).empty

    def test_empty_cells_are_flagged(self, world, plan):
        first, second = topics_of(plan)
        log(world.cell1, plan, [first])
        result = coverage(plan, world.coordinator)
        empty = set(result.topics.empty_cells())
        assert (world.cell1.pk, first.pk) not in empty
        assert (world.cell1.pk, second.pk) in empty
        assert (world.cell2.pk, first.pk) in empty
        assert (world.committee.pk, second.pk) in empty

    def test_totals_count_each_activity_once_per_row_and_per_column(self, world, plan):
        first, second = topics_of(plan)
        log(world.cell1, plan, [first, second], participants=3)
        log(world.cell2, plan, [first], channel=Channel.SOCIAL, views=100)
        result = coverage(plan, world.coordinator)
        row = next(r for r in result.topics.rows if r.unit == world.cell1)
        assert (row.total.activities, row.total.reached) == (1, 3)
        first_column = result.topics.totals[0]
        assert (first_column.activities, first_column.reached) == (2, 103)
        assert (result.topics.total.activities, result.topics.total.reached) == (2, 103)
        assert (result.channels.total.activities, result.channels.total.reached) == (2, 103)

    def test_the_question_lists_units_that_have_not_communicated_a_topic(self, world, plan):
        first, second = topics_of(plan)
        log(world.cell1, plan, [first])
        log(world.committee, plan, [second])
        result = coverage(plan, world.coordinator)
        assert result.units_without_topic(first.pk) == [world.committee, world.cell2]
        assert result.units_without_topic(second.pk) == [world.cell1, world.cell2]

    def test_a_secretary_sees_only_the_own_cell_on_the_own_sub_plan(self, world, sub_plan):
        topic = topics_of(sub_plan)[0]
        log(world.cell1, sub_plan, [topic], participants=12)
        result = coverage(sub_plan, world.secretary)
        assert result.units == [world.cell1]
        assert cell_of(result.topics, world.cell1, topic.pk).reached == 12

    def test_a_secretary_may_not_see_the_ward_plan_coverage(self, world, plan):
        with pytest.raises(PermissionDenied):
            coverage(plan, world.secretary)

    def test_the_number_of_queries_does_not_grow_with_units_or_activities(
        self, world, plan, django_assert_num_queries
    ):
        from kehoach.accounts.models import User

        first, second = topics_of(plan)
        log(world.cell1, plan, [first])
        # The tallies this test's open transaction changed are recomputed on the first
        # read; a request reads them already committed.
        tallies.flush()
        # Memberships, the scope's unit ids, units, topics, one aggregate per tally table.
        viewer = User.objects.get(pk=world.coordinator.pk)
        with django_assert_num_queries(6):
            coverage(plan, viewer)
        assignment = plan.assignments.first()
        for i in range(30):
            unit = make_unit(f"Chi bộ {i}", UnitKind.PARTY_CELL, world.ward)
            AssignmentUnit.objects.create(assignment=assignment, unit=unit)
            for k in range(10):
                log(unit, plan, [first, second][: 1 + k % 2], channel=Channel.values[k % 9])
        tallies.flush()
        viewer = User.objects.get(pk=world.coordinator.pk)
        with django_assert_num_queries(6):
            result = coverage(plan, viewer)
        assert len(result.units) == 33 and result.topics.total.activities == 301


class TestMatrixPageOfASubPlan(ScopedViewChecks):
    def url(self, world):
        plan = ward_plan(world)
        sub = services.create_sub_plan(actor=world.secretary, parent=plan, unit=world.cell1)
        return f"/bao-phu/ke-hoach/{sub.pk}/"


class TestExcelOfASubPlan(ScopedViewChecks):
    def url(self, world):
        plan = ward_plan(world)
        sub = services.create_sub_plan(actor=world.secretary, parent=plan, unit=world.cell1)
        return f"/bao-phu/ke-hoach/{sub.pk}/excel/"


class TestMatrixPage:
    def test_a_cell_secretary_without_oversight_is_refused_the_ward_plan(self, world, plan):
        response = client_for(world.secretary).get(f"/bao-phu/ke-hoach/{plan.pk}/")
        assert response.status_code == 403

    def test_another_wards_coordinator_gets_not_found(self, world, plan):
        response = client_for(world.outsider).get(f"/bao-phu/ke-hoach/{plan.pk}/")
        assert response.status_code == 404

    def test_cells_link_to_the_records_and_empty_cells_are_marked(self, world, plan):
        first, second = topics_of(plan)
        log(world.cell1, plan, [first], participants=1234)
        response = client_for(world.coordinator).get(f"/bao-phu/ke-hoach/{plan.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f"/hoat-dong/?unit={world.cell1.pk}&amp;plan={plan.pk}&amp;topic={first.pk}" in html
        assert (
            f"/hoat-dong/?unit={world.cell1.pk}&amp;plan={plan.pk}&amp;channel=loudspeaker" in html
        )
        assert "1 / 1.234" in html
        assert 'id="coverage-topics"' in html and 'id="coverage-channels"' in html
        assert f'<td class="cell empty" data-key="{second.pk}"' in html
        assert f"topic={second.pk}" not in html.split('id="coverage-topics"')[1]

    def test_choosing_a_topic_lists_the_units_that_have_not_communicated_it(self, world, plan):
        first = topics_of(plan)[0]
        log(world.cell1, plan, [first])
        response = client_for(world.coordinator).get(
            f"/bao-phu/ke-hoach/{plan.pk}/", {"topic": first.pk}
        )
        answer = (
            response.content.decode().split('id="units-without-topic"')[1].split("</section>")[0]
        )
        assert world.cell2.name in answer and world.committee.name in answer
        assert world.cell1.name not in answer

    def test_a_topic_of_another_plan_asks_nothing(self, world, plan):
        other = ward_plan(world, "kế hoạch khác")
        response = client_for(world.coordinator).get(
            f"/bao-phu/ke-hoach/{plan.pk}/", {"topic": topics_of(other)[0].pk}
        )
        assert response.status_code == 200
        assert 'id="units-without-topic"' not in response.content.decode()

    def test_the_page_uses_the_same_number_of_queries_for_3_or_30_units_and_10_or_500_activities(
        self, world, plan, django_assert_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        first, second = topics_of(plan)
        for k in range(10):
            log(world.cell1, plan, [first], channel=Channel.values[k % 9])
        tallies.flush()
        client = client_for(world.coordinator)
        url = f"/bao-phu/ke-hoach/{plan.pk}/"
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        assignment = plan.assignments.first()
        for i in range(27):
            unit = make_unit(f"Chi bộ {i}", UnitKind.PARTY_CELL, world.ward)
            AssignmentUnit.objects.create(assignment=assignment, unit=unit)
        activities = [
            Activity(unit=world.cell2, plan=plan, channel=Channel.values[k % 9], participants=k)
            for k in range(490)
        ]
        Activity.objects.bulk_create(activities)
        ActivityTopic.objects.bulk_create(
            ActivityTopic(activity=a, topic=second)
            for a in Activity.objects.filter(unit=world.cell2)
        )
        tallies.rebuild()  # bulk_create sends no signal
        with django_assert_num_queries(len(small)):
            response = client.get(url)
        assert response.content.decode().count("<tr data-unit=") == 2 * 30


class TestExcel:
    def test_the_workbook_has_two_sheets_with_figures_and_shaded_empty_cells(self, world, plan):
        first, second = topics_of(plan)
        log(world.cell1, plan, [first], participants=8)
        response = client_for(world.coordinator).get(f"/bao-phu/ke-hoach/{plan.pk}/excel/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        wb = load_workbook(io.BytesIO(response.content))
        assert len(wb.sheetnames) == 2
        topics_sheet, channels_sheet = wb.worksheets
        units = [topics_sheet.cell(row=r, column=1).value for r in range(5, 8)]
        assert units == [world.committee.name, world.cell1.name, world.cell2.name]
        cell1_row = 6
        assert topics_sheet.cell(row=cell1_row, column=2).value == 1
        assert topics_sheet.cell(row=cell1_row, column=3).value == 8
        filled = topics_sheet.cell(row=cell1_row, column=2).fill.start_color.rgb
        shaded = topics_sheet.cell(row=cell1_row, column=4).fill.start_color.rgb
        assert shaded.endswith("F4CCCC") and not filled.endswith("F4CCCC")
        assert topics_sheet.cell(row=3, column=2).value == first.title
        assert channels_sheet.cell(row=3, column=2).value == str(Channel.PORTAL.label)
        assert channels_sheet.max_column == 2 + 2 * len(Channel.values) + 1

    def test_the_excel_export_is_refused_without_the_right(self, world, plan):
        response = client_for(world.secretary).get(f"/bao-phu/ke-hoach/{plan.pk}/excel/")
        assert response.status_code == 403


class TestCoverageEndpointOfASubPlan(ScopedEndpointChecks):
    def url(self, world):
        plan = ward_plan(world)
        sub = services.create_sub_plan(actor=world.secretary, parent=plan, unit=world.cell1)
        return f"/api/v1/plans/{sub.pk}/coverage"


class TestCoverageEndpoint:
    def _get(self, user, plan):
        return client_for(user).get(f"/api/v1/plans/{plan.pk}/coverage")

    def test_the_endpoint_answers_units_topics_channels_and_cells(self, world, plan):
        first, second = topics_of(plan)
        log(world.cell1, plan, [first], participants=4, views=2)
        data = self._get(world.coordinator, plan).json()
        assert data["plan_id"] == plan.pk
        assert [u["id"] for u in data["units"]] == [
            world.committee.pk,
            world.cell1.pk,
            world.cell2.pk,
        ]
        assert [t["id"] for t in data["topics"]] == [first.pk, second.pk]
        assert [c["code"] for c in data["channels"]] == list(Channel.values)
        assert {
            "unit_id": world.cell1.pk,
            "topic_id": first.pk,
            "activities": 1,
            "reached": 6,
        } in data["topic_cells"]
        assert len(data["topic_cells"]) == 3 * 2
        assert len(data["channel_cells"]) == 3 * len(Channel.values)
        assert [world.cell1.pk, second.pk] in data["empty_topic_cells"]
        assert [world.cell1.pk, first.pk] not in data["empty_topic_cells"]
        assert len(data["empty_topic_cells"]) == 5

    def test_without_the_right_the_endpoint_is_forbidden(self, world, plan):
        assert self._get(world.secretary, plan).status_code == 403

    def test_another_wards_plan_is_not_found(self, world, plan):
        assert self._get(world.outsider, plan).status_code == 404

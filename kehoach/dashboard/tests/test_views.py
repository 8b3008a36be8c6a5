import io
import re

import pytest
from openpyxl import load_workbook

from kehoach.activities.models import Activity
from kehoach.core.testing import client_for
from kehoach.dashboard import charts
from kehoach.dashboard.tests.builders import overdue_tasks, saved_plan, spread

pytestmark = pytest.mark.django_db

URL = "/tong-quan/"
YEAR = "date_from=2026-01-01&date_to=2026-12-31"


def test_anonymous_is_sent_to_sign_in(world):
    response = client_for(None).get(URL)
    assert response.status_code == 302


def test_the_page_has_every_panel_with_charts_and_tables(world):
    plan = saved_plan(world)
    spread(world, plan, 30)
    overdue_tasks(world, plan)
    response = client_for(world.coordinator).get(f"{URL}?plan={plan.pk}&{YEAR}")
    assert response.status_code == 200
    html = response.content.decode()
    for panel in (
        "panel-over-time",
        "panel-channel",
        "panel-topic",
        "panel-audience",
        "panel-heatmap",
        "panel-reports",
        "panel-tasks",
        "panel-concerns",
        "panel-exemplars",
        "panel-content",
    ):
        assert f'id="{panel}"' in html
    assert 'id="filter-quarter"' in html and 'name="quy"' in html
    assert 'class="cell"' in html and 'id="heatmap"' in html
    assert html.count("<svg") >= 6
    assert 'viewBox="0 0' in html and 'width="100%"' in html


def test_heat_map_cells_link_to_the_activities_behind_them(world):
    plan = saved_plan(world)
    spread(world, plan, 30)
    html = client_for(world.coordinator).get(f"{URL}?plan={plan.pk}&{YEAR}").content.decode()
    match = re.search(r'<a class="cell" id="heatmap-cell-(\d+)-(\d+)" href="([^"]+)"', html)
    assert match
    href = match.group(3).replace("&amp;", "&")
    assert href.startswith("/hoat-dong/?")
    assert f"unit={match.group(1)}" in href and f"topic={match.group(2)}" in href
    assert f"plan={plan.pk}" in href


def test_a_cell_head_sees_only_their_units_in_the_heat_map(world):
    plan = saved_plan(world)
    spread(world, plan, 30)
    html = client_for(world.secretary).get(f"{URL}?plan={plan.pk}&{YEAR}").content.decode()
    cells = set(re.findall(r'id="heatmap-cell-(\d+)-', html))
    assert cells == {str(world.cell1.pk)}
    assert world.cell2.name not in html


def test_an_outsider_cannot_open_le_chans_plan_or_unit(world):
    plan = saved_plan(world)
    client = client_for(world.outsider)
    assert client.get(f"{URL}?plan={plan.pk}").status_code == 404
    assert client.get(f"{URL}?unit={world.cell1.pk}").status_code == 404
    html = client.get(URL).content.decode()
    assert world.ward.name not in html


def test_people_without_a_dashboard_role_see_a_notice(world):
    from kehoach.accounts.models import Role
    from kehoach.core.testing import make_user

    officer = make_user("canbo", unit=world.cell1, role=Role.OFFICER)
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    assert 'id="dashboard-not-allowed"' in response.content.decode()
    assert client_for(officer).get(URL + "excel/").status_code == 403


def test_the_page_query_count_is_constant(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = saved_plan(world)
    spread(world, plan, 5, seed=5)
    client = client_for(world.coordinator)
    url = f"{URL}?plan={plan.pk}&{YEAR}"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    spread(world, plan, 80, seed=6)
    overdue_tasks(world, plan)
    assert count() == small
    assert small <= 40


def test_the_excel_export_has_a_sheet_per_panel_with_the_same_figures(world):
    plan = saved_plan(world)
    spread(world, plan, 30)
    response = client_for(world.coordinator).get(f"{URL}excel/?plan={plan.pk}&{YEAR}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) >= 9
    by_channel = book.worksheets[1]
    total = sum(row[1] for row in by_channel.iter_rows(min_row=2, values_only=True))
    expected = Activity.objects.filter(
        plan=plan, unit__in=[world.cell1, world.cell2, world.committee]
    ).count()
    assert total == expected


def test_svg_escapes_text():
    svg = charts.bar_chart('<script>alert("x")</script>', [("<b>&", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg
    stacked = charts.stacked_chart("t", ["<i>"], [("<x>", [1])])
    assert "<i>" not in stacked and "<x>" not in stacked
    heat = charts.heat_map("<h>", [(1, "<u>", [2])], [(9, "<t>")], lambda u, t: "/?a=1&b=2", peak=2)
    assert "<u>" not in heat and "<t>" not in heat and "&amp;b=2" in heat


def test_charts_have_a_title_and_text_labels():
    svg = charts.bar_chart("Hoạt động", [("Cổng", 1234)])
    assert "<title>Hoạt động</title>" in svg
    assert "Cổng</text>" in svg


def test_infographic_buttons_follow_the_right_to_make_them(world):
    from kehoach.accounts.models import Role
    from kehoach.core.testing import make_user
    from kehoach.dashboard.tests.test_infographics import make_indicator
    from kehoach.reports.tests.builders import reporting_world

    rw = reporting_world(world)
    indicator = make_indicator(world)
    leader = make_user("lanhdao", unit=world.ward, role=Role.LEADER)
    html = client_for(leader).get(f"{URL}?plan={rw.plan.pk}").content.decode()
    assert f'action="/infographic/ky/{rw.period.pk}/"' in html
    assert f'action="/infographic/chi-tieu/{indicator.pk}/"' in html
    # The status is a Vietnamese word, not a code.
    assert ">on_track<" not in html and ">off_track<" not in html
    # A cell head sees their dashboard but may not make the ward's period infographic.
    html = client_for(world.secretary).get(f"{URL}?plan={rw.plan.pk}").content.decode()
    assert "/infographic/ky/" not in html


def test_a_leaders_infographic_opens_as_a_draft_with_its_three_downloads(world, settings, tmp_path):
    from kehoach.accounts.models import Role
    from kehoach.content.models import ContentItem
    from kehoach.core.testing import make_user
    from kehoach.reports.tests.builders import reporting_world

    settings.MEDIA_ROOT = tmp_path
    rw = reporting_world(world)
    leader = make_user("lanhdao", unit=world.ward, role=Role.LEADER)
    client = client_for(leader)
    response = client.post(f"/infographic/ky/{rw.period.pk}/")
    item = ContentItem.objects.get()
    assert response["Location"] == f"/noi-dung/{item.pk}/"
    html = client.get(response["Location"]).content.decode()
    for size in ("square", "story", "poster"):
        assert f'href="/infographic/{item.pk}/{size}.png"' in html
    png = client.get(f"/infographic/{item.pk}/square.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"

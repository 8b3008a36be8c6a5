"""The ward at a glance on a phone: thuongvu opens the dashboard, filters a quarter, opens a
cell of the heat map, then turns a target's progress into an infographic and downloads it.
Element ids and names only: the visible text depends on the Vietnamese catalogue."""

import io
import re
from datetime import date

import pytest
from PIL import Image

from kehoach.accounts.models import Role
from kehoach.activities.models import Activity
from kehoach.content.models import ContentItem, ContentKind, ContentStatus
from kehoach.core.testing import PASSWORD, build_world, make_user
from kehoach.dashboard.tests.builders import saved_plan, spread
from kehoach.dashboard.tests.test_infographics import make_indicator
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def test_a_leader_reads_the_dashboard_and_downloads_an_infographic(
    phone, live_server, transactional_db, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    make_user("thuongvu", unit=world.ward, role=Role.LEADER, full_name="Lê Thị Thu")
    plan = saved_plan(world)
    spread(world, plan, 120, seed=3)
    indicator = make_indicator(world)
    base = live_server.url

    sign_in(phone, base, "thuongvu", PASSWORD)
    phone.goto(f"{base}/tong-quan/?plan={plan.pk}")
    assert phone.locator("#panel-heatmap").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The second quarter of 2026 only.
    phone.locator("#filter-quarter select[name=quy]").select_option("2026-Q2")
    phone.locator("#dashboard-filters button[type=submit]").click()
    phone.wait_for_url(re.compile(r".*quy=2026-Q2.*"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # A heat-map cell: its figure is the number of the unit's activities on that topic in
    # the quarter, and it opens exactly those activities.
    cell = next(
        c for c in phone.locator("#heatmap a.cell").all() if c.locator("text").text_content() != "—"
    )
    cell_id = cell.get_attribute("id")
    unit_id, topic_id = (int(x) for x in re.findall(r"\d+", cell_id)[:2])
    expected = (
        Activity.objects.filter(
            plan=plan,
            unit_id=unit_id,
            topic_links__topic_id=topic_id,
            date__range=(date(2026, 4, 1), date(2026, 6, 30)),
            deleted_at__isnull=True,
        )
        .distinct()
        .count()
    )
    assert expected > 0
    # The figure drawn in the cell is that count.
    assert cell.locator("text").text_content().strip() == str(expected)
    cell.click()
    phone.wait_for_url(re.compile(r".*/hoat-dong/\?.*"))
    assert f"unit={unit_id}" in phone.url and f"topic={topic_id}" in phone.url
    assert "date_from=2026-04-01" in phone.url and "date_to=2026-06-30" in phone.url
    assert phone.locator("#totals strong").first.inner_text().split()[0] == str(expected)

    # Back on the dashboard, one click makes the target's infographic as a draft.
    phone.go_back()
    phone.locator(
        f"#panel-targets form[action='/infographic/chi-tieu/{indicator.pk}/'] button"
    ).click()
    phone.wait_for_url(re.compile(r".*/noi-dung/\d+/$"))
    item = ContentItem.objects.get(kind=ContentKind.INFOGRAPHIC)
    assert item.status == ContentStatus.DRAFT and item.unit == world.ward
    with phone.expect_download() as info:
        phone.locator("#download-square").click()
    download = info.value
    path = tmp_path / "square.png"
    download.save_as(path)
    with Image.open(io.BytesIO(path.read_bytes())) as image:
        assert image.format == "PNG" and image.size == (1080, 1080)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

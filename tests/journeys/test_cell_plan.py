import pytest

from kehoach.core.testing import PASSWORD, build_world
from kehoach.plans import services
from kehoach.plans.models import Plan
from kehoach.plans.tests.builders import stage
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def test_a_cell_secretary_reads_the_wards_plan_on_a_phone_and_drafts_the_cells_own(
    phone, live_server, transactional_db
) -> None:
    world = build_world()
    ward_plan = services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )
    sign_in(phone, live_server.url, "chibo1", PASSWORD)
    phone.locator("nav").get_by_role("link", name="Kế hoạch", exact=True).click()
    phone.get_by_role("link", name=ward_plan.title[:30], exact=False).click()
    assert "Định kỳ báo cáo kết quả" in phone.locator("#assignments").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("button", name="Lập dự thảo kế hoạch của đơn vị").click()
    phone.wait_for_selector("h1")
    own = Plan.objects.get(parent=ward_plan)
    assert own.unit == world.cell1
    assert "Căn cứ Kế hoạch" in phone.locator("#basis").inner_text()
    assert "Dự thảo" in phone.content()

"""A resident with no account raises a concern about a broken streetlight; the rule sends it
to Ủy ban nhân dân phường; the committee's head acknowledges and answers it; the resident's
private link shows the answer. Element ids and names only: the Vietnamese text comes with
the catalogue."""

import pytest

from kehoach.accounts.models import Role
from kehoach.core.testing import PASSWORD, build_world, make_user
from kehoach.feedback.models import Category, Concern, ConcernStatus, RoutingRule
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey

ANSWER = "Đã thay bóng đèn đường trước số 5 ngõ 12 ngày 12/6. Cảm ơn bà con đã phản ánh."


def test_a_resident_raises_a_concern_and_reads_the_committees_answer(
    phone, desktop, live_server, transactional_db
) -> None:
    world = build_world()
    RoutingRule.objects.create(ward=world.ward, category=Category.URBAN_ORDER, unit=world.committee)
    make_user("ubnd", unit=world.committee, role=Role.HEAD, full_name="Phạm Văn Ủy")

    # The resident, on a phone, signed in nowhere.
    phone.goto(f"{live_server.url}/y-kien/gui/{world.ward.pk}/")
    phone.locator("#id_category").select_option(Category.URBAN_ORDER)
    phone.locator("#id_place").fill("Ngõ 12 Hàng Kênh, tổ dân phố số 1")
    phone.locator("#id_summary").fill("Đèn đường trước số 5 ngõ 12 bị hỏng hơn một tuần.")
    phone.locator("#id_wants_answer").check()
    phone.locator("#id_resident_contact").fill("0912 345 678")
    phone.locator("#send-concern").click()
    phone.wait_for_url(f"{live_server.url}/y-kien/theo-doi/**")

    concern = Concern.objects.get()
    assert concern.unit == world.committee
    assert concern.resident_contact == "0912 345 678"
    assert phone.locator("#concern-code").inner_text() == concern.code
    follow = phone.locator("#concern-link").get_attribute("href")
    assert follow.endswith(f"/y-kien/theo-doi/{concern.token}/")
    assert phone.locator(".public-state").get_attribute("data-status") == "new"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The committee's head acknowledges and answers.
    sign_in(desktop, live_server.url, "ubnd", PASSWORD)
    desktop.goto(f"{live_server.url}/y-kien/{concern.pk}/")
    assert "0912 345 678" in desktop.locator("#concern-contact").inner_text()
    desktop.locator("#acknowledge").click()
    desktop.wait_for_selector('#concern-state[data-status="acknowledged"]')
    desktop.locator("#id_answer").fill(ANSWER)
    desktop.locator("#save-answer").click()
    desktop.wait_for_selector('#concern-state[data-status="answered"]')

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ANSWERED and concern.answer == ANSWER

    # The resident opens the private link again and reads the answer; no staff name shows.
    phone.goto(follow)
    assert phone.locator("#concern-answer").inner_text().strip() == ANSWER
    assert phone.locator(".public-state").get_attribute("data-status") == "answered"
    assert "Phạm Văn Ủy" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

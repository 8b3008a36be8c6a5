import io

import pytest
from PIL import Image

from kehoach.activities.models import Activity
from kehoach.core.demo import FIXTURE
from kehoach.core.testing import PASSWORD, build_world, client_for
from kehoach.plans import services
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def _photo(folder) -> str:
    image = Image.new("RGB", (2400, 1800), (180, 40, 30))
    path = folder / "hop-chi-bo.jpg"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_secretary_logs_an_activity_with_a_photo_and_the_coordinator_sees_it(
    phone, desktop, live_server, transactional_db, tmp_path
) -> None:
    world = build_world()
    staged = services.stage_import(
        actor=world.coordinator, unit=world.ward, data=FIXTURE.read_bytes(), filename=FIXTURE.name
    )
    plan = services.save_import(actor=world.coordinator, staged=staged)
    topic = plan.topics.first()

    # The cell secretary, on a phone: fewer than ten interactions after signing in.
    sign_in(phone, live_server.url, "chibo1", PASSWORD)
    phone.locator("nav").get_by_role("link", name="Hoạt động").click()  # 1
    phone.locator("#log-activity").click()  # 2
    phone.get_by_label(topic.title[:40], exact=False).check()  # 3
    phone.get_by_text("Hội nghị, sinh hoạt chi bộ").click()  # 4
    phone.locator("#results summary").click()  # 5
    phone.get_by_label("Người tham dự").fill("35")  # 6
    phone.locator("#id_photos").set_input_files(_photo(tmp_path))  # 7
    phone.locator("#save-activity").click()  # 8
    phone.wait_for_url(f"{live_server.url}/hoat-dong/*/")

    activity = Activity.objects.get()
    assert activity.unit == world.cell1 and activity.plan == plan
    assert list(activity.topics.all()) == [topic]
    assert activity.participants == 35
    photo = activity.evidence.get()
    assert max(Image.open(photo.file).size) <= 1600
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The coordinator finds it in the coverage matrix.
    sign_in(desktop, live_server.url, "xaydungdang", PASSWORD)
    desktop.goto(f"{live_server.url}/bao-phu/ke-hoach/{plan.pk}/")
    row = desktop.locator("tr", has_text="Chi bộ Tổ dân phố số 1").first
    assert "1" in row.inner_text() and "35" in row.inner_text()

    # The other cell can neither see nor change it.
    other = client_for(world.secretary2)
    assert other.get(f"/hoat-dong/{activity.pk}/").status_code == 404
    assert other.post(f"/hoat-dong/{activity.pk}/xoa/").status_code == 404
    activity.refresh_from_db()
    assert activity.deleted_at is None

"""An exemplar from nomination to commendation: chibo1 nominates on a phone with a photo,
xaydungdang verifies, thuongvu commends. Element ids and names only: the visible text
depends on the Vietnamese catalogue."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from kehoach.accounts.models import Role
from kehoach.activities.models import Notification
from kehoach.core.testing import PASSWORD, build_world, client_for, make_user
from kehoach.exemplars.models import Exemplar, Stage
from tests.journeys.conftest import sign_in

pytestmark = pytest.mark.journey


def _photo(folder) -> str:
    path = folder / "dan-van-kheo.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (20, 120, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _sign_out(page) -> None:
    page.locator("form.signout button").click()
    page.wait_for_load_state()


def test_an_exemplar_is_nominated_verified_and_commended(
    phone, desktop, live_server, transactional_db, tmp_path
) -> None:
    world = build_world()
    leader = make_user("thuongvu", unit=world.ward, role=Role.LEADER, full_name="Lê Thị Thu")
    base = live_server.url

    # The cell secretary nominates on a phone, with a photo.
    sign_in(phone, base, "chibo1", PASSWORD)
    phone.goto(f"{base}/dien-hinh/")
    phone.locator("#nominate-exemplar").click()
    phone.locator("input[name=kind][value=model]").check()
    phone.locator("#id_field").select_option("mass_mobilisation")
    phone.locator("#id_name").fill("Mô hình Dân vận khéo ngõ 12")
    phone.locator("#id_story").fill("Vận động 40 hộ hiến đất mở rộng ngõ.")
    phone.locator("#id_evidence").fill("Biên bản họp tổ dân phố.")
    phone.locator("#id_photos").set_input_files(_photo(tmp_path))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("#save-exemplar").click()
    phone.wait_for_url(f"{base}/dien-hinh/*/")

    exemplar = Exemplar.objects.get()
    assert exemplar.unit == world.cell1 and exemplar.stage == Stage.NOMINATED
    assert exemplar.kind == "model" and exemplar.field == "mass_mobilisation"
    assert max(Image.open(exemplar.photos.get().file).size) <= 1600
    assert phone.locator("#photos img").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    detail = f"{base}/dien-hinh/{exemplar.pk}/"

    # The coordinator finds it in the registry and verifies it.
    sign_in(desktop, base, "xaydungdang", PASSWORD)
    desktop.goto(f"{base}/dien-hinh/?stage=nominated")
    desktop.locator(f"#exemplar-{exemplar.pk} a.exemplar-name").click()
    desktop.wait_for_url(detail)
    desktop.locator("#verify-exemplar").click()
    desktop.wait_for_url(detail)
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.VERIFIED and exemplar.verified_by == world.coordinator
    assert Notification.objects.filter(user=leader, link=f"/dien-hinh/{exemplar.pk}/").exists()

    # A member of the standing committee commends it: form and date.
    _sign_out(desktop)
    sign_in(desktop, base, "thuongvu", PASSWORD)
    desktop.goto(detail)
    desktop.locator("#id_form").fill("Giấy khen của Đảng ủy phường")
    today = timezone.localdate()
    desktop.locator("#id_on").fill(today.isoformat())
    desktop.locator("#commend-exemplar").click()
    desktop.wait_for_url(detail)
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.COMMENDED
    assert exemplar.commendation_form == "Giấy khen của Đảng ủy phường"
    assert exemplar.commended_on == today and exemplar.commended_by == leader
    assert desktop.locator("#commendation").is_visible()

    # The other cell still cannot see it.
    assert client_for(world.secretary2).get(f"/dien-hinh/{exemplar.pk}/").status_code == 404

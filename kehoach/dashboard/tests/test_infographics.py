"""Infographics: exact PNG sizes, a real glyph for every Vietnamese letter, Vietnamese
number format, a draft content item with three images, scope and permissions, the API."""

import io
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from PIL import Image, ImageChops, ImageDraw

from kehoach.accounts.services import issue_token
from kehoach.content.models import ContentItem, ContentKind, ContentStatus
from kehoach.core.testing import ScopedViewChecks, client_for
from kehoach.dashboard import infographic_services as services
from kehoach.dashboard import infographics as ig
from kehoach.indicators.models import Indicator, Measurement, Target
from kehoach.reports.models import ReportStatus, UnitReport
from kehoach.reports.tests.builders import reporting_world

VOWELS = "AĂÂEÊIOÔƠUƯYaăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE = sorted(
    {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | set("Đđ")
)
MISSING = "\ue000"  # private use: no font has it, so it draws the .notdef box


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def example_spec(**changes) -> ig.Spec:
    spec = ig.Spec(
        title="Tăng trưởng GRDP bình quân hằng năm đạt từ 13% trở lên, phấn đấu 14%",
        ward="Đảng ủy phường Hồng Bàng",
        period="Quý I/2026",
        source="Nguồn: Ủy ban nhân dân phường",
        figures=[ig.Figure(12, "hoạt động"), ig.Figure(27018, "lượt người")],
        progress=ig.Progress(Decimal("12.5"), 13, "so với chỉ tiêu năm 2026"),
    )
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


def glyph(char: str, weight: str) -> Image.Image:
    face = ig.font(weight, 64)
    image = Image.new("L", (128, 128), 0)
    ImageDraw.Draw(image).text((16, 16), char, font=face, fill=255)
    return image


def make_indicator(world, *, responsible=None, example=True) -> Indicator:
    indicator = Indicator.objects.create(
        ward=world.ward,
        programme="Chương trình hành động 20-CTr/TU",
        name="Tốc độ tăng trưởng GRDP",
        measure="%",
        baseline=Decimal("10"),
        baseline_year=2025,
        responsible=responsible or world.cell1,
        is_example=example,
    )
    Target.objects.create(indicator=indicator, year=2026, value=Decimal("13"))
    Measurement.objects.create(
        indicator=indicator,
        period_label="Quý I/2026",
        as_of=date(2026, 3, 31),
        value=Decimal("12.5"),
        source="Chi cục Thống kê",
    )
    return indicator


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(actor=user)}"})


# ---------------------------------------------------------------- rendering


@pytest.mark.parametrize("size", list(ig.SIZES))
def test_each_size_is_a_png_of_exactly_its_pixels(size):
    data = ig.render(example_spec(), size)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == ig.SIZES[size]


def test_the_poster_is_marked_300_dpi():
    with Image.open(io.BytesIO(ig.render(example_spec(), "poster"))) as image:
        assert round(image.info["dpi"][0]) == 300


@pytest.mark.parametrize("weight", ["Roboto", "RobotoMedium", "RobotoBold", "RobotoBlack"])
def test_every_vietnamese_letter_draws_a_real_glyph_not_the_missing_box(weight):
    missing = glyph(MISSING, weight)
    boxes = [
        ch
        for ch in VIETNAMESE
        if ImageChops.difference(glyph(ch, weight), missing).getbbox() is None
    ]
    assert len(VIETNAMESE) == 146
    assert boxes == []


def test_every_character_of_an_infographics_text_draws_a_real_glyph(world):
    text = ig.spec_text(services.target_spec(make_indicator(world), world.ward))
    missing = glyph(MISSING, "RobotoBold")
    chars = {ch for ch in text if not ch.isspace()}
    assert {"Đ", "ă", "ư"} <= chars | set(text.upper())
    boxes = [
        ch
        for ch in chars
        if ImageChops.difference(glyph(ch, "RobotoBold"), missing).getbbox() is None
    ]
    assert boxes == []


def test_decomposed_text_is_drawn_exactly_like_composed_text():
    decomposed = unicodedata.normalize("NFD", "Tăng trưởng kinh tế phường")
    composed = unicodedata.normalize("NFC", decomposed)
    assert ig.render(example_spec(title=decomposed), "square") == ig.render(
        example_spec(title=composed), "square"
    )
    assert ig.wrap(decomposed, ig.font("Roboto", 30), 2000) == [composed]


def test_the_text_changes_the_picture():
    assert ig.render(example_spec(), "square") != ig.render(
        example_spec(title="Xây dựng Đảng"), "square"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (27018, "27.018"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("13.0000"), "13"),
        (12.25, "12,25"),
        (-1234567, "-1.234.567"),
        (None, "–"),
    ],
)
def test_numbers_are_written_the_vietnamese_way(value, expected):
    assert ig.vn_number(value) == expected


def test_long_words_wrap_inside_the_width():
    face = ig.font("RobotoBlack", 64)
    lines = ig.wrap("Chương trình hành động " + "x" * 80, face, 500)
    assert len(lines) > 2
    assert all(face.getlength(line) <= 500 for line in lines)


# ---------------------------------------------------------------- specs and saving


def test_a_targets_spec_shows_latest_value_target_progress_and_example_note(world):
    spec = services.target_spec(make_indicator(world), world.ward)
    text = ig.spec_text(spec)
    assert unicodedata.is_normalized("NFC", text)
    assert spec.figures[0].value == Decimal("12.5")
    assert "12,5%" in text and "13%" in text
    assert "96,2%" in text  # 12,5 / 13
    assert world.ward.name.upper() in text
    assert "Chi cục Thống kê" in spec.source
    assert spec.note == services.EXAMPLE_NOTE


def test_a_periods_spec_adds_up_the_accepted_reports(world):
    rw = reporting_world(world)
    UnitReport.objects.filter(pk=rw.report1.pk).update(
        status=ReportStatus.ACCEPTED, figures={"activities": 12, "reached": 27018}
    )
    spec = services.period_spec(rw.period, world.ward)
    text = ig.spec_text(spec)
    assert [f.value for f in spec.figures[:2]] == [12, 27018]
    assert "27.018" in text
    assert "01/05/2026" in spec.period and "31/05/2026" in spec.period


def test_the_secretary_makes_a_draft_infographic_with_three_images(world):
    item = services.make_infographic(
        actor=world.secretary, kind="target", indicator=make_indicator(world)
    )
    item.refresh_from_db()
    assert item.kind == ContentKind.INFOGRAPHIC
    assert item.status == ContentStatus.DRAFT
    assert item.unit == world.cell1
    assert sorted(t.outlet for t in item.targets.all()) == ["portal", "social"]
    media = {m.original_name: m for m in item.media.all()}
    assert set(media) == {f"infographic-{s}.png" for s in ig.SIZES}
    for size, (width, height) in ig.SIZES.items():
        m = media[f"infographic-{size}.png"]
        with Image.open(m.file.open("rb")) as image:
            assert image.size == (width, height) == (m.width, m.height)


def test_the_coordinator_makes_a_periods_infographic_for_the_ward(world):
    rw = reporting_world(world)
    item = services.make_infographic(actor=world.coordinator, kind="period", period=rw.period)
    assert item.unit == world.ward
    assert item.plan == rw.plan
    assert item.media.count() == 3


def test_a_leader_makes_the_wards_period_infographic_which_still_waits_for_review(world):
    from kehoach.accounts.models import Role
    from kehoach.core.testing import make_user

    rw = reporting_world(world)
    leader = make_user("thuongvu-test", unit=world.ward, role=Role.LEADER)
    item = services.make_infographic(actor=leader, kind="period", period=rw.period)
    assert item.unit == world.ward
    assert item.status == ContentStatus.DRAFT
    assert item.created_by == leader
    # A leader draws the infographic but writes no other content.
    from kehoach.content import services as content

    with pytest.raises(PermissionDenied):
        content.create_item(
            actor=leader, unit=world.ward, kind=ContentKind.NEWS, title="Tin", outlets=["portal"]
        )


def test_another_cell_may_not_make_an_infographic_of_cell1s_target(world):
    indicator = make_indicator(world)
    with pytest.raises(PermissionDenied):
        services.make_infographic(actor=world.secretary2, kind="target", indicator=indicator)
    with pytest.raises(PermissionDenied):
        services.make_infographic(actor=world.outsider, kind="target", indicator=indicator)
    assert not ContentItem.objects.exists()


def test_a_cell_may_not_make_the_wards_period_infographic(world):
    rw = reporting_world(world)
    with pytest.raises(PermissionDenied):
        services.make_infographic(actor=world.secretary, kind="period", period=rw.period)


# ---------------------------------------------------------------- pages


def test_the_button_makes_one_and_opens_the_content_item(world):
    indicator = make_indicator(world)
    response = client_for(world.secretary).post(f"/infographic/chi-tieu/{indicator.pk}/")
    item = ContentItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/noi-dung/{item.pk}/"


def test_making_needs_a_post(world):
    indicator = make_indicator(world)
    assert (
        client_for(world.secretary).get(f"/infographic/chi-tieu/{indicator.pk}/").status_code == 405
    )


def test_the_page_buttons_refuse_out_of_scope_people(world):
    indicator = make_indicator(world)
    rw = reporting_world(world)
    assert (
        client_for(world.outsider).post(f"/infographic/chi-tieu/{indicator.pk}/").status_code == 404
    )
    assert (
        client_for(world.secretary2).post(f"/infographic/chi-tieu/{indicator.pk}/").status_code
        == 403
    )
    assert client_for(world.outsider).post(f"/infographic/ky/{rw.period.pk}/").status_code == 404
    assert client_for(world.coordinator).post(f"/infographic/ky/{rw.period.pk}/").status_code == 302


class TestDownload(ScopedViewChecks):
    def url(self, world):
        item = services.make_infographic(
            actor=world.secretary, kind="target", indicator=make_indicator(world)
        )
        return f"/infographic/{item.pk}/story.png"

    def test_the_download_is_the_png_of_that_size(self, world):
        response = client_for(world.secretary).get(self.url(world))
        assert response["Content-Type"] == "image/png"
        assert "attachment" in response["Content-Disposition"]
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
            assert image.size == (1080, 1920)

    def test_an_unknown_size_is_not_found(self, world):
        url = self.url(world).replace("story", "banner")
        assert client_for(world.secretary).get(url).status_code == 404


# ---------------------------------------------------------------- API


def test_the_api_makes_an_infographic_and_lists_its_images(world):
    indicator = make_indicator(world)
    response = api(world.secretary).post(
        "/api/v1/infographics",
        {"kind": "target", "indicator_id": indicator.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    item = ContentItem.objects.get(pk=body["content_id"])
    assert item.status == ContentStatus.DRAFT
    assert [(i["size"], i["width"], i["height"]) for i in body["images"]] == [
        ("square", 1080, 1080),
        ("story", 1080, 1920),
        ("poster", 2480, 3508),
    ]
    assert client_for(world.secretary).get(body["images"][0]["url"]).status_code == 200


def test_the_api_scopes_and_validates(world):
    indicator = make_indicator(world)
    rw = reporting_world(world)

    def post(user, data):
        return api(user).post("/api/v1/infographics", data, content_type="application/json")

    assert (
        Client().post("/api/v1/infographics", {}, content_type="application/json").status_code
        == 401
    )
    assert post(world.outsider, {"kind": "target", "indicator_id": indicator.pk}).status_code == 404
    assert (
        post(world.secretary2, {"kind": "target", "indicator_id": indicator.pk}).status_code == 403
    )
    assert post(world.secretary, {"kind": "period", "period_id": rw.period.pk}).status_code == 403
    assert post(world.coordinator, {"kind": "period", "period_id": rw.period.pk}).status_code == 201
    assert post(world.secretary, {"kind": "target"}).status_code == 422
    assert post(world.secretary, {"kind": "chart"}).status_code == 422

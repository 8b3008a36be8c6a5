"""The copy-ready package for social pages: text with hashtags, images letterboxed to the
platforms' sizes, for people who may see the item and nobody else."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kehoach.content.models import ContentMedia
from kehoach.content.social import PAD_COLOUR, SIZES, build_package, hashtag_list, letterbox
from kehoach.content.tests.test_public import add_image, make_item
from kehoach.core.testing import ScopedViewChecks, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(item) -> str:
    return f"/tin/noi-dung/{item.pk}/goi-mang-xa-hoi.zip"


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


class TestPackageDownload(ScopedViewChecks):
    def url(self, world):
        return url(make_item(world, status="draft"))


def test_the_download_is_a_zip_attachment_named_after_the_item(world):
    item = make_item(world)
    response = client_for(world.secretary).get(url(item))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{item.slug}-mang-xa-hoi.zip"'
    assert "text.txt" in open_zip(response.content).namelist()


def test_the_text_holds_title_lead_body_and_hashtags_in_order(world):
    item = make_item(
        world,
        title="Tiêu đề",
        summary="Sa pô",
        body="Nội dung bài.",
        hashtags="an toàn giao thông, #Chỉ thị 58",
    )
    text = open_zip(build_package(item)).read("text.txt").decode("utf-8")
    assert text == "Tiêu đề\n\nSa pô\n\nNội dung bài.\n\n#antoàngiaothông #Chỉthị58\n"


@pytest.mark.parametrize(
    ("raw", "tags"),
    [
        ("", []),
        ("#a #b", ["#a", "#b"]),
        ("a b a", ["#a", "#b"]),
        ("Quê hương, ##Biển đảo , ", ["#Quêhương", "#Biểnđảo"]),
    ],
)
def test_hashtags_are_one_tag_per_phrase_with_a_single_hash(raw, tags):
    assert hashtag_list(raw) == tags


def test_each_image_comes_in_the_three_platform_sizes_as_jpeg(world):
    item = make_item(world)
    add_image(item, size=(400, 300), name="mot.jpg")
    add_image(item, size=(300, 400), name="hai.jpg")
    archive = open_zip(build_package(item))
    names = sorted(n for n in archive.namelist() if n.endswith(".jpg"))
    assert len(names) == 6
    for number in (1, 2):
        for name, size in SIZES.items():
            with Image.open(io.BytesIO(archive.read(f"anh-{number:02d}-{name}.jpg"))) as image:
                assert image.format == "JPEG"
                assert image.size == size


def test_a_wide_image_is_letterboxed_not_stretched():
    # red 400×100 (4:1) into a 1080×1080 square → a 1080×270 red band, padding above and below
    out = letterbox(Image.new("RGB", (400, 100), (255, 0, 0)), (1080, 1080))
    assert out.size == (1080, 1080)
    assert out.getpixel((540, 10)) == PAD_COLOUR
    assert out.getpixel((540, 1070)) == PAD_COLOUR
    red = out.getpixel((540, 540))
    assert red[0] > 240 and red[1] < 15 and red[2] < 15
    band = [y for y in range(1080) if out.getpixel((540, y))[1] < 128]
    assert abs(len(band) - 270) <= 2


def test_a_tall_image_is_pillarboxed_in_the_link_size():
    out = letterbox(Image.new("RGB", (100, 200), (0, 0, 255)), (1200, 630))
    assert out.size == (1200, 630)
    assert out.getpixel((5, 315)) == PAD_COLOUR
    assert out.getpixel((1195, 315)) == PAD_COLOUR
    columns = [x for x in range(1200) if out.getpixel((x, 315))[0] < 128]
    assert abs(len(columns) - 315) <= 2


def test_a_transparent_png_gets_the_padding_colour_behind_it():
    out = letterbox(Image.new("RGBA", (50, 50), (0, 0, 0, 0)), (1080, 1080))
    assert out.mode == "RGB"
    assert out.getpixel((540, 540)) == PAD_COLOUR


def test_an_unreadable_image_is_left_out_and_the_rest_still_comes(world):
    item = make_item(world)
    ContentMedia.objects.create(
        item=item,
        kind="image",
        file=SimpleUploadedFile("hong.jpg", b"not an image"),
        content_type="image/jpeg",
    )
    add_image(item)
    names = open_zip(build_package(item)).namelist()
    assert "text.txt" in names
    assert [n for n in names if n.startswith("anh-02-")] and not [
        n for n in names if n.startswith("anh-01-")
    ]


def test_audio_and_video_are_not_put_in_the_package(world):
    item = make_item(world)
    ContentMedia.objects.create(
        item=item, kind="audio", file=SimpleUploadedFile("a.mp3", b"ID3"), content_type="audio/mpeg"
    )
    assert open_zip(build_package(item)).namelist() == ["text.txt"]

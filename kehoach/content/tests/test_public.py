"""Public pages: published items without sign-in, nothing else, everything escaped."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from kehoach.content.models import ContentItem, ContentMedia, ContentTarget

pytestmark = pytest.mark.django_db


def make_item(world, *, slug="tin-moi", status="published", outlets=("portal",), unit=None, **kw):
    values = {
        "unit": unit or world.cell1,
        "kind": "news",
        "title": "Ra quân vệ sinh môi trường",
        "summary": "Chi bộ 1 ra quân dọn ngõ.",
        "body": "Đoạn một.\n\nĐoạn hai.",
        "slug": slug,
        "status": status,
    }
    if status in ("published", "withdrawn"):
        values["published_at"] = timezone.now() - timedelta(hours=1)
    if status == "withdrawn":
        values["withdrawn_at"] = timezone.now()
    values.update(kw)
    item = ContentItem.objects.create(**values)
    for outlet in outlets:
        ContentTarget.objects.create(item=item, outlet=outlet)
    return item


def jpeg_bytes(size=(40, 20), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def add_image(item, size=(40, 20), name="anh.jpg") -> ContentMedia:
    data = jpeg_bytes(size)
    return ContentMedia.objects.create(
        item=item,
        kind="image",
        file=SimpleUploadedFile(name, data, content_type="image/jpeg"),
        original_name=name,
        content_type="image/jpeg",
        size=len(data),
        width=size[0],
        height=size[1],
    )


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


class TestItemPage:
    def test_a_published_item_is_shown_to_anyone_without_signing_in(self, world):
        item = make_item(world)
        response = Client().get(f"/tin/{item.slug}/")
        assert response.status_code == 200
        assert item.title in response.content.decode()

    def test_the_public_page_does_not_show_the_signed_in_navigation(self, world):
        item = make_item(world)
        html = Client().get(f"/tin/{item.slug}/").content.decode()
        assert 'class="nav"' not in html
        assert world.ward.name in html

    @pytest.mark.parametrize("status", ["draft", "submitted", "approved", "scheduled"])
    def test_an_unpublished_items_address_is_not_found(self, world, status):
        item = make_item(world, status=status)
        assert Client().get(f"/tin/{item.slug}/").status_code == 404

    def test_a_withdrawn_items_page_is_not_found(self, world):
        item = make_item(world, status="withdrawn")
        assert Client().get(f"/tin/{item.slug}/").status_code == 404

    def test_a_published_item_with_a_withdrawal_date_is_not_found(self, world):
        item = make_item(world, withdrawn_at=timezone.now())
        assert Client().get(f"/tin/{item.slug}/").status_code == 404

    def test_markup_typed_by_an_author_is_escaped(self, world):
        item = make_item(
            world,
            title="<script>alert(1)</script>",
            summary="<b>đậm</b>",
            body="<img src=x onerror=alert(2)>",
            hashtags="<i>tag</i>",
        )
        html = Client().get(f"/tin/{item.slug}/").content.decode()
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
        assert "<b>đậm</b>" not in html
        assert "&lt;script&gt;" in html

    def test_a_script_address_in_the_video_link_is_not_rendered(self, world):
        item = make_item(world, video_url="javascript:alert(1)")
        html = Client().get(f"/tin/{item.slug}/").content.decode()
        assert "javascript:" not in html

    def test_a_web_video_link_is_rendered(self, world):
        item = make_item(world, video_url="https://www.youtube.com/watch?v=abc")
        html = Client().get(f"/tin/{item.slug}/").content.decode()
        assert 'id="item-video-link"' in html


class TestItemList:
    def test_the_list_shows_only_public_items_newest_first(self, world):
        older = make_item(world, slug="cu", title="Tin cũ")
        older.published_at = timezone.now() - timedelta(days=3)
        older.save()
        newer = make_item(world, slug="moi", title="Tin mới")
        make_item(world, slug="nhap", title="Bản nháp", status="draft")
        make_item(world, slug="go", title="Đã gỡ", status="withdrawn")
        html = Client().get("/tin/").content.decode()
        assert f'id="item-{newer.pk}"' in html and f'id="item-{older.pk}"' in html
        assert html.index(f'id="item-{newer.pk}"') < html.index(f'id="item-{older.pk}"')
        assert "Bản nháp" not in html and "Đã gỡ" not in html

    def test_the_channel_filter_keeps_the_items_of_that_channel(self, world):
        portal = make_item(world, slug="cong", outlets=("portal",))
        social = make_item(world, slug="mxh", outlets=("social",))
        html = Client().get("/tin/?kenh=social").content.decode()
        assert f'id="item-{social.pk}"' in html
        assert f'id="item-{portal.pk}"' not in html

    def test_an_item_on_two_channels_is_listed_once(self, world):
        item = make_item(world, outlets=("portal", "social"))
        html = Client().get("/tin/").content.decode()
        assert html.count(f'id="item-{item.pk}"') == 1

    def test_an_unknown_channel_shows_all_items(self, world):
        item = make_item(world)
        response = Client().get("/tin/?kenh=<x>")
        assert response.status_code == 200
        assert f'id="item-{item.pk}"' in response.content.decode()

    def test_the_ward_filter_keeps_that_wards_items(self, world):
        own = make_item(world, slug="phuong-nay")
        other = make_item(world, slug="phuong-khac", unit=world.other_cell)
        html = Client().get(f"/tin/?phuong={world.ward.pk}").content.decode()
        assert f'id="item-{own.pk}"' in html
        assert f'id="item-{other.pk}"' not in html

    def test_an_unknown_ward_is_not_found(self, world):
        assert Client().get("/tin/?phuong=abc").status_code == 404
        assert Client().get(f"/tin/?phuong={world.cell1.pk}").status_code == 404

    @pytest.mark.parametrize("count", [1, 15])
    def test_the_list_takes_the_same_number_of_queries_for_few_and_many_items(
        self, world, media_root, count, django_assert_num_queries
    ):
        for n in range(count):
            add_image(make_item(world, slug=f"tin-{n}"))
        # count, page of items, their images
        with django_assert_num_queries(3):
            assert Client().get("/tin/").status_code == 200


class TestMediaFile:
    def test_an_image_of_a_public_item_is_served_without_signing_in(self, world, media_root):
        item = make_item(world)
        image = add_image(item)
        response = Client().get(f"/tin/{item.slug}/tep/{image.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content) == image.file.open("rb").read()

    @pytest.mark.parametrize("status", ["draft", "approved", "withdrawn"])
    def test_an_image_of_an_item_that_is_not_public_is_not_found(self, world, media_root, status):
        item = make_item(world, status=status)
        image = add_image(item)
        assert Client().get(f"/tin/{item.slug}/tep/{image.pk}/").status_code == 404

    def test_an_image_asked_for_under_another_items_address_is_not_found(self, world, media_root):
        public = make_item(world, slug="cong-khai")
        draft = make_item(world, slug="nhap", status="draft")
        image = add_image(draft)
        assert Client().get(f"/tin/{public.slug}/tep/{image.pk}/").status_code == 404

    def test_a_file_whose_type_does_not_match_its_kind_is_downloaded_not_shown(
        self, world, media_root
    ):
        item = make_item(world)
        media = ContentMedia.objects.create(
            item=item,
            kind="image",
            file=SimpleUploadedFile("x.html", b"<script>1</script>"),
            original_name="x.html",
            content_type="text/html",
        )
        response = Client().get(f"/tin/{item.slug}/tep/{media.pk}/")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_the_item_page_links_its_images_through_the_checking_view(self, world, media_root):
        item = make_item(world)
        image = add_image(item)
        html = Client().get(f"/tin/{item.slug}/").content.decode()
        assert f"/tin/{item.slug}/tep/{image.pk}/" in html
        assert "/media/" not in html

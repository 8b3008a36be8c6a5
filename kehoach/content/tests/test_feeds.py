"""The Atom feed per channel: valid XML in the Atom namespace, stable ids, RFC 3339 dates,
absolute links and the first image as an enclosure; withdrawn and unpublished items absent."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kehoach.content.tests.test_public import add_image, make_item

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SITE = "https://phuong.example.vn"


@pytest.fixture(autouse=True)
def site_url(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


def fetch(url: str = "/feeds/portal.atom"):
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root) -> list:
    return root.findall(f"{ATOM}entry")


def entry_titles(root) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in entries(root)]


def parse_date(text: str) -> datetime:
    assert RFC3339.match(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_feed_is_atom_xml_with_a_title_id_and_self_link(world):
    root = fetch()
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title")
    assert root.findtext(f"{ATOM}id")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == f"{SITE}/feeds/portal.atom"
    assert links["alternate"].startswith(f"{SITE}/tin/")
    parse_date(root.findtext(f"{ATOM}updated"))


def test_an_unknown_channel_has_no_feed(world):
    assert Client().get("/feeds/khac.atom").status_code == 404


def test_an_entry_has_a_stable_id_an_absolute_link_and_the_publication_dates(world):
    published = datetime(2025, 3, 4, 1, 30, tzinfo=UTC)
    item = make_item(world, published_at=published)
    [entry] = entries(fetch())
    assert (
        entry.findtext(f"{ATOM}id")
        == f"tag:phuong.example.vn,{item.created_at:%Y-%m-%d}:content/{item.pk}"
    )
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link.get("href") == f"{SITE}/tin/{item.slug}/"
    assert parse_date(entry.findtext(f"{ATOM}published")) == published
    assert parse_date(entry.findtext(f"{ATOM}updated")) >= published
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == world.cell1.name


def test_the_entry_id_survives_a_change_of_title_and_address(world):
    item = make_item(world)
    before = entries(fetch())[0].findtext(f"{ATOM}id")
    item.title, item.slug = "Tiêu đề khác", "dia-chi-khac"
    item.save()
    assert entries(fetch())[0].findtext(f"{ATOM}id") == before


def test_entries_are_newest_first_and_the_feed_updated_is_the_latest(world):
    now = timezone.now()
    make_item(world, slug="cu", title="Cũ", published_at=now - timedelta(days=2))
    make_item(world, slug="moi", title="Mới", published_at=now - timedelta(hours=1))
    root = fetch()
    assert entry_titles(root) == ["Mới", "Cũ"]
    updated = parse_date(root.findtext(f"{ATOM}updated"))
    assert updated == max(parse_date(e.findtext(f"{ATOM}updated")) for e in entries(root))


def test_only_the_channels_public_items_are_in_its_feed(world):
    make_item(world, slug="cong", title="Cổng", outlets=("portal",))
    make_item(world, slug="mxh", title="Mạng xã hội", outlets=("social",))
    make_item(world, slug="nhap", title="Nháp", status="draft")
    make_item(world, slug="duyet", title="Đã duyệt", status="approved")
    make_item(world, slug="go", title="Đã gỡ", status="withdrawn")
    assert entry_titles(fetch()) == ["Cổng"]
    assert entry_titles(fetch("/feeds/social.atom")) == ["Mạng xã hội"]


def test_withdrawing_an_item_removes_its_entry(world):
    item = make_item(world)
    assert len(entries(fetch())) == 1
    item.status, item.withdrawn_at = "withdrawn", timezone.now()
    item.save()
    assert entries(fetch()) == []


def test_the_first_image_is_the_enclosure_with_an_absolute_address(world):
    item = make_item(world)
    first = add_image(item, name="mot.jpg")
    add_image(item, name="hai.jpg")
    [entry] = entries(fetch())
    [enclosure] = entry.findall(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("href") == f"{SITE}/tin/{item.slug}/tep/{first.pk}/"
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length") == str(first.size)
    # and the address really serves the image to anyone
    path = enclosure.get("href").removeprefix(SITE)
    assert Client().get(path).status_code == 200


def test_an_item_without_images_has_no_enclosure(world):
    make_item(world)
    [entry] = entries(fetch())
    assert entry.findall(f"{ATOM}link[@rel='enclosure']") == []


def test_markup_in_the_text_is_escaped_in_summary_and_content(world):
    make_item(world, title="A & <B>", summary="<script>x</script>", body="<img src=x>")
    [entry] = entries(fetch())
    assert entry.findtext(f"{ATOM}title") == "A & <B>"
    # type="html": the reader unescapes once and must get text, not markup
    assert entry.findtext(f"{ATOM}summary") == "&lt;script&gt;x&lt;/script&gt;"
    assert "<img" not in entry.findtext(f"{ATOM}content")
    assert entry.find(f"{ATOM}content").get("type") == "html"


def test_the_ward_filter_keeps_that_wards_items(world):
    make_item(world, slug="nay", title="Phường này")
    make_item(world, slug="khac", title="Phường khác", unit=world.other_cell)
    assert sorted(entry_titles(fetch())) == ["Phường khác", "Phường này"]
    root = fetch(f"/feeds/portal.atom?phuong={world.ward.pk}")
    assert entry_titles(root) == ["Phường này"]
    assert world.ward.name in root.findtext(f"{ATOM}title")


@pytest.mark.parametrize("count", [1, 12])
def test_the_feed_takes_the_same_number_of_queries_for_few_and_many_items(
    world, count, django_assert_num_queries
):
    for n in range(count):
        add_image(make_item(world, slug=f"tin-{n}"))
    with django_assert_num_queries(2):
        fetch()

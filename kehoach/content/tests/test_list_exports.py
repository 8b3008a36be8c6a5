"""Content items and the review queue export with the page's filters and scope."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kehoach.content.models import ContentItem
from kehoach.content.tests.test_public import make_item
from kehoach.content.views import awaiting_review
from kehoach.core.testing import client_for
from kehoach.core.tests.exports import (
    column,
    count_queries,
    csv_table,
    download,
    is_date,
    vi,
    xlsx_table,
)

pytestmark = pytest.mark.django_db


def items(world, n: int = 1, start: int = 0) -> None:
    for i in range(start, start + n):
        make_item(world, slug=f"tin-{i}", title=f"Tin {i}", outlets=("portal", "social"))
        make_item(
            world,
            slug=f"nhap-{i}",
            status="submitted",
            unit=world.cell2,
            submitted_at=timezone.now(),
            title=f"Chờ duyệt {i}",
        )
        make_item(world, slug=f"ngoai-{i}", unit=world.other_cell, title=f"Ngô Quyền {i}")


def test_the_content_export_holds_every_item_the_page_would_list(world) -> None:
    items(world, 30)  # 90 items, more than a page of 50
    response = download(client_for(world.coordinator), reverse("content:list"))
    header, rows = xlsx_table(response)
    expected = ContentItem.objects.for_user(world.coordinator)
    assert sorted(column(header, rows, header[0])) == sorted(i.title for i in expected)
    assert len(rows) == 60
    assert header[:2] == vi("Title", "Kind")
    assert not any(t.startswith("Ngô Quyền") for t in column(header, rows, header[0]))


def test_the_content_export_applies_the_filters(world) -> None:
    items(world, 2)
    client = client_for(world.coordinator)
    header, rows = csv_table(
        download(client, reverse("content:list"), "csv", status="published", outlet="social")
    )
    assert sorted(r[0] for r in rows) == ["Tin 0", "Tin 1"]
    assert all(len(r[9].split("/")) == 3 for r in rows)  # published at, day first
    header, rows = xlsx_table(download(client, reverse("content:list"), status="published"))
    assert all(is_date(v) for v in column(header, rows, header[9]))


def test_a_cell_exports_only_its_own_items(world) -> None:
    items(world)
    header, rows = csv_table(download(client_for(world.secretary), reverse("content:list"), "csv"))
    assert [r[0] for r in rows] == ["Tin 0"]


def test_the_review_queue_exports_what_the_person_may_review(world) -> None:
    items(world, 3)
    response = download(client_for(world.coordinator), reverse("content:review_queue"), "csv")
    header, rows = csv_table(response)
    assert [r[0] for r in rows] == [i.title for i in awaiting_review(world.coordinator)]
    assert len(rows) == 3
    assert [r[-1] for r in rows] == ["0"] * 3
    response = download(client_for(world.secretary), reverse("content:review_queue"), "csv")
    assert csv_table(response)[1] == []


def test_content_exports_cost_the_same_queries_however_many_items(world) -> None:
    items(world)
    client = client_for(world.coordinator)
    for name in ("content:list", "content:review_queue"):
        before = count_queries(lambda name=name: download(client, reverse(name)))
        items(world, 3, start=10 + len(name))
        assert count_queries(lambda name=name: download(client, reverse(name))) == before

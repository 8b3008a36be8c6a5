"""The navigation's addresses are worked out once per URL configuration and prefix: they must
still be right for the page (its item marked), the person (admin items) and a site served
under a prefix."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import clear_script_prefix, reverse, set_script_prefix

from kehoach.core.navigation import ITEMS, items_for

pytestmark = pytest.mark.django_db


def _items(user, path: str) -> list[dict]:
    request = RequestFactory().get(path)
    request.user = user
    return items_for(request)


def test_the_page_being_read_is_the_one_marked(world) -> None:
    items = _items(world.coordinator, reverse("activities:list") + "?trang=2")
    assert [i["url"] for i in items if i["active"]] == [reverse("activities:list")]
    home = _items(world.coordinator, "/")
    assert [i["url"] for i in home if i["active"]] == ["/"]


def test_administrators_alone_see_the_administration_items(world) -> None:
    assert len(_items(world.admin, "/")) == len(ITEMS)
    assert reverse("audit:list") not in {i["url"] for i in _items(world.coordinator, "/")}


def test_a_site_under_a_prefix_links_under_it(world) -> None:
    plain = [i["url"] for i in _items(world.admin, "/")]
    set_script_prefix("/kehoach/")
    try:
        prefixed = [i["url"] for i in _items(world.admin, "/kehoach/")]
    finally:
        clear_script_prefix()
    assert prefixed == ["/kehoach" + url for url in plain]
    assert [i["url"] for i in _items(world.admin, "/")] == plain

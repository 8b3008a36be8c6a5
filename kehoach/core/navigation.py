"""The main navigation; each capability adds its entries here."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[HttpRequest], bool] = lambda request: True


def _is_admin(request: HttpRequest) -> bool:
    return request.user.is_staff


ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home"),
    NavItem(_("Dashboard"), "dashboard:index"),
    NavItem(_("My tasks"), "tasks:mine"),
    NavItem(_("Activities"), "activities:list"),
    NavItem(_("Reports"), "reports:index"),
    NavItem(_("Plans"), "plans:list"),
    NavItem(_("Content"), "content:list"),
    NavItem(_("Loudspeakers"), "broadcasts:schedule"),
    NavItem(_("Residents' concerns"), "feedback:list"),
    NavItem(_("Exemplary models"), "exemplars:registry"),
    NavItem(_("Targets"), "indicators:list"),
    NavItem(_("Units"), "org:tree"),
    NavItem(_("Source documents"), "documents:list"),
    NavItem(_("My account"), "accounts:security"),
    NavItem(_("Audit log"), "audit:list", _is_admin),
    NavItem(_("Data transfer"), "transfer:index", _is_admin),
    NavItem(_("Administration"), "admin:index", _is_admin),
]


@lru_cache(maxsize=8)
def _urls(prefix: str, urlconf: str) -> tuple[str, ...]:
    # Every page shows the navigation: its addresses are worked out once per URL
    # configuration and prefix, not by 17 reverse() calls a request.
    return tuple(reverse(item.url_name, urlconf) for item in ITEMS)


def items_for(request: HttpRequest) -> list[dict]:
    current = request.path
    urls = _urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    result = []
    for item, url in zip(ITEMS, urls, strict=True):
        if not item.visible(request):
            continue
        active = current == url if url == "/" else current.startswith(url)
        result.append({"label": item.label, "url": url, "active": active})
    return result

"""Reads about people and their rights, memoised per request on the user object."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from kehoach.accounts.models import Membership

_CACHE_ATTR = "_kehoach_memberships"


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> MembershipQuerySet:
        """Memberships the person may see: their own and those on units in their scope."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.org.models import Unit

        return self.filter(unit__in=Unit.objects.own_for_user(user))


def memberships_of(user) -> list[Membership]:
    """The person's own memberships on active units, with units loaded; one query a request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from kehoach.accounts.models import Membership

        cached = list(
            Membership.objects.filter(user=user, unit__is_active=True)
            .select_related("unit")
            .order_by("unit__path", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user) -> None:
    from kehoach.org.querysets import forget_scope

    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    forget_scope(user)


def scope_paths(user) -> list[str]:
    return [m.unit.path for m in memberships_of(user)]

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from kehoach.org.models import Unit


class UnitQuerySet(models.QuerySet):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def for_user(self, user) -> UnitQuerySet:
        """The one scope for units: the subtrees of the person's memberships.

        External bodies (the superior, partner agencies) hold no data of their own
        and are named in plans and recipients, so everyone signed in may see them.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.accounts.querysets import scope_paths

        condition = Q(kind="external")
        for path in scope_paths(user):
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def own_for_user(self, user) -> UnitQuerySet:
        """The person's scope without the external bodies everyone may see: the units whose
        plans, tasks, reports and records the person works with."""
        return self.for_user(user).exclude(kind="external")

    def pickable_for(self, user) -> UnitQuerySet:
        """What a picker offers: visible and not retired."""
        return self.for_user(user).active()

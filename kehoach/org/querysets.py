from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from kehoach.org.models import Unit

# A scope up to this many units is filtered by its ids written out; a larger one (a city's
# coordinator) by the subquery. PostgreSQL estimates a subquery on the unit paths badly and
# scans a million activities in parallel for one ward's 60 units (EXPLAIN: 163 ms against
# 39 ms with the ids); docs/benchmarks.md.
SCOPE_IDS_UP_TO = 1000
_SCOPE_ATTR = "_kehoach_scope_ids"
# Bumped whenever a unit or a membership is saved or deleted, so ids remembered on a user
# object earlier in the same request (or test) are read again after the scope changed.
_tree_version = 0


def tree_changed(**kwargs) -> None:
    global _tree_version
    _tree_version += 1


def forget_scope(user) -> None:
    if hasattr(user, _SCOPE_ATTR):
        delattr(user, _SCOPE_ATTR)


class UnitQuerySet(models.QuerySet):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__under=unit.path)

    def for_user(self, user) -> UnitQuerySet:
        """The one scope for units: the subtrees of the person's memberships.

        External bodies (the superior, partner agencies) hold no data of their own
        and are named in plans and recipients, so everyone signed in may see them.
        """
        return self._scoped(user, with_external=True)

    def own_for_user(self, user) -> UnitQuerySet:
        """The person's scope without the external bodies everyone may see: the units whose
        plans, tasks, reports and records the person works with."""
        # Built without the external bodies' OR, so PostgreSQL reads the path index
        # (a LIKE prefix) instead of scanning every unit.
        return self._scoped(user, with_external=False).exclude(kind="external")

    def _scoped(self, user, with_external: bool) -> UnitQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.accounts.querysets import scope_paths

        condition = Q(kind="external") if with_external else Q(pk__in=[])
        for path in scope_paths(user):
            condition |= Q(path__under=path)
        return self.filter(condition)

    def own_scope_for_user(self, user) -> list[int] | UnitQuerySet:
        """`own_for_user` as a value for `unit__in`: the ids, read once per request and
        user object, or the subquery itself for a scope larger than SCOPE_IDS_UP_TO."""
        if not user.is_authenticated or not user.is_active or user.is_staff:
            return self.own_for_user(user)
        cached = getattr(user, _SCOPE_ATTR, None)
        if cached is None or cached[0] != _tree_version:
            # Unordered: the ids only fill an IN; sorting a city's 6,000 units by the
            # default ordering to learn there are more than a thousand was wasted.
            scope = self.own_for_user(user).order_by().values_list("pk", flat=True)
            self.remember_scope(user, list(scope[: SCOPE_IDS_UP_TO + 1]))
            cached = getattr(user, _SCOPE_ATTR)
        return self.own_for_user(user) if cached[1] is None else cached[1]

    def remember_scope(self, user, ids: list[int]) -> None:
        """Keep `ids`, just read from `own_for_user(user)` (whole, or one past the limit), as
        the person's scope for the rest of the request: a page that lists the scope's units
        anyway (the activity filters' unit picker) need not read their ids a second time."""
        if user.is_authenticated and user.is_active and not user.is_staff:
            kept = ids if len(ids) <= SCOPE_IDS_UP_TO else None
            setattr(user, _SCOPE_ATTR, (_tree_version, kept))

    def own_scope_q(self, user, field: str = "unit") -> Q:
        """The person's own scope as a condition on the unit `field` names: its ids for a
        scope up to SCOPE_IDS_UP_TO, else the joined unit's path under theirs. A statement
        that joins the unit anyway (for its name or its place in the tree) then checks its
        own rows instead of probing a list of a city's 6,000 units."""
        nothing = Q(**{f"{field}__any": []})
        own = ~Q(**{f"{field}__kind": "external"})
        if not user.is_authenticated or not user.is_active:
            return nothing
        if user.is_staff:
            return own
        scope = self.own_scope_for_user(user)
        if isinstance(scope, list):
            return Q(**{f"{field}__any": scope})
        from kehoach.accounts.querysets import scope_paths

        condition = Q()
        for path in scope_paths(user):
            condition |= Q(**{f"{field}__path__startswith": path})
        return condition & own if condition else nothing

    def pickable_for(self, user) -> UnitQuerySet:
        """What a picker offers: visible and not retired."""
        return self.for_user(user).active()

"""`field__any=ids`: `field__in=ids`, sent to PostgreSQL as one array parameter.

A person's scope is filtered by its unit ids (up to `org.querysets.SCOPE_IDS_UP_TO`, read once
per request). Written as `IN (%s, %s, …)`, every id is prepared by Django and bound by psycopg
one by one, in every scoped statement: 0.3 ms a statement for a ward's 60 units, 8 ms for
1,000 (bench, PostgreSQL). `= ANY(%s)` with the list as one array costs the same whatever its
length, and PostgreSQL plans both alike. Elsewhere, and for a subquery, it is `IN`.
"""

from __future__ import annotations

from django.db.models import AutoField, BigAutoField, ForeignKey, IntegerField
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any"

    def _ids(self) -> list[int] | None:
        """The right-hand side as plain integers, or None if it is anything else."""
        rhs = self.rhs
        if isinstance(rhs, (list, tuple, set, frozenset)) and all(type(v) is int for v in rhs):
            return list(rhs)
        return None

    def get_prep_lookup(self):
        if self._ids() is not None:
            return self.rhs  # already what the column holds: no per-id preparation
        return super().get_prep_lookup()

    def as_sql(self, compiler, connection):
        ids = self._ids()
        if connection.vendor != "postgresql" or ids is None:
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, ids)


def register() -> None:
    for field in (ForeignKey, IntegerField, AutoField, BigAutoField):
        field.register_lookup(AnyOf)

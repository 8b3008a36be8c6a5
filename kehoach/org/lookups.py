"""`path__under`: `path__startswith`, written on SQLite as GLOB so that a subtree is read from
the path index.

Django writes `startswith` on SQLite as `LIKE 'x%' ESCAPE '\\'`, and SQLite's LIKE ignores
case, so it cannot use an index on a column of the default (binary) collation: reading a
person's scope scanned all units (a city's 6,000: 0.59 ms for a ward's 60 ids). GLOB is
case-sensitive like `startswith` itself, and with a prefix SQLite turns it into a range on the
index (0.04 ms; bench, the city of docs/benchmarks.md). PostgreSQL keeps LIKE, which its
`_like` index serves.

A lookup of its own, used where the units themselves are read (the scope, a subtree), not a
new meaning for every `startswith`: where the units are joined to something ordered by path,
SQLite would then walk all 6,000 units in path order rather than read a plan's 240 reports
and sort them (the city's completeness board 4.0 -> 8.2 ms with it everywhere).
"""

from __future__ import annotations

from django.db.models.lookups import Lookup, StartsWith

# GLOB's own wildcards; a prefix holding one is compared by LIKE, as before.
GLOB_SPECIAL = frozenset("*?[]")


class PathUnder(Lookup):
    lookup_name = "under"

    def as_sql(self, compiler, connection):
        return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        prefix = self.rhs
        if (
            not self.rhs_is_direct_value()
            or not isinstance(prefix, str)
            or GLOB_SPECIAL.intersection(prefix)
        ):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} GLOB %s", [*lhs_params, f"{prefix}*"]

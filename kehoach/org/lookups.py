"""`path__startswith` on SQLite as GLOB, so a subtree is read from the path index.

Django writes `startswith` on SQLite as `LIKE 'x%' ESCAPE '\\'`, and SQLite's LIKE ignores
case, so it cannot use an index on a column of the default (binary) collation: every scope
read scanned all units (a city's 6,000: 0.59 ms for a ward's 60 ids). GLOB is case-sensitive
like `startswith` itself, and with a prefix SQLite turns it into a range on the index (0.04
ms; bench, the city of docs/benchmarks.md). PostgreSQL keeps LIKE, which its `_like` index
serves.
"""

from __future__ import annotations

from django.db.models.lookups import StartsWith

# GLOB's own wildcards; a prefix holding one is compared by LIKE, as before.
GLOB_SPECIAL = frozenset("*?[]")


class PathStartsWith(StartsWith):
    def as_sqlite(self, compiler, connection):
        prefix = self.rhs
        if (
            not self.rhs_is_direct_value()
            or not isinstance(prefix, str)
            or GLOB_SPECIAL.intersection(prefix)
        ):
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} GLOB %s", [*lhs_params, f"{prefix}*"]

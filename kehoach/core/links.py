"""Links to many records of one kind, reversed once.

A page of fifty rows that reverses its detail URL per row spends more time in the URL
resolver than in the database; the pattern only differs by the primary key.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_MARK = 9_876_543_210  # a primary key no route can hold elsewhere in its path


def pk_url(name: str) -> Callable[[int], str]:
    """`url(pk)` for the named route that takes one integer primary key."""
    head, found, tail = reverse(name, args=[_MARK]).partition(str(_MARK))
    if not found:  # pragma: no cover - a route that does not print its key
        return lambda pk: reverse(name, args=[pk])

    def url(pk: int) -> str:
        return f"{head}{int(pk)}{tail}"

    return url

"""Who is acting, from where, under which request: read by the audit signals.

A request sets it in the middleware; a service sets the actor it was given; a
management command runs with source "command". Context variables keep concurrent
requests (threads or async tasks) apart.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    actor: Any = None
    request_id: str = ""
    source: str = "system"


_default_source = "system"
_current: ContextVar[AuditContext | None] = ContextVar("kehoach_audit", default=None)


def set_default_source(source: str) -> None:
    global _default_source
    _default_source = source


def current() -> AuditContext:
    ctx = _current.get()
    return ctx if ctx is not None else AuditContext(source=_default_source)


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def audit_context(**changes: Any) -> Iterator[AuditContext]:
    """Override parts of the current context for the enclosed block."""
    ctx = replace(current(), **changes)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def acting_as(actor: Any) -> "contextmanager[AuditContext]":
    """Used by every service: the explicit actor wins over whatever the request set."""
    return audit_context(actor=actor)

"""Pauses sign-in after repeated failures, per username and per address.

Both keys count: one guards an account against a spray of addresses, the other an
address trying many accounts. Counts live in the cache (Redis when CACHE_URL says so).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from kehoach.core.text import fold


def _keys(username: str, address: str) -> list[str]:
    digest = hashlib.sha256(fold(username).encode()).hexdigest()[:32]
    return [f"login-fail:u:{digest}", f"login-fail:a:{address or '-'}"]


# Many people of one office share an address, so an address gets more tries than a name.
ADDRESS_FACTOR = 4


def is_locked(username: str, address: str) -> bool:
    user_key, address_key = _keys(username, address)
    limit = settings.LOGIN_MAX_FAILURES
    return (cache.get(user_key) or 0) >= limit or (
        cache.get(address_key) or 0
    ) >= limit * ADDRESS_FACTOR


def _bump(keys: list[str]) -> None:
    timeout = settings.LOGIN_LOCKOUT_SECONDS
    for key in keys:
        if cache.add(key, 1, timeout):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout)


def note_failure(username: str, address: str) -> None:
    _bump(_keys(username, address))


def note_success(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _code_keys(user_id: int, address: str) -> list[str]:
    return [f"code-fail:u:{user_id}", f"code-fail:a:{address or '-'}"]


def code_locked(user_id: int, address: str) -> bool:
    """Wrong second-factor codes pause further tries, like wrong passwords do."""
    user_key, address_key = _code_keys(user_id, address)
    limit = settings.LOGIN_MAX_FAILURES
    return (cache.get(user_key) or 0) >= limit or (
        cache.get(address_key) or 0
    ) >= limit * ADDRESS_FACTOR


def note_code_failure(user_id: int, address: str) -> None:
    _bump(_code_keys(user_id, address))


def note_code_success(user_id: int, address: str) -> None:
    cache.delete(_code_keys(user_id, address)[0])

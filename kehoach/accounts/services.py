"""State changes about people: sign-in, tokens, memberships. Each writes its audit entry."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.accounts import policy, throttle
from kehoach.accounts.models import ApiToken, Membership, Role, User
from kehoach.audit.context import acting_as


class LoginLocked(Exception):
    pass


def sign_in(request, *, username: str, password: str) -> User | None:
    """Checks the credentials unless the name or address is paused; counts failures."""
    address = throttle.client_address(request)
    if throttle.is_locked(username, address):
        raise LoginLocked
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle.note_failure(username, address)
        return None
    throttle.note_success(username, address)
    return user


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, actor: User) -> str:
    """Creates a token for the actor and returns it; it cannot be read again."""
    raw = "kh_" + secrets.token_urlsafe(32)
    with transaction.atomic(), acting_as(actor):
        ApiToken.objects.create(
            user=actor,
            prefix=raw[:10],
            key_hash=_hash(raw),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
    return raw


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Writing on every call would make each read a write; once a minute is enough to audit use.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def grant_membership(*, actor: User, user: User, unit, role: str) -> Membership:
    if not policy.can(actor, "accounts.manage_users", unit):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with transaction.atomic(), acting_as(actor):
        membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return membership


def revoke_membership(*, actor: User, membership: Membership) -> None:
    if not policy.can(actor, "accounts.manage_users", membership):
        raise PermissionDenied
    with transaction.atomic(), acting_as(actor):
        membership.delete()

"""State changes about people: sign-in, second factor, tokens, memberships.

Each writes its audit entry.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.accounts import policy, throttle, twofactor
from kehoach.accounts.models import ApiToken, Membership, Role, TwoFactor, User
from kehoach.audit.context import acting_as


class LoginLocked(Exception):
    pass


class CodeLocked(Exception):
    """Too many wrong second-factor codes: tries are paused for a while."""


class WrongCode(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("The code is not right or has already been used. Please try the current one."),
            code="wrong_code",
        )


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


# --- Second factor --------------------------------------------------------------------------


def has_two_factor(user: User) -> bool:
    return TwoFactor.objects.filter(user=user).exists()


def enable_two_factor(*, actor: User, secret: str, code: str, address: str = "") -> list[str]:
    """Turns on the authenticator app the actor scanned; returns recovery codes, shown once."""
    if throttle.code_locked(actor.pk, address):
        raise CodeLocked
    if has_two_factor(actor):
        raise ValidationError(_("Two-step sign-in is already on."))
    step = twofactor.matching_step(secret, code)
    if step is None:
        throttle.note_code_failure(actor.pk, address)
        raise WrongCode
    throttle.note_code_success(actor.pk, address)
    codes = twofactor.new_recovery_codes()
    with transaction.atomic(), acting_as(actor):
        TwoFactor.objects.create(
            user=actor,
            secret=secret,
            recovery_hashes=[twofactor.hash_recovery_code(actor.pk, c) for c in codes],
            recovery_left=len(codes),
            last_step=step,
        )
    return codes


def check_second_factor(*, user: User, code: str, address: str = "") -> str:
    """Accepts a current app code or an unused recovery code; returns which one it was.

    Wrong codes count towards a pause. A recovery code is spent at once.
    """
    if throttle.code_locked(user.pk, address):
        raise CodeLocked
    kind = _spend_code(user, code)
    if kind is None:
        throttle.note_code_failure(user.pk, address)
        raise WrongCode
    throttle.note_code_success(user.pk, address)
    return kind


def _spend_code(user: User, code: str) -> str | None:
    if twofactor.looks_like_totp(code):
        device = TwoFactor.objects.filter(user=user).first()
        if device is None:
            return None
        step = twofactor.matching_step(device.secret, code, after=device.last_step)
        if step is None:
            return None
        # A conditional update: of two requests with the same code only one wins. It is not
        # audited on purpose (it changes at every sign-in and holds nothing worth reading).
        stale = models.Q(last_step__isnull=True) | models.Q(last_step__lt=step)
        updated = TwoFactor.objects.filter(pk=device.pk).filter(stale).update(last_step=step)
        return "totp" if updated else None
    digest = twofactor.hash_recovery_code(user.pk, code)
    with transaction.atomic(), acting_as(user):
        device = TwoFactor.objects.select_for_update().filter(user=user).first()
        if device is None or digest not in device.recovery_hashes:
            return None
        device.recovery_hashes = [h for h in device.recovery_hashes if h != digest]
        device.recovery_left = len(device.recovery_hashes)
        device.save(update_fields=["recovery_hashes", "recovery_left", "updated_at"])
    return "recovery"


def disable_two_factor(*, actor: User, code: str, address: str = "") -> None:
    """The person turns their own second factor off, proving it with a code."""
    check_second_factor(user=actor, code=code, address=address)
    with transaction.atomic(), acting_as(actor):
        for device in TwoFactor.objects.filter(user=actor):
            device.delete()


def regenerate_recovery_codes(*, actor: User, code: str, address: str = "") -> list[str]:
    """New recovery codes replace all the old ones; proven with a current code."""
    check_second_factor(user=actor, code=code, address=address)
    codes = twofactor.new_recovery_codes()
    with transaction.atomic(), acting_as(actor):
        device = TwoFactor.objects.select_for_update().get(user=actor)
        device.recovery_hashes = [twofactor.hash_recovery_code(actor.pk, c) for c in codes]
        device.recovery_left = len(codes)
        device.save(update_fields=["recovery_hashes", "recovery_left", "updated_at"])
    return codes


def reset_two_factor(*, actor: User, user: User) -> bool:
    """An administrator removes the second factor of someone who lost their phone.

    They set it up again at their next sign-in. Returns whether there was one to remove.
    """
    policy.require(actor, "accounts.manage_users")
    with transaction.atomic(), acting_as(actor):
        devices = list(TwoFactor.objects.filter(user=user))
        for device in devices:
            device.delete()
    return bool(devices)

"""Time-based one-time codes (RFC 6238) and recovery codes, with no database writes here.

Services store what these functions compute; views keep the in-between state in the session
under the keys below.
"""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp
import segno
from django.utils.crypto import salted_hmac

from kehoach.accounts.models import Role
from kehoach.accounts.querysets import memberships_of

REQUIRED_ROLES = frozenset({Role.COORDINATOR, Role.LEADER})
RECOVERY_CODE_COUNT = 10
ISSUER = "Kế hoạch"
# One step either side absorbs a phone clock that is up to half a minute off.
DRIFT_STEPS = 1
STEP_SECONDS = 30

# Session keys. STATE says what the second factor of this session is: "verified" (a code was
# given) or "not_required" (the person needs none); absent means "not settled yet".
STATE = "kehoach_2fa"
VERIFIED = "verified"
NOT_REQUIRED = "not_required"
# "not_required" is settled again after this long, so a person made coordinator or leader
# while signed in is asked for a second factor within minutes, not at the next sign-in.
NOT_REQUIRED_AT = "kehoach_2fa_checked"
RECHECK_SECONDS = 5 * 60
PENDING = "kehoach_2fa_pending"  # password accepted, code not yet: {"uid", "backend", "at"}
SETUP_SECRET = "kehoach_2fa_setup"  # the secret shown on the setup page until confirmed
FRESH_CODES = "kehoach_2fa_codes"  # recovery codes to show once, then dropped
PENDING_SECONDS = 5 * 60

# No 0/O, 1/l/i: codes are read off paper and typed on a phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def is_required(user) -> bool:
    """Coordinators, leaders and administrators must sign in with a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return any(m.role in REQUIRED_ROLES for m in memberships_of(user))


def new_secret() -> str:
    return pyotp.random_base32()


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI: drawn on the server, nothing loaded from elsewhere."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, after: int | None = None) -> int | None:
    """The time step the code belongs to, if valid and later than `after` (no replays)."""
    code = normalise_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = current_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def looks_like_totp(code: str) -> bool:
    normal = normalise_code(code)
    return len(normal) == 6 and normal.isdigit()


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery_code(user_id: int, code: str) -> str:
    # The codes carry 49 bits of chance and tries are throttled, so a keyed hash is enough;
    # a slow password hash would make every check cost seconds for ten codes.
    return salted_hmac(
        f"kehoach.recovery.{user_id}", normalise_code(code), algorithm="sha256"
    ).hexdigest()

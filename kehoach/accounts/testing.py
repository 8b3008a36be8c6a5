"""Second-factor helpers for tests and browser journeys: enrol a person, produce their code."""

from __future__ import annotations

import time

import pyotp

from kehoach.accounts import twofactor
from kehoach.accounts.models import TwoFactor, User


def enrol(user: User, secret: str | None = None) -> TwoFactor:
    """Turns on two-step sign-in for the person directly, with no recovery codes."""
    return TwoFactor.objects.create(user=user, secret=secret or twofactor.new_secret())


def code_for(user: User) -> str:
    """A code the server will accept now: the current step, or a later one if the current
    step was already spent (codes cannot be replayed)."""
    device = TwoFactor.objects.get(user=user)
    return code_for_secret(device.secret, after=device.last_step)


def code_for_secret(secret: str, after: int | None = None) -> str:
    step = twofactor.current_step()
    if after is not None and step <= after:
        step = after + 1
        while step > twofactor.current_step() + twofactor.DRIFT_STEPS:
            time.sleep(1)
    return pyotp.TOTP(secret).generate_otp(step)

"""The second-factor gate and the security headers every response carries."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kehoach.accounts import services, twofactor

# Pages a signed-in person may open before their second factor is settled.
OPEN_VIEWS = frozenset(
    {
        "accounts:logout",
        "accounts:verify",
        "accounts:two_factor_setup",
        "accounts:recovery_codes",
        "healthz",
    }
)


class TwoFactorMiddleware:
    """A person who must use a second factor, or has one, can do nothing else until it is given.

    The sign-in page already asks for the code before signing in someone who has an app; this
    gate also covers other ways into a session (the admin's own login page, a session opened
    before the person was made coordinator or before they set up their app).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        state = request.session.get(twofactor.STATE)
        if state == twofactor.VERIFIED:
            return None
        now = int(time.time())
        checked = request.session.get(twofactor.NOT_REQUIRED_AT, 0)
        if state == twofactor.NOT_REQUIRED and 0 <= now - checked < twofactor.RECHECK_SECONDS:
            return None
        enrolled = services.has_two_factor(user)
        if not enrolled and not twofactor.is_required(user):
            # Settled for a few minutes, so ordinary people pay no query on most requests.
            request.session[twofactor.STATE] = twofactor.NOT_REQUIRED
            request.session[twofactor.NOT_REQUIRED_AT] = now
            return None
        request.session.pop(twofactor.STATE, None)
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Two-step sign-in must be completed first.")}, status=403
            )
        target = reverse("accounts:verify" if enrolled else "accounts:two_factor_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts) on every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response

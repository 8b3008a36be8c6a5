"""Sign-in with a second step, the authenticator setup, recovery codes, password change."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from kehoach.accounts import services, throttle, twofactor
from kehoach.accounts.forms import CodeForm, LoginForm, SecurityActionForm
from kehoach.accounts.models import TwoFactor, User


def _locked_message() -> str:
    return _("Too many wrong codes. Please wait a while and try again.")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


class SignInView(auth_views.LoginView):
    """The password step; a person with an authenticator app is asked for a code next,
    and is signed in only once the code is right."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if services.has_two_factor(user):
            self.request.session[twofactor.PENDING] = {
                "uid": user.pk,
                "backend": user.backend,
                "at": time.time(),
            }
            return redirect(_with_next(reverse("accounts:verify"), self.get_success_url()))
        return super().form_valid(form)


def _pending_user(request: HttpRequest) -> tuple[User | None, dict | None]:
    """Who is giving the second factor: a signed-in person without one in this session, or
    someone whose password was accepted a few minutes ago."""
    if request.user.is_authenticated:
        return request.user, None
    pending = request.session.get(twofactor.PENDING)
    if not pending or time.time() - pending.get("at", 0) > twofactor.PENDING_SECONDS:
        request.session.pop(twofactor.PENDING, None)
        return None, None
    user = User.objects.filter(pk=pending.get("uid"), is_active=True).first()
    return user, pending if user is not None else None


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    next_url = _next_url(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    if request.session.get(twofactor.STATE) == twofactor.VERIFIED:
        return redirect(next_url)
    if not services.has_two_factor(user):
        return redirect(_with_next(reverse("accounts:two_factor_setup"), next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.check_second_factor(
                user=user,
                code=form.cleaned_data["code"],
                address=throttle.client_address(request),
            )
        except services.CodeLocked:
            form.add_error(None, _locked_message())
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if pending is not None:
                auth_login(request, user, backend=pending["backend"])
                request.session.pop(twofactor.PENDING, None)
            request.session[twofactor.STATE] = twofactor.VERIFIED
            if kind == "recovery":
                left = TwoFactor.objects.get(user=user).recovery_left
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(left)d code is left.",
                        "You signed in with a recovery code; %(left)d codes are left.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(next_url)
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": next_url, "signed_in": pending is None},
    )


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if services.has_two_factor(user):
        return redirect("accounts:security")
    secret = request.session.get(twofactor.SETUP_SECRET)
    if not secret:
        secret = twofactor.new_secret()
        request.session[twofactor.SETUP_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enable_two_factor(
                actor=user,
                secret=secret,
                code=form.cleaned_data["code"],
                address=throttle.client_address(request),
            )
        except services.CodeLocked:
            form.add_error(None, _locked_message())
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session.pop(twofactor.SETUP_SECRET, None)
            request.session[twofactor.STATE] = twofactor.VERIFIED
            request.session[twofactor.FRESH_CODES] = codes
            return redirect(_with_next(reverse("accounts:recovery_codes"), next_url))
    uri = twofactor.provisioning_uri(secret, user.get_username())
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr": twofactor.qr_data_uri(uri),
            "secret": twofactor.grouped(secret),
            "required": twofactor.is_required(user),
        },
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, once: they are dropped from the session as they are shown."""
    codes = request.session.pop(twofactor.FRESH_CODES, None)
    if not codes:
        return redirect("accounts:security")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = TwoFactor.objects.filter(user=user).first()
    form = SecurityActionForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        action = form.cleaned_data["action"]
        address = throttle.client_address(request)
        try:
            if action == "regenerate":
                codes = services.regenerate_recovery_codes(
                    actor=user, code=form.cleaned_data["code"], address=address
                )
            else:
                services.disable_two_factor(
                    actor=user, code=form.cleaned_data["code"], address=address
                )
        except services.CodeLocked:
            form.add_error(None, _locked_message())
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if action == "regenerate":
                request.session[twofactor.FRESH_CODES] = codes
                return redirect("accounts:recovery_codes")
            # Settled again on the next request: set up anew if the person's role needs it.
            request.session.pop(twofactor.STATE, None)
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:security")
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "form": form,
            "failed_action": form.data.get("action") if form.is_bound else "",
            "required": twofactor.is_required(user),
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response

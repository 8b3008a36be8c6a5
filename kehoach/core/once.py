"""One record per form sent: a second tap on "Lưu", or the browser sending the same form
again, does not create a second activity, concern or nomination.

Each rendering of a creating form carries a random token (`{% once_field %}`); the view,
wrapped in `single_submission`, claims the token in the cache before doing anything, with an
atomic add, so two requests racing with the same token cannot both pass. A request without
a token (an API client, a script) is served as before.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

FIELD = "_once"
TTL_SECONDS = 24 * 3600


def new_token() -> str:
    return secrets.token_urlsafe(16)


def claim(token: str) -> bool:
    """True the first time a token is seen, False ever after (within a day)."""
    return cache.add(f"once:{token}", 1, timeout=TTL_SECONDS)


def single_submission(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if token and not claim(token[:64]):
            messages.warning(
                request,
                _(
                    "This form has already been sent, so nothing was saved a second time. "
                    "Check the list before sending it again."
                ),
            )
            return redirect(request.get_full_path(), permanent=False)
        return view(request, *args, **kwargs)

    return wrapped

"""Input no record can hold, refused before any view sees it.

A NUL character cannot be stored in a PostgreSQL text column (SQLite takes it and cuts the
text short), so a query string, form field or JSON string carrying one would end in a server
error or a silently truncated record. Nobody types one: it is refused with a 400.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/json"):
            return b"\\u0000" in request.body or b"\x00" in request.body
        if content_type.startswith("application/x-www-form-urlencoded"):
            return "\x00" in request.body.decode("utf-8", "replace") or b"%00" in request.body
        if content_type.startswith("multipart/form-data"):
            # Uploaded files may hold any byte; only the text fields are checked.
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            message = _("The data sent contains a character that is not allowed (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)

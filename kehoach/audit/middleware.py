import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kehoach.audit.context import audit_context, new_request_id

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _source(path: str) -> str:
    if path.startswith("/quan-tri/"):
        return "admin"
    if path.startswith("/api/"):
        return "api"
    return "web"


class AuditContextMiddleware:
    """Binds the request's user, id and source for every change the request makes.

    An incoming X-Request-ID (from a proxy) is kept so log lines and audit entries
    can be matched; anything malformed is replaced.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_ID.match(incoming) else new_request_id()
        # request.user stays lazy; the API's token auth replaces it after this point,
        # so the actor is resolved from the request when an entry is written.
        with audit_context(
            actor=_RequestUser(request), request_id=request.request_id, source=_source(request.path)
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class _RequestUser:
    """Resolves to whatever request.user is at the moment an entry is written."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def __getattr__(self, name: str):
        return getattr(self._request.user, name)

    @property
    def is_authenticated(self) -> bool:
        user = getattr(self._request, "user", None)
        return bool(user and user.is_authenticated)

    def resolve(self):
        return self._request.user

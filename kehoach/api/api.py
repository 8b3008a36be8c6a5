from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from kehoach.accounts.api import router as accounts_router
from kehoach.activities.api_activities import router as activities_router
from kehoach.activities.api_coverage import router as coverage_router
from kehoach.activities.api_tasks import router as tasks_router
from kehoach.api.auth import AUTH
from kehoach.content.api import router as content_router
from kehoach.content.broadcast_api import router as broadcasts_router
from kehoach.dashboard.api import router as dashboard_router
from kehoach.dashboard.infographic_api import router as infographics_router
from kehoach.exemplars.api import router as exemplars_router
from kehoach.feedback.api import router as concerns_router
from kehoach.feedback.digest_api import router as opinion_router
from kehoach.indicators.api import router as indicators_router
from kehoach.org.api import router as org_router
from kehoach.plans.api import documents_router
from kehoach.plans.api import router as plans_router
from kehoach.reports.api import router as reports_router
from kehoach.reports.summary_api import router as summary_router
from kehoach.search.api import router as search_router


class _FullPrecisionEncoder(NinjaJSONEncoder):
    """Times keep their microseconds: Django's encoder cuts them to milliseconds, and then
    an updated_at read from the API never matches the stored one in the stale-edit check."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class _Renderer(JSONRenderer):
    encoder_class = _FullPrecisionEncoder


api = NinjaAPI(
    title="Kế hoạch API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=_Renderer(),
)
api.add_router("/", accounts_router)
api.add_router("/units", org_router)
api.add_router("/plans", plans_router)
api.add_router("/source-documents", documents_router)
api.add_router("/tasks", tasks_router)
api.add_router("/activities", activities_router)
# Coverage lives under the plan it describes: /plans/{id}/coverage.
api.add_router("/plans", coverage_router)
api.add_router("/", reports_router)
api.add_router("/", summary_router)
api.add_router("/opinion-digests", opinion_router)
api.add_router("/exemplars", exemplars_router)
api.add_router("/", concerns_router)
api.add_router("/broadcasts", broadcasts_router)
api.add_router("/content", content_router)
api.add_router("/indicators", indicators_router)
api.add_router("/dashboard", dashboard_router)
api.add_router("/infographics", infographics_router)
api.add_router("/search", search_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request, {"detail": _("Sign in first, or send a valid token.")}, status=401
    )


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError):
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": _("Invalid value.")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": _("The data sent is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(ValidationError)
def rejected(request: HttpRequest, exc: ValidationError):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400:
        # Ninja's own wording for a body it cannot parse is English.
        detail = _("The request body could not be read. Send valid JSON or form data.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)

"""Make an infographic with one click (POST) and download one of its PNG sizes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.content.models import ContentItem, ContentKind, ContentMedia
from kehoach.core.scoping import get_for_user_or_404
from kehoach.dashboard import infographic_services as services
from kehoach.dashboard.infographics import SIZES
from kehoach.indicators.models import Indicator
from kehoach.reports.models import ReportingPeriod


def _made(request: HttpRequest, **kwargs) -> HttpResponse:
    try:
        item = services.make_infographic(actor=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(request.META.get("HTTP_REFERER") or "/")
    messages.success(request, _("The infographic was saved as a draft. Submit it for approval."))
    return redirect("content:detail", pk=item.pk)


@login_required
@require_POST
def for_target(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_for_user_or_404(Indicator, request.user, pk=pk)
    return _made(request, kind="target", indicator=indicator)


@login_required
@require_POST
def for_period(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_for_user_or_404(ReportingPeriod, request.user, pk=pk)
    return _made(request, kind="period", period=period)


@login_required
def download(request: HttpRequest, pk: int, size: str) -> FileResponse:
    if size not in SIZES:
        raise Http404
    item = get_for_user_or_404(ContentItem, request.user, pk=pk, kind=ContentKind.INFOGRAPHIC)
    media = (
        ContentMedia.objects.filter(item=item, original_name=services.media_name(size))
        .order_by("-pk")
        .first()
    )
    if media is None:
        raise Http404
    response = FileResponse(
        media.file.open("rb"),
        content_type="image/png",
        as_attachment=True,
        filename=f"{item.slug}-{size}.png",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

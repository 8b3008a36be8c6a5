"""The notification centre: the person's own notifications, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kehoach.activities import notifications as services
from kehoach.activities.models import Notification
from kehoach.activities.tables import notifications_table
from kehoach.core import tabular
from kehoach.core.scoping import get_for_user_or_404

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    own = Notification.objects.for_user(request.user)
    if fmt := tabular.requested_format(request):
        rows = own.order_by("-created_at", "-pk")
        table = notifications_table(rows, tabular.notes(), absolute=request.build_absolute_uri)
        return tabular.response(table, "thong-bao", fmt)
    page = Paginator(own.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "activities/notifications.html",
        {"page": page, "has_unread": own.unread().exists()},
    )


def _safe(request: HttpRequest, link: str) -> bool:
    return bool(link) and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_for_user_or_404(Notification, request.user, pk=pk)
    services.mark_read(actor=request.user, notification=notification)
    if request.POST.get("open") and _safe(request, notification.link):
        return redirect(notification.link)
    if request.htmx:
        return render(request, "activities/notifications_item.html", {"notification": notification})
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    return redirect("notifications:list")

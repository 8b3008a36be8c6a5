"""Public pages for published content: no sign-in, only items that are published and not
withdrawn, media streamed through a view that checks the item is still public."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from kehoach.content.models import ContentItem, ContentMedia, MediaKind, Outlet
from kehoach.org.models import Unit, ward_of

PAGE_SIZE = 20
# Media kinds a browser may show inline; anything else is downloaded.
INLINE_PREFIXES = {MediaKind.IMAGE: "image/", MediaKind.VIDEO: "video/", MediaKind.AUDIO: "audio/"}


def public_items(*, outlet: str = "", ward: Unit | None = None):
    """Published, not withdrawn items, newest first, optionally for one channel and ward."""
    items = ContentItem.objects.public().select_related("unit")
    if outlet:
        items = items.filter(targets__outlet=outlet)
    if ward is not None:
        items = items.filter(unit__path__startswith=ward.path)
    return items.order_by("-published_at", "-pk").distinct()


def with_images(items):
    """Prefetch each item's images in upload order into `item.images`."""
    return items.prefetch_related(
        Prefetch(
            "media",
            queryset=ContentMedia.objects.filter(kind=MediaKind.IMAGE).order_by("pk"),
            to_attr="images",
        )
    )


def chosen_outlet(request: HttpRequest) -> str:
    outlet = request.GET.get("kenh", "")
    return outlet if outlet in Outlet.values else ""


def chosen_ward(request: HttpRequest) -> Unit | None:
    """`?phuong=<id>` narrows to one ward's items; an unknown ward is a 404."""
    raw = request.GET.get("phuong", "")
    if not raw:
        return None
    try:
        # A root, or a ward committee below a city's committee.
        return Unit.objects.filter(Q(parent__isnull=True) | Q(kind="party_committee")).get(
            pk=int(raw)
        )
    except (ValueError, Unit.DoesNotExist):
        raise Http404 from None


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    outlet = chosen_outlet(request)
    ward = chosen_ward(request)
    items = with_images(public_items(outlet=outlet, ward=ward))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "content/public_list.html",
        {
            "page": page,
            "outlet": outlet,
            "outlet_label": Outlet(outlet).label if outlet else "",
            "outlets": Outlet.choices,
            "ward": ward,
        },
    )


@require_GET
def item_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(ContentItem.objects.public().select_related("unit"), slug=slug)
    media = list(item.media.order_by("pk"))
    return render(
        request,
        "content/public_detail.html",
        {
            "item": item,
            "ward": ward_of(item.unit),
            "images": [m for m in media if m.kind == MediaKind.IMAGE],
            "videos": [m for m in media if m.kind == MediaKind.VIDEO],
            "audios": [m for m in media if m.kind == MediaKind.AUDIO],
            "outlets": [t.get_outlet_display() for t in item.targets.all()],
            # Only web links: never a javascript: or data: address typed into the field.
            "video_url": item.video_url
            if item.video_url.startswith(("https://", "http://"))
            else "",
        },
    )


@require_GET
def media_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """Streams a file of a public item; a draft's or withdrawn item's file is a 404."""
    media = ContentMedia.objects.filter(
        pk=pk, item__slug=slug, item__in=ContentItem.objects.public()
    ).first()
    if media is None or not media.file:
        raise Http404
    try:
        handle = media.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    prefix = INLINE_PREFIXES.get(media.kind, "")
    inline = bool(prefix) and media.content_type.startswith(prefix)
    response = FileResponse(
        handle,
        content_type=media.content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=media.original_name or media.file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300"
    return response

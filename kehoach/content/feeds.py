"""An Atom feed per channel that the ward portal can ingest: `/feeds/<outlet>.atom`.

Only public items (published, not withdrawn) appear; links and the first image's enclosure
are absolute addresses built from settings.SITE_URL; dates are RFC 3339.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.utils.translation import gettext as _

from kehoach.content.models import ContentItem, Outlet
from kehoach.content.public import chosen_ward, public_items, with_images

FEED_SIZE = 50


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class ContentAtomFeed(Atom1Feed):
    """Atom with the item's full text as `<content type="html">` besides the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ChannelFeed(Feed):
    feed_type = ContentAtomFeed

    def get_object(self, request, outlet: str):
        if outlet not in Outlet.values:
            raise Http404
        return {"outlet": outlet, "ward": chosen_ward(request)}

    def title(self, obj) -> str:
        label = str(Outlet(obj["outlet"]).label)
        return f"{obj['ward'].name} — {label}" if obj["ward"] else label

    def subtitle(self, obj) -> str:
        return _("Published news, articles and bulletins")

    def link(self, obj) -> str:
        query = f"?kenh={obj['outlet']}"
        if obj["ward"]:
            query += f"&phuong={obj['ward'].pk}"
        return absolute(reverse("content_public:list") + query)

    def feed_url(self, obj) -> str:
        path = reverse("content_feeds:channel", kwargs={"outlet": obj["outlet"]})
        return absolute(path + (f"?phuong={obj['ward'].pk}" if obj["ward"] else ""))

    def feed_guid(self, obj) -> str:
        return self.feed_url(obj)

    def author_name(self, obj) -> str:
        return obj["ward"].name if obj["ward"] else "Kế hoạch"

    def items(self, obj):
        items = public_items(outlet=obj["outlet"], ward=obj["ward"])
        return list(with_images(items)[:FEED_SIZE])

    def item_title(self, item: ContentItem) -> str:
        return item.title

    def item_description(self, item: ContentItem) -> str:
        # type="html": escape so that text typed by an author is never read as markup.
        return escape(item.summary or item.title)

    def item_link(self, item: ContentItem) -> str:
        return absolute(reverse("content_public:detail", kwargs={"slug": item.slug}))

    def item_guid(self, item: ContentItem) -> str:
        """A stable tag: URI (RFC 4151) that survives a change of title or address."""
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.created_at:%Y-%m-%d}:content/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ContentItem):
        return item.published_at

    def item_updateddate(self, item: ContentItem):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item: ContentItem) -> str:
        return item.unit.name

    def item_categories(self, item: ContentItem) -> list[str]:
        return [str(item.get_kind_display())]

    def item_enclosures(self, item: ContentItem) -> list[Enclosure]:
        if not item.images:
            return []
        image = item.images[0]
        url = absolute(reverse("content_public:media", kwargs={"slug": item.slug, "pk": image.pk}))
        return [Enclosure(url, str(image.size), image.content_type or "image/jpeg")]

    def item_extra_kwargs(self, item: ContentItem) -> dict:
        body = linebreaks_filter(item.body, autoescape=True) if item.body else ""
        return {"content_html": body}

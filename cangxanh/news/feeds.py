"""RSS 2.0 and Atom feeds per language and per section, and the share picture.

Feeds start from `queries.public_translations` like every public list, so a
scheduled article appears the moment its time comes and never earlier. They are
public pages for the page cache (cangxanh.delivery): kept whole, with their gzip
and brotli forms, until the content version moves or five minutes pass, and
clients and shared caches may keep them for `max-age=300`. Conditional GET: the
page cache's ETag of the body and, when there are items, Last-Modified of the
newest item (Django's Feed sets it), so a reader polling an unchanged feed gets
304.

`share_picture` is the one picture an article shows to other machines: the
RSS/Atom enclosure, og:image and the first JSON-LD image. It is a rendition
(never the uploaded original) with its absolute URL, size in pixels, MIME type
and, for enclosures, its length in bytes.
"""

import hashlib
import mimetypes
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from easy_thumbnails.storage import thumbnail_default_storage

from cangxanh.core import languages
from cangxanh.core.site import absolute, site_identity
from cangxanh.delivery.middleware import public_page
from cangxanh.images.renditions import rendition

from . import queries

FEED_ITEMS = 30
FEED_MAX_AGE = 300
# A rendition's name changes whenever its content could (file, focal point,
# settings), so its length in bytes can be kept as long as the cache keeps it.
LENGTH_CACHE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class SharePicture:
    url: str  # as the storage gives it: a path, or absolute for remote storage
    width: int
    height: int
    mime_type: str
    name: str  # the rendition's storage name

    def byte_length(self) -> int | None:
        """Its size in bytes: asked of the storage once, then cached."""
        key = (
            "rendition-length:"
            + hashlib.sha1(self.name.encode(), usedforsecurity=False).hexdigest()
        )
        size = cache.get(key)
        if size is None:
            try:
                size = thumbnail_default_storage.size(self.name)
            except OSError:
                return None
            cache.set(key, size, LENGTH_CACHE_SECONDS)
        return size


def share_picture(image, purpose: str = "wide") -> SharePicture | None:
    """The rendition an image is shared as: the purpose's usual fallback file (JPEG or PNG).

    Readers and social sites do not all take WebP, so the fallback is shared.
    Sizes come from the image's record of its renditions, like every page's.
    """
    found = rendition(image, purpose)
    if found is None:
        return None
    url = thumbnail_default_storage.url
    for entry in image.renditions["purposes"][purpose]:
        if url(entry["fallback"]) == found.src:
            name = entry["fallback"]
            break
    else:  # pragma: no cover - rendition() builds src from these entries
        return None
    return SharePicture(
        url=found.src,
        width=found.width,
        height=found.height,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        name=name,
    )


def _html_text(text: str) -> str:
    """Plain text as HTML text content: only what HTML itself would misread."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Rss(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with each item's last change as atom:updated (RSS has no element of its own)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", feedgenerator.rfc3339_date(item["updateddate"]))


class ArticleFeed(Feed):
    """The newest public articles of one language, or of one section in it.

    One instance per request (see `_feed_view`), so it may hold the request:
    every address in the feed is absolute, on the site's configured address
    (`site_url()`), whatever Host the request named.
    """

    feed_type = Rss
    item_guid_is_permalink = True

    def __init__(self, request, *, section=None, feed_type=None):
        self.request = request
        self.lang = languages.get(request.LANGUAGE_CODE)
        self.site = site_identity(self.lang.code)
        self.section = section  # a SectionTranslation in this language, or None
        if feed_type is not None:
            self.feed_type = feed_type
        self.item_count = 0

    @property
    def language(self) -> str:
        return self.lang.bcp47

    def _absolute(self, path: str) -> str:
        return absolute(self.request, path)

    def title(self) -> str:
        if self.section is None:
            return self.site["name"]
        # Translators: a feed's or page's title: a section name, then the site's name.
        return _("%(section)s · %(site)s") % {
            "section": self.section.name,
            "site": self.site["name"],
        }

    def link(self) -> str:
        if self.section is None:
            return self._absolute(f"/{self.lang.code}/")
        return self._absolute(self.section.get_absolute_url())

    def description(self) -> str:
        return self.site["slogan"] or self.site["name"]

    def subtitle(self) -> str:
        return self.description()

    def feed_url(self) -> str:
        return self._absolute(self.request.path)

    def author_name(self) -> str:
        # Atom needs an author for the feed; entries without one inherit it.
        return self.site["publisher"] or self.site["name"]

    def items(self):
        rows = queries.public_translations(self.lang.code).select_related("article__author")
        if self.section is not None:
            rows = rows.filter(article__section_id=self.section.section_id)
        items = list(rows.defer("body").newest_first()[:FEED_ITEMS])
        self.item_count = len(items)
        return items

    def item_title(self, item) -> str:
        # Plain text, escaped once, by the XML writer: an HTML escape before it
        # would reach readers as "Hai Phong&#x27;s" (`&amp;#x27;` in the XML).
        # The feed's title, author names and categories are plain text too.
        return item.title

    def item_description(self, item) -> str | None:
        # Both formats carry HTML here (RSS <description>, Atom summary type="html"),
        # and the lead is plain text: so its &, < and > are written as HTML, once,
        # before the XML writer's own layer. Quotes need no escaping in HTML text,
        # and numeric references are what readers showed as "&#x27;".
        return _html_text(item.lead) if item.lead else None

    def item_link(self, item) -> str:
        return self._absolute(item.get_absolute_url())

    def item_guid(self, item) -> str:
        # The permalink: stable when the title, slug or section change.
        with translation.override(item.language):
            return self._absolute(reverse("news:permalink", kwargs={"article_id": item.article_id}))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A scheduled text saved before its time was last changed when it appeared.
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item) -> str | None:
        return item.article.author.name if item.article.author else None

    def item_categories(self, item) -> list[str]:
        name = item.section_translation()
        return [name.name] if name else []

    def item_enclosures(self, item) -> list[feedgenerator.Enclosure]:
        picture = share_picture(item.main_image())
        if picture is None or (length := picture.byte_length()) is None:
            return []
        return [
            feedgenerator.Enclosure(
                url=self._absolute(picture.url),
                length=str(length),
                mime_type=picture.mime_type,
            )
        ]


def _feed_view(feed_type, url_name: str):
    @public_page(FEED_MAX_AGE, headers_from_view=True, tags=("feed",))
    @require_safe
    def view(request, section_slug: str | None = None):
        section = None
        if section_slug is not None:
            _section, section, exact = queries.access_section(request.LANGUAGE_CODE, section_slug)
            if not exact:
                return HttpResponsePermanentRedirect(
                    reverse(url_name, kwargs={"section_slug": section.slug})
                )
        feed = ArticleFeed(request, section=section, feed_type=feed_type)
        response = feed(request)
        if not feed.item_count:
            # Django would say "modified now" for an empty feed: say nothing instead.
            del response["Last-Modified"]
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    return view


rss = _feed_view(Rss, "news:feed")
atom = _feed_view(feedgenerator.Atom1Feed, "news:feed-atom")
section_rss = _feed_view(Rss, "news:section-feed")
section_atom = _feed_view(feedgenerator.Atom1Feed, "news:section-feed-atom")

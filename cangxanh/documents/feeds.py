"""The feed of new documents in a language (`/<lang>/documents/feed/`, and `atom/`).

The news feed (news.feeds.ArticleFeed) with the documents' own items: the newest
documents published in this language, each titled with its number, its type as
category, its summary as description, its page as link. Cached and dated like
the news feeds.
"""

from django.contrib.syndication.views import Feed
from django.utils import feedgenerator
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cangxanh.delivery.middleware import public_page
from cangxanh.news.feeds import FEED_ITEMS, FEED_MAX_AGE, ArticleFeed, Rss
from cangxanh.news.models import ArticleTranslation, reverse_in

from . import queries
from .models import KIND


class DocumentFeed(ArticleFeed):
    def title(self) -> str:
        # Translators: the documents feed's title: the list's name, then the site's name.
        return _("%(list)s · %(site)s") % {"list": _("Legal documents"), "site": self.site["name"]}

    def link(self) -> str:
        return self._absolute(reverse_in(self.lang.code, "documents:list"))

    def description(self) -> str:
        return _("New legal and administrative documents published by %(publisher)s.") % {
            "publisher": self.site["publisher"] or self.site["name"]
        }

    def items(self):
        rows = (
            ArticleTranslation.objects.published()
            .of_kind(KIND)
            .in_language(self.lang.code)
            .filter(article__document_facts__isnull=False)
            .select_related("article__author", "article__document_facts")
            .defer("body")
            .newest_first()[:FEED_ITEMS]
        )
        items = list(rows)
        self.item_count = len(items)
        self.terms = queries.terms(self.lang.code)
        return items

    def item_title(self, item) -> str:
        return f"{item.article.document_facts.number} — {item.title}"

    def item_categories(self, item) -> list[str]:
        found = self.terms.by_id["type"].get(item.article.document_facts.type_id)
        return [found.name] if found else []

    def item_enclosures(self, item) -> list:
        return []


def _feed_view(feed_type):
    @public_page(FEED_MAX_AGE, headers_from_view=True)
    @require_safe
    def view(request):
        feed = DocumentFeed(request, feed_type=feed_type)
        response = Feed.__call__(feed, request)
        if not feed.item_count:
            del response["Last-Modified"]
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    return view


rss = _feed_view(Rss)
atom = _feed_view(feedgenerator.Atom1Feed)

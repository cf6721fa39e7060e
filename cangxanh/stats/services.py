"""Which requests are views: a person reading the page, not a crawler or a prefetch.

The counting itself (buffered, exact) is in cangxanh.stats.counter.
"""

import re
from functools import lru_cache

from django.http import HttpRequest

# Crawlers, link unfurlers and monitoring tools announce themselves here.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|bingpreview|facebookexternalhit|facebookcatalog|embedly|"
    r"quora link preview|whatsapp|telegram|discord|slack|skypeuripreview|vkshare|pinterest|"
    r"lighthouse|pagespeed|headlesschrome/.*\bptst\b|uptime|pingdom|monitor|python-requests|"
    r"python-urllib|go-http-client|java/|okhttp|libwww|wget|curl/|httpie|scrapy|feedfetcher|"
    r"mediapartners|yandex|baiduspider|sogou|petalbot|bytespider|yeti|daumoa",
    re.IGNORECASE,
)
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


def is_countable(request: HttpRequest) -> bool:
    """A full page view by a person: GET, not a prefetch or preview, not a crawler."""
    return is_countable_meta(request.META)


def is_countable_meta(meta) -> bool:
    """is_countable on a WSGI environ (the page cache has no request object)."""
    if meta.get("REQUEST_METHOD") != "GET":
        return False
    for header in PREFETCH_HEADERS:
        value = meta.get(header)
        if value:
            value = value.lower()
            if "prefetch" in value or "prerender" in value or "preview" in value:
                return False
    return not _looks_automated(meta.get("HTTP_USER_AGENT", ""))


@lru_cache(maxsize=4096)  # the same few hundred agents make most requests
def _looks_automated(agent: str) -> bool:
    return BOT_PATTERN.search(agent) is not None

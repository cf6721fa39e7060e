"""Counting views.

Deliberately simple and exact: one UPDATE of the total and one upsert of the
day's bucket per counted view, both done by the database so concurrent views
never lose an increment. (A buffered counter for heavy load comes later.)
"""

import re

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from cangxanh.news.models import ArticleTranslation

from .models import DailyViews

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
    if request.method != "GET":
        return False
    for header in PREFETCH_HEADERS:
        value = request.META.get(header, "").lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return False
    return not BOT_PATTERN.search(request.META.get("HTTP_USER_AGENT", ""))


def view_record(*, translation_id: int) -> int:
    """Count one view; return the new total."""
    today = timezone.localdate()
    with transaction.atomic():
        ArticleTranslation.objects.filter(pk=translation_id).update(view_count=F("view_count") + 1)
        updated = DailyViews.objects.filter(translation_id=translation_id, day=today).update(
            count=F("count") + 1
        )
        if not updated:
            _obj, created = DailyViews.objects.get_or_create(
                translation_id=translation_id, day=today, defaults={"count": 1}
            )
            if not created:
                DailyViews.objects.filter(translation_id=translation_id, day=today).update(
                    count=F("count") + 1
                )
        return ArticleTranslation.objects.values_list("view_count", flat=True).get(
            pk=translation_id
        )

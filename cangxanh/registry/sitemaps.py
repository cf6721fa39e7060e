"""The registries' public pages in the sitemaps (`/sitemap-registry.xml`): the lists in
every language, and each published partner's profile, dated by its publication."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max

from cangxanh.core import languages
from cangxanh.news.models import reverse_in
from cangxanh.news.sitemaps import Page, PageSitemap
from cangxanh.news.views import x_default_language

from .models import Agreement, Delegation, Partner

LISTS = ("registry:partners", "registry:delegations", "registry:agreements")


class RegistrySitemap(PageSitemap):
    def items(self) -> list[Page]:
        codes = languages.codes()
        pages: list[Page] = []
        latest = {
            "registry:partners": _latest(Partner),
            "registry:delegations": _latest(Delegation),
            "registry:agreements": _latest(Agreement),
        }
        for name in LISTS:
            if latest[name] is None:
                continue  # nothing public in it yet: an empty list is not worth crawling
            paths = {code: reverse_in(code, name) for code in codes}
            x_list = x_default_language(settings.LANGUAGE_CODE, paths)
            pages += [Page(code, paths[code], latest[name], paths, x_list) for code in codes]
        rows = (
            Partner.objects.filter(public_data__isnull=False)
            .order_by("slug")
            .values_list("slug", "published_at")
        )
        for slug, published_at in rows:
            paths = {code: reverse_in(code, "registry:partner", slug=slug) for code in codes}
            x_partner = x_default_language(settings.LANGUAGE_CODE, paths)
            pages += [Page(code, paths[code], published_at, paths, x_partner) for code in codes]
        return pages

    def get_latest_lastmod(self):
        dates = [d for d in (_latest(m) for m in (Partner, Delegation, Agreement)) if d]
        return max(dates) if dates else None


def _latest(model):
    return model.objects.filter(public_data__isnull=False).aggregate(latest=Max("published_at"))[
        "latest"
    ]

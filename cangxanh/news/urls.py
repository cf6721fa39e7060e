"""The public addresses under a language prefix: home, feeds, site map, sections, articles.

Ids, years and slugs go through cangxanh.core.converters: an id or a year out of range
does not match, so it is a 404 here rather than an error in the database.
"""

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers id, year and uslug)

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    # Fixed words before the catch-all section slug below.
    path("feed/", feeds.rss, name="feed"),
    path("feed/atom/", feeds.atom, name="feed-atom"),
    path("sitemap/", views.sitemap_page, name="sitemap"),
    path("sitemap/<uslug:section_slug>/<year:year>/", views.sitemap_year, name="sitemap-year"),
    path("a/<id:article_id>/", views.article_permalink, name="permalink"),
    path("<uslug:section_slug>/", views.section, name="section"),
    path("<uslug:section_slug>/feed/", feeds.section_rss, name="section-feed"),
    path("<uslug:section_slug>/feed/atom/", feeds.section_atom, name="section-feed-atom"),
    path("<uslug:section_slug>/<uslug:slug>-<id:article_id>/", views.article, name="article"),
]

from django.urls import path, re_path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    # Fixed words before the catch-all section slug below.
    path("feed/", feeds.rss, name="feed"),
    path("feed/atom/", feeds.atom, name="feed-atom"),
    path("sitemap/", views.sitemap_page, name="sitemap"),
    re_path(
        r"^sitemap/(?P<section_slug>[-\w]+)/(?P<year>[0-9]{4})/$",
        views.sitemap_year,
        name="sitemap-year",
    ),
    path("a/<int:article_id>/", views.article_permalink, name="permalink"),
    re_path(r"^(?P<section_slug>[-\w]+)/$", views.section, name="section"),
    re_path(r"^(?P<section_slug>[-\w]+)/feed/$", feeds.section_rss, name="section-feed"),
    re_path(r"^(?P<section_slug>[-\w]+)/feed/atom/$", feeds.section_atom, name="section-feed-atom"),
    re_path(
        r"^(?P<section_slug>[-\w]+)/(?P<slug>[-\w]+)-(?P<article_id>[0-9]+)/$",
        views.article,
        name="article",
    ),
]

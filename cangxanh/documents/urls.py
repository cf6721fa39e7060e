"""The documents' addresses under a language prefix (cangxanh/urls.py includes them before
the news, whose first segment is a section slug: news.kinds reserves "documents").
Their files are outside the prefixes: `/documents/files/<id>/<name>` (views.file)."""

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers id and uslug)

from . import feeds, views

app_name = "documents"

urlpatterns = [
    path("documents/", views.documents, name="list"),
    path("documents/feed/", feeds.rss, name="feed"),
    path("documents/feed/atom/", feeds.atom, name="feed-atom"),
    path("documents/<uslug:slug>-<id:article_id>/", views.document, name="document"),
]

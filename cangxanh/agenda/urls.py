"""The calendar's addresses under a language prefix (cangxanh/urls.py includes them
before the news, whose first segment is a section slug: news.kinds reserves these words)."""

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers id)

from . import views

app_name = "agenda"

urlpatterns = [
    path("calendar/", views.week, name="week"),
    path("calendar.ics", views.feed, name="feed"),
    path("calendar/leaders/<id:person_id>.ics", views.feed, name="leader-feed"),
    path("calendar/<id:article_id>/", views.entry, name="entry"),
]

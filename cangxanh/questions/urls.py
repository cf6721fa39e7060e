"""Questions and answers under a language prefix (cangxanh/urls.py includes them before
the news, whose first segment is a section slug: kind.py reserves "questions")."""

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers id and uslug)

from . import views
from .challenge import challenge

app_name = "questions"

urlpatterns = [
    path("questions/", views.answers, name="answers"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/challenge/", challenge, name="challenge"),
    path("questions/track/", views.track, name="track"),
    path("questions/<uslug:slug>-<id:article_id>/", views.answer, name="answer"),
]

"""The consultations' addresses under a language prefix (cangxanh/urls.py includes them
before the news, whose first segment is a section slug: news.kinds reserves the word)."""

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers id and uslug)

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/challenge/", views.challenge, name="challenge"),
    path("consultations/<uslug:slug>-<id:article_id>/", views.detail, name="detail"),
    path("consultations/<uslug:slug>-<id:article_id>/comment/", views.comment, name="comment"),
    path("consultations/<uslug:slug>-<id:article_id>/comment/sent/", views.sent, name="sent"),
]

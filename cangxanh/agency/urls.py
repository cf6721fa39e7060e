"""The agency's addresses under a language prefix (before the news' section slug)."""

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers id and uslug)

from . import views

app_name = "agency"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("about/<uslug:slug>-<id:article_id>/", views.page, name="page"),
    path("contact/", views.contact, name="contact"),
    path("privacy/", views.privacy, name="privacy"),
]

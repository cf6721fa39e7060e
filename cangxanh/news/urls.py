from django.urls import path, re_path

from . import views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("a/<int:article_id>/", views.article_permalink, name="permalink"),
    re_path(r"^(?P<section_slug>[-\w]+)/$", views.section, name="section"),
    re_path(
        r"^(?P<section_slug>[-\w]+)/(?P<slug>[-\w]+)-(?P<article_id>[0-9]+)/$",
        views.article,
        name="article",
    ),
]

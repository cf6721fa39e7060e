from django.urls import path

from . import views

app_name = "editorial"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("translations/<int:translation_id>/", views.translation_steps, name="translation"),
    path(
        "translations/<int:translation_id>/revisions/",
        views.translation_revisions,
        name="revisions",
    ),
]

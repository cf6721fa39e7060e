from django.urls import path

from . import desk, views, xliff_views

app_name = "editorial"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("board/", desk.board, name="board"),
    path("desk/<int:article_id>/<str:language>/", desk.desk, name="desk"),
    path(
        "desk/<int:article_id>/<str:language>/xliff/", xliff_views.export_job, name="xliff-export"
    ),
    path(
        "desk/<int:article_id>/<str:language>/import/", xliff_views.import_job, name="xliff-import"
    ),
    path("translations/<int:translation_id>/", views.translation_steps, name="translation"),
    path(
        "translations/<int:translation_id>/revisions/",
        views.translation_revisions,
        name="revisions",
    ),
]

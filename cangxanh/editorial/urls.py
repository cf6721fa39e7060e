from importlib import import_module

from django.urls import path


def lazy(dotted: str):
    """A view imported when first called: a worker that only serves readers never loads
    the newsroom's modules (lxml among them), which keeps its memory small."""
    module_name, name = dotted.rsplit(".", 1)
    found = []

    def view(request, *args, **kwargs):
        if not found:
            found.append(getattr(import_module(f"cangxanh.editorial.{module_name}"), name))
        return found[0](request, *args, **kwargs)

    view.__name__ = name
    return view


app_name = "editorial"
urlpatterns = [
    path("", lazy("views.queue"), name="queue"),
    path("board/", lazy("desk.board"), name="board"),
    path("compliance/", lazy("views.compliance"), name="compliance"),
    # Questions from the public (question_views): the queue, and each question.
    path("questions/", lazy("question_views.queue"), name="questions"),
    path("questions/<int:question_id>/", lazy("question_views.question"), name="question"),
    # Comments on consultations, moderated before readers see them (consultations.py).
    path("consultations/", lazy("consultations.consultations"), name="consultations"),
    path(
        "consultations/<int:article_id>/",
        lazy("consultations.consultation_comments"),
        name="consultation-comments",
    ),
    path(
        "consultations/comments/<int:comment_id>/",
        lazy("consultations.comment_step"),
        name="consultation-comment-step",
    ),
    path("desk/<int:article_id>/<str:language>/", lazy("desk.desk"), name="desk"),
    path(
        "desk/<int:article_id>/<str:language>/xliff/",
        lazy("xliff_views.export_job"),
        name="xliff-export",
    ),
    path(
        "desk/<int:article_id>/<str:language>/import/",
        lazy("xliff_views.import_job"),
        name="xliff-import",
    ),
    path("translations/<int:translation_id>/", lazy("views.translation_steps"), name="translation"),
    path("pictures/pick/", lazy("picker.picker"), name="picture-picker"),
    path("pictures/<int:image_id>/", lazy("views.picture"), name="picture"),
    # Two-step sign-in (two_factor.py): the code after the password, setting it up,
    # the backup codes shown once, and each person's own page.
    path("two-step/", lazy("two_factor_views.status"), name="two-step"),
    path("two-step/verify/", lazy("two_factor_views.verify"), name="two-step-verify"),
    path("two-step/set-up/", lazy("two_factor_views.enrol"), name="two-step-enrol"),
    path("two-step/backup-codes/", lazy("two_factor_views.backup_codes"), name="two-step-codes"),
    path(
        "translations/<int:translation_id>/revisions/",
        lazy("views.translation_revisions"),
        name="revisions",
    ),
]

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers id: the consultations' routes)
from cangxanh.core.lazy import view as lazy_view


def lazy(dotted: str):
    """A newsroom view (`module.name` in cangxanh.editorial) imported when first called."""
    return lazy_view(f"cangxanh.editorial.{dotted}")


app_name = "editorial"
urlpatterns = [
    path("", lazy("views.queue"), name="queue"),
    path("board/", lazy("desk.board"), name="board"),
    path("compliance/", lazy("views.compliance"), name="compliance"),
    # Visit statistics (visits.py, stats.visits): charts, tables, CSV and XLSX.
    path("visits/", lazy("visits.visits"), name="visits"),
    # The office's registries: what waits for an approver, and reminders (registries.py).
    path("registries/", lazy("registries.registries"), name="registries"),
    path("registries/figures/", lazy("registries.figures"), name="registry-figures"),
    # Questions from the public (question_views): the queue, and each question.
    path("questions/", lazy("question_views.queue"), name="questions"),
    path("questions/<int:question_id>/", lazy("question_views.question"), name="question"),
    # Comments on consultations, moderated before readers see them (consultations.py).
    path("consultations/", lazy("consultations.consultations"), name="consultations"),
    path(
        "consultations/<id:article_id>/",
        lazy("consultations.consultation_comments"),
        name="consultation-comments",
    ),
    path(
        "consultations/comments/<id:comment_id>/",
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

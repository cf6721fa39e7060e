from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "cangxanh.questions"
    verbose_name = _("Questions and answers")
    # Not public content: a question arriving must not retire the cached pages (answers
    # are articles, whose publication does that through the workflow).

    def ready(self) -> None:
        from . import kind, services

        kind.register()
        post_migrate.connect(services.after_migrate, sender=self)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "cangxanh.news"
    verbose_name = _("News")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the section-address check)

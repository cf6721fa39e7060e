from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cangxanh.search"
    verbose_name = _("Search")

    def ready(self):
        from django.conf import settings

        from .limits import rate

        rate(settings.SEARCH_RATE)  # a SEARCH_RATE that cannot be read stops the start

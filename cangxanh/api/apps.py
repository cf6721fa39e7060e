from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "cangxanh.api"
    label = "api"
    verbose_name = _("Open data API")

    def ready(self):
        from cangxanh.news import kinds

        from . import datasets

        datasets.register_later("cangxanh.api.content")
        # /<lang>/api/ is the API's documentation page: no section may take that slug.
        kinds.reserve("api")

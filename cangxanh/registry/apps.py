from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "cangxanh.registry"
    verbose_name = _("Registries")
    # Publishing a record changes public pages: saving retires the cached pages.
    public_content = True

    def ready(self) -> None:
        from cangxanh.images import access
        from cangxanh.news import kinds

        from . import queries

        kinds.reserve("partners", "delegations", "agreements", "aid", "statistics")
        access.OTHER_PUBLIC_USES.append(queries.public_pictures)

        from cangxanh.news import sitemaps as news_sitemaps

        from .sitemaps import RegistrySitemap

        news_sitemaps.OTHER_SITEMAPS["registry"] = RegistrySitemap

        from cangxanh.api import datasets

        datasets.register_later("cangxanh.registry.api")

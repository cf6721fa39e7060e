from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cangxanh.core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from . import checks, memory  # noqa: F401  (checks registers the system checks)

        memory.connect()

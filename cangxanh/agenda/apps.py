from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "cangxanh.agenda"
    verbose_name = _("Leaders' work calendar")
    # Engagements are public: saving one retires the cached pages (delivery.apps).
    public_content = True

    def ready(self) -> None:
        from . import kind

        kind.register()

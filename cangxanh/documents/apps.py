from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "cangxanh.documents"
    verbose_name = _("Legal documents")
    # Documents' facts and files are public content: saving them retires the cached pages.
    public_content = True

    def ready(self) -> None:
        from . import kind

        kind.register()

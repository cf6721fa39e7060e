from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "cangxanh.documents"
    verbose_name = _("Legal documents")
    # Documents' facts and files are public content: saving them retires the cached pages.
    public_content = True

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from . import kind, services
        from .models import DocumentFile

        kind.register()
        # A deleted file's bytes leave the storage after the deletion commits.
        post_delete.connect(
            services.stored_file_forget, sender=DocumentFile, dispatch_uid="documents-forget"
        )

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "cangxanh.images"
    verbose_name = _("Images")

    def ready(self) -> None:
        from . import bodies, checks  # noqa: F401  (checks registers system checks)

        # Which library pictures each body shows, kept in step on every save
        # (images.access reads it to decide what readers may load).
        post_save.connect(
            bodies.translation_saved,
            sender="news.ArticleTranslation",
            weak=False,
            dispatch_uid="images-body-pictures",
        )
        post_save.connect(
            bodies.image_saved, sender="images.Image", weak=False, dispatch_uid="images-new-image"
        )

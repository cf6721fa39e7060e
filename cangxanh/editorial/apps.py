from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "cangxanh.editorial"
    verbose_name = _("Editorial")

    def ready(self):
        from .roles import ensure_roles

        # After every migrate (and every test-database flush): the four roles exist
        # with exactly their permissions.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="cangxanh-ensure-roles")

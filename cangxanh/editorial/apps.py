from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "cangxanh.editorial"
    verbose_name = _("Editorial")

    def ready(self):
        from .roles import ensure_roles

        # After every migrate (and every test-database flush): the four roles exist
        # with exactly their permissions. Once, after the last app's post_migrate, when
        # every app's permissions exist (the Administrator gets them all).
        def after_last_app(sender, **kwargs):
            last = [config for config in apps.get_app_configs() if config.models_module][-1]
            if sender is last:
                ensure_roles(**kwargs)

        post_migrate.connect(after_last_app, dispatch_uid="cangxanh-ensure-roles", weak=False)

        from django.core import checks

        from .two_factor import check_required_in_production

        checks.register(check_required_in_production)

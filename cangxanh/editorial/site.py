"""The newsroom's admin site, whose registry is filled when first asked for.

Django's admin config imports every app's `admin.py` at start-up, so each
worker carries the newsroom's model admins, forms and widgets from its first
moment, though a worker that only serves readers never uses them. Here the
modules are imported on the first use of the registry instead: the newsroom's
URLs (included lazily by cangxanh.urls), a page that lists the apps
(`each_context`), the system checks, a registration. Every reader of the
registry gets the whole of it, so nothing can see it half filled.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import autodiscover_modules


class NewsroomSite(AdminSite):
    def __init__(self, name="admin"):
        self._discovered = False
        self._registering = 0
        super().__init__(name)

    @property
    def _registry(self) -> dict:
        # A registration never discovers: an admin module imported on its own (before
        # the registry was read) registers its models without importing the others
        # from the middle of its own import.
        if not self._discovered and not self._registering:
            self._discovered = True  # first: the modules register through this property
            autodiscover_modules("admin", register_to=self)
        return self._models

    def register(self, model_or_iterable, admin_class=None, **options):
        self._registering += 1
        try:
            super().register(model_or_iterable, admin_class, **options)
        finally:
            self._registering -= 1

    def unregister(self, model_or_iterable):
        self._registering += 1
        try:
            super().unregister(model_or_iterable)
        finally:
            self._registering -= 1

    @_registry.setter
    def _registry(self, value: dict) -> None:
        self._models = value


class NewsroomAdminConfig(SimpleAdminConfig):
    """`django.contrib.admin` with the lazily filled site and no discovery at start-up."""

    default_site = "cangxanh.editorial.site.NewsroomSite"

"""Settings that every request reads, as plain attributes: `hot.settings.PAGE_CACHE`.

Django's settings object answers each read through a method of its lazy wrapper
(about a quarter of a microsecond); a page-cache hit reads several, so those
are read here instead: the first read takes the value from Django's settings
and keeps it on this object, and a change of that setting (override_settings,
pytest-django's `settings` fixture: both send setting_changed) drops it, so the
next read takes the new value.
"""

from django.conf import settings as django_settings
from django.core.signals import setting_changed


class _Hot:
    def __getattr__(self, name: str):  # only when this object does not hold it yet
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(django_settings, name)
        setattr(self, name, value)
        return value


settings = _Hot()


def _forget(setting: str, **kwargs) -> None:
    settings.__dict__.pop(setting, None)


setting_changed.connect(_forget, weak=False, dispatch_uid="hot-settings-forget")

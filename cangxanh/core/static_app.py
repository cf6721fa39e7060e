"""Django's static files app without the country flags django-countries ships: no page
shows one, and their 500 files would cost every worker's static index memory
(whitenoise keeps an entry per file). In its own module: an apps.py with two
AppConfig classes would stop Django choosing the core app's own."""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    """collectstatic and the static finders, leaving out django-countries' flags."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "flags"]

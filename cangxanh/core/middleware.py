"""Django's LocaleMiddleware, without language headers on answers that have no language."""

from django.middleware import locale


class LocaleMiddleware(locale.LocaleMiddleware):
    """Activates the language of the path as Django's does. An answer marked
    `same_in_every_language` (a library file, core.views.media) gets neither
    `Vary: Accept-Language` nor Content-Language: outside the language prefixes
    Django adds both, and every cache would then keep one copy of a picture per
    Accept-Language header its readers send. Pages keep them as they were."""

    def process_response(self, request, response):
        if getattr(response, "same_in_every_language", False):
            return response
        return super().process_response(request, response)

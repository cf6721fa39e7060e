"""The API itself: one django-ninja `NinjaAPI` with every registered dataset's router
(datasets.py), its refusals in our one shape, and its OpenAPI 3 schema."""

import copy
from functools import lru_cache

from django.http import Http404
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from cangxanh.core.site import site_url

from . import datasets, errors, limits
from .schemas import LICENCE_NAME, LICENCE_URL

NAMESPACE = datasets.NAMESPACE
TITLE = "Open data API"
DESCRIPTION = (
    "Read-only JSON of what the portal publishes, under the CC BY 4.0 licence: credit the "
    "agency and the portal. Every list takes `lang`, `cursor` and `limit`; answers carry an "
    "ETag and Last-Modified (send If-None-Match or If-Modified-Since to get 304 when "
    "nothing changed). Requests are limited per client address: over the limit the answer "
    "is 429 with Retry-After."
)


class Renderer(JSONRenderer):
    # UTF-8 as it is: Vietnamese, Korean, Japanese and Chinese stay readable.
    json_dumps_params = {"ensure_ascii": False}


def _refuse(request, exc):
    return errors.response(exc)


def _invalid(request, exc):
    return errors.response(errors.from_validation(exc.errors))


def _missing(request, exc):
    return errors.response(errors.ApiError.not_found())


def _raise(request, exc):
    raise exc  # Django's own handlers (a database out of reach is a 503 there)


def build() -> NinjaAPI:
    api = NinjaAPI(
        title=TITLE,
        version="1",
        description=DESCRIPTION,
        openapi_url=None,  # served by views.openapi_json, with the rest around it
        docs_url=None,  # the documentation page is ours: /<lang>/api/
        urls_namespace=NAMESPACE,
        renderer=Renderer(),
    )
    api.add_exception_handler(errors.ApiError, _refuse)
    api.add_exception_handler(ValidationError, _invalid)
    api.add_exception_handler(Http404, _missing)
    api.add_exception_handler(Exception, _raise)
    for dataset in datasets.all_datasets():
        api.add_router(f"/{dataset.key}/", dataset.router)
    return api


_api: list[NinjaAPI] = []


def api() -> NinjaAPI:
    """The process's API (routers are bound once: ninja freezes them)."""
    if not _api:
        _api.append(build())
    return _api[0]


@lru_cache(maxsize=1)
def _schema(base: str, rate: str) -> dict:
    with translation.override("en"):
        schema = copy.deepcopy(dict(api().get_openapi_schema()))
    times, seconds = limits.rate(rate)
    schema["info"]["license"] = {"name": LICENCE_NAME, "url": LICENCE_URL}
    schema["info"]["x-rate-limit"] = {"requests": times, "seconds": seconds}
    schema["servers"] = [{"url": base}]
    return schema


def openapi_schema() -> dict:
    """The OpenAPI 3 schema (a fresh copy: callers may change it)."""
    from django.conf import settings

    return copy.deepcopy(_schema(site_url(), settings.API_RATE))

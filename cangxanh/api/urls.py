"""`/api/v1/…` (cangxanh/urls.py includes it outside the language prefixes): ninja's
operations and our own addresses, each wrapped by http.api_view, then a JSON 404 for
every other address under the prefix. The documentation page is `/<lang>/api/`
(page_urls.py)."""

from django.urls import URLPattern, path, re_path

from . import build, views
from .http import api_view


def _patterns() -> list:
    ninja_patterns, _app, _namespace = build.api().urls
    found = [
        # Ninja's root ("", name "api-root", which ninja reverses for its schema's paths)
        # answers with our index.
        path("", api_view(views.index, languaged=False), name="api-root"),
        path("openapi.json", api_view(views.openapi_json, languaged=False), name="openapi"),
        path("catalog.jsonld", api_view(views.catalog_jsonld, languaged=False), name="catalog"),
        path("docs/", views.docs_redirect, name="docs"),
    ]
    for pattern in ninja_patterns:
        if isinstance(pattern, URLPattern) and pattern.name != "api-root":
            found.append(
                URLPattern(
                    pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name
                )
            )
    found.append(re_path(r"^.*$", api_view(views.not_found, languaged=False)))
    return found


app_name = build.NAMESPACE
urlpatterns = _patterns()

"""The API's own addresses beside ninja's: its index, the OpenAPI schema, the DCAT
catalogue, any other address (JSON 404), and the documentation page readers open,
`/<lang>/api/`, rendered by the portal from the schema in the site's layout."""

import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_safe

from cangxanh.core import languages
from cangxanh.core.site import absolute, site_identity, site_url
from cangxanh.delivery.middleware import public_page
from cangxanh.news.models import reverse_in

from . import build, catalog, datasets, errors, limits
from .schemas import DEFAULT_LIMIT, LICENCE_NAME, LICENCE_URL, MAX_LIMIT


def _json(data, content_type="application/json") -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=None),
        content_type=f"{content_type}; charset=utf-8",
    )


def api_url(name: str, **kwargs) -> str:
    return site_url() + reverse(f"{build.NAMESPACE}:{name}", kwargs=kwargs)


def index(request):
    """`/api/v1/`: where everything is."""
    return _json(
        {
            "title": build.TITLE,
            "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
            "documentation": site_url() + reverse_in(settings.LANGUAGE_CODE, "api-docs"),
            "openapi": api_url("openapi"),
            "catalog": api_url("catalog"),
            "datasets": [
                {"key": dataset.key, "title": str(dataset.title), "url": dataset_url(dataset)}
                for dataset in datasets.all_datasets()
            ],
        }
    )


def dataset_url(dataset) -> str:
    return site_url() + f"{reverse(f'{build.NAMESPACE}:api-root')}{dataset.key}/"


def openapi_json(request):
    return _json(build.openapi_schema())


def catalog_jsonld(request):
    return _json(catalog.catalog(), "application/ld+json")


def not_found(request, *args, **kwargs):
    raise errors.ApiError.not_found()


def docs_redirect(request):
    """`/api/v1/docs/`: the documentation page in the visitor's language."""
    lang = translation.get_language_from_request(request)
    response = HttpResponseRedirect(reverse_in(lang, "api-docs"))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


# --- The documentation page ---------------------------------------------------------------


def _type_of(schema: dict) -> str:
    if "enum" in schema:
        return ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"] if s.get("type") != "null")
    kind = schema.get("type", "")
    if kind == "integer" and "minimum" in schema:
        if schema.get("maximum", 2**31) < 2**31:
            return f"{kind}, {schema['minimum']}–{schema['maximum']}"
        return f"{kind} ≥ {schema['minimum']}"
    return kind


def _translated(text: str | None) -> str:
    """A text of the schema (English, marked with gettext_noop where it is written) in the
    page's language."""
    return _(text) if text else ""


def _sample(path: str, parameters: list[dict], lang: str) -> str:
    url = site_url() + path.replace("{article_id}", "1")
    query = [f"lang={lang}"]
    if any(p["name"] == "limit" for p in parameters):
        query.append("limit=2")
    return f"{url}?{'&'.join(query)}"


def endpoints(schema: dict, lang: str) -> list[dict]:
    """Every operation of the schema, in its order, as the page shows it (translated)."""
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            parameters = []
            for parameter in operation.get("parameters", []):
                body = parameter.get("schema", {})
                parameters.append(
                    {
                        "name": parameter["name"],
                        "where": {
                            "query": pgettext("parameter", "query"),
                            "path": pgettext("parameter", "path"),
                        }.get(parameter["in"], parameter["in"]),
                        "required": parameter.get("required", False),
                        "values": _type_of(body),
                        "default": body.get("default", ""),
                        "description": _translated(
                            parameter.get("description") or body.get("description")
                        ),
                    }
                )
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation.get("operationId", path),
                    "summary": _(operation["summary"]) if operation.get("summary") else path,
                    "description": _translated(operation.get("description")),
                    "parameters": parameters,
                    "statuses": sorted(operation.get("responses", {})),
                    "sample": _sample(path, parameters, lang),
                    "tag": (operation.get("tags") or [""])[0],
                }
            )
    return found


def _rate_text(times: int, seconds: int) -> str:
    if not times:
        return _("There is no limit on requests.")
    texts = {
        1: ngettext(
            "Each client address may send %(count)s request a second.",
            "Each client address may send %(count)s requests a second.",
            times,
        ),
        60: ngettext(
            "Each client address may send %(count)s request a minute.",
            "Each client address may send %(count)s requests a minute.",
            times,
        ),
        3600: ngettext(
            "Each client address may send %(count)s request an hour.",
            "Each client address may send %(count)s requests an hour.",
            times,
        ),
        86400: ngettext(
            "Each client address may send %(count)s request a day.",
            "Each client address may send %(count)s requests a day.",
            times,
        ),
    }
    return texts[seconds] % {
        "count": languages.get(translation.get_language()).format_number(times)
    }


@public_page(ttl=300)
@require_safe
def docs(request):
    """`/<lang>/api/`: every endpoint with its parameters and a sample request, the
    licence, the limits, the datasets; no script, nothing from elsewhere."""
    lang = request.LANGUAGE_CODE
    schema = build.openapi_schema()
    operations = endpoints(schema, lang)
    root = reverse(f"{build.NAMESPACE}:api-root")
    groups = []
    for dataset in datasets.all_datasets():
        groups.append(
            {
                "key": dataset.key,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "url": dataset_url(dataset),
                "operations": [
                    op for op in operations if op["path"].startswith(f"{root}{dataset.key}/")
                ],
            }
        )
    listed = {id(op) for group in groups for op in group["operations"]}
    others = [op for op in operations if id(op) not in listed]
    site = site_identity(lang)
    times, seconds = limits.rate(settings.API_RATE)
    return render(
        request,
        "api/docs.html",
        {
            "title": _("Open data"),
            "groups": groups,
            "others": others,
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "attribution": " — ".join(p for p in (site["publisher"], site["name"]) if p),
            "rate_text": _rate_text(times, seconds),
            "api_root": site_url() + root,
            "openapi_url": api_url("openapi"),
            "catalog_url": api_url("catalog"),
            "max_limit": MAX_LIMIT,
            "default_limit": DEFAULT_LIMIT,
            "language_codes": [code for code, _name in settings.LANGUAGES],
            "canonical": absolute(request, reverse_in(lang, "api-docs")),
            "page_alternates": [
                {"lang": other, "href": absolute(request, reverse_in(other.code, "api-docs"))}
                for other in languages.enabled()
            ],
            "switcher_targets": {code: reverse_in(code, "api-docs") for code in languages.codes()},
        },
    )

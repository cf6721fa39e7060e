"""The DCAT catalogue of the datasets (`/api/v1/catalog.jsonld`), DCAT-AP style JSON-LD:
a dcat:Catalog with one dcat:Dataset per registered dataset (datasets.py), each with a
JSON distribution (accessURL, mediaType, format), the licence, the publisher (the agency
of core's SiteIdentity) and its titles in every language of the site; and the API as a
dcat:DataService whose endpoint description is the OpenAPI schema."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cangxanh.core import languages
from cangxanh.core.site import site_identity, site_url
from cangxanh.news.models import reverse_in

from . import build, datasets
from .schemas import LICENCE_EU_URI, LICENCE_URL

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "cc": "http://creativecommons.org/ns#",
}
THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
EU_LANGUAGES = "http://publications.europa.eu/resource/authority/language/"
# The EU's language table names each of the site's languages (ISO 639-3, upper case).
ISO_639_3 = {"vi": "VIE", "en": "ENG", "ko": "KOR", "ja": "JPN", "zh-hans": "ZHO"}
JSON_TYPE = "http://www.iana.org/assignments/media-types/application/json"
JSON_FORMAT = "http://publications.europa.eu/resource/authority/file-type/JSON"


def _in_every_language(make) -> list[dict]:
    """[{"@value": make(), "@language": "vi"}, ...] in every language of the site."""
    found = []
    for lang in languages.enabled():
        with translation.override(lang.code):
            value = str(make(lang.code))
        if value:
            found.append({"@value": value, "@language": lang.bcp47})
    return found


def _publisher() -> dict:
    identity = site_identity(settings.LANGUAGE_CODE)
    agent = {
        "@id": f"{site_url()}/#publisher",
        "@type": "foaf:Agent",
        "foaf:name": _in_every_language(
            lambda code: site_identity(code)["publisher"] or site_identity(code)["name"]
        ),
        "foaf:homepage": {"@id": f"{site_url()}/"},
    }
    if identity["email"]:
        agent["foaf:mbox"] = {"@id": f"mailto:{identity['email']}"}
    return agent


def _contact() -> dict:
    identity = site_identity(settings.LANGUAGE_CODE)
    point = {"@type": "vcard:Organization", "vcard:fn": identity["publisher"] or identity["name"]}
    if identity["email"]:
        point["vcard:hasEmail"] = {"@id": f"mailto:{identity['email']}"}
    return point


def catalog() -> dict:
    base = site_url()
    root = base + reverse(f"{build.NAMESPACE}:api-root")
    licence = {"@id": LICENCE_URL, "owl:sameAs": LICENCE_EU_URI}
    service_id = f"{root}#service"
    publisher = _publisher()
    found = []
    for dataset in datasets.all_datasets():
        url = f"{root}{dataset.key}/"
        found.append(
            {
                "@id": f"{url}#dataset",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": _in_every_language(lambda code, d=dataset: d.title),
                "dct:description": _in_every_language(lambda code, d=dataset: d.description),
                "dcat:keyword": [
                    item
                    for keyword in dataset.keywords
                    for item in _in_every_language(lambda code, k=keyword: k)
                ],
                "dcat:theme": {"@id": THEMES + dataset.theme},
                "dct:publisher": {"@id": publisher["@id"]},
                "dcat:contactPoint": _contact(),
                "dct:license": licence,
                "dct:language": [
                    {"@id": EU_LANGUAGES + ISO_639_3.get(lang.code, "MUL")}
                    for lang in languages.enabled()
                ],
                "dct:accrualPeriodicity": {
                    "@id": "http://publications.europa.eu/resource/authority/frequency/CONT"
                },
                "dcat:landingPage": {"@id": base + reverse_in(settings.LANGUAGE_CODE, "api-docs")},
                "dcat:distribution": [
                    {
                        "@id": f"{url}#json",
                        "@type": "dcat:Distribution",
                        "dct:title": _in_every_language(lambda code, d=dataset: d.title),
                        "dcat:accessURL": {"@id": url},
                        "dcat:mediaType": {"@id": JSON_TYPE},
                        "dct:format": {"@id": JSON_FORMAT},
                        "dct:license": licence,
                        "dcat:accessService": {"@id": service_id},
                    }
                ],
            }
        )
    return {
        "@context": CONTEXT | {"owl": "http://www.w3.org/2002/07/owl#"},
        "@id": base + reverse(f"{build.NAMESPACE}:catalog"),
        "@type": "dcat:Catalog",
        "dct:title": _in_every_language(lambda code: site_identity(code)["name"]),
        "dct:description": _in_every_language(
            lambda code: translation.gettext(
                "The portal's open data: every dataset as JSON, under the CC BY 4.0 licence."
            )
        ),
        "dct:publisher": publisher,
        "dct:license": licence,
        "dct:language": [
            {"@id": EU_LANGUAGES + ISO_639_3.get(lang.code, "MUL")} for lang in languages.enabled()
        ],
        "foaf:homepage": {"@id": base + reverse_in(settings.LANGUAGE_CODE, "api-docs")},
        "dcat:service": [
            {
                "@id": service_id,
                "@type": "dcat:DataService",
                "dct:title": _in_every_language(lambda code: translation.gettext("Open data API")),
                "dcat:endpointURL": {"@id": root},
                "dcat:endpointDescription": {"@id": base + reverse(f"{build.NAMESPACE}:openapi")},
                "dct:license": licence,
                "dcat:servesDataset": [{"@id": item["@id"]} for item in found],
            }
        ],
        "dcat:dataset": found,
    }

"""The documentation page readers open (/<lang>/api/), the DCAT catalogue, the footer's
link, and what adding a dataset takes."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop
from ninja import Router, Schema

from cangxanh.api import build, datasets
from cangxanh.api.schemas import ERRORS, LangParam, list_of
from cangxanh.core.models import SiteIdentity

from .conftest import API, LISTS

pytestmark = pytest.mark.django_db

LANGS = ("vi", "en", "ko", "ja", "zh-hans")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.sources: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") != "application/ld+json" and not attrs.get("src"):
            self.scripts += 1  # an inline script
        for name in ("src", "srcset"):
            if attrs.get(name):
                self.sources.append(attrs[name])
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon", "preload"):
            self.sources.append(attrs.get("href", ""))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("lang", LANGS)
def test_the_docs_page_lists_every_endpoint(client, site_identity, lang):
    schema = json.loads(client.get(f"{API}openapi.json").content)
    response = client.get(f"/{lang}/api/")
    assert response.status_code == 200
    html = response.content.decode()
    page = _Page()
    page.feed(html)
    text = " ".join(page.text)
    for path, item in schema["paths"].items():
        assert path in text, path
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                assert parameter["name"] in text
    assert "CC BY 4.0" in text
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    assert "429" in text and "Retry-After" in text
    assert "curl" in text
    # Served by the portal alone: no inline script, nothing loaded from elsewhere.
    assert page.scripts == 0
    assert all(not source.startswith(("http:", "https:", "//")) for source in page.sources)
    assert f'<html lang="{"zh-Hans" if lang == "zh-hans" else lang}">' in html


def test_the_docs_page_speaks_the_reader_language(client, site_identity):
    for lang in LANGS:
        html = client.get(f"/{lang}/api/").content.decode()
        with translation.override(lang):
            assert f'<h1 class="page-title">{translation.gettext("Open data")}</h1>' in html
            assert translation.pgettext("data", "Licence") in html
    # /api/v1/docs/ leads to the page in the reader's language.
    moved = client.get(f"{API}docs/", HTTP_ACCEPT_LANGUAGE="ko")
    assert moved.status_code == 302 and moved["Location"] == "/ko/api/"


@pytest.mark.parametrize("lang", LANGS)
def test_the_footer_links_the_docs_page(client, site_identity, lang):
    home = client.get(f"/{lang}/")
    assert home.status_code == 200
    assert f'href="/{lang}/api/"' in home.content.decode()


def test_the_catalogue_names_every_dataset(client):
    for lang in LANGS:
        SiteIdentity.objects.create(
            language=lang,
            name=f"Cổng {lang}",
            publisher=f"Sở Ngoại vụ ({lang})",
            email="sngv@example.vn",
        )
    response = client.get(f"{API}catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    catalog = json.loads(response.content)
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    names = {entry["@language"]: entry["@value"] for entry in catalog["dct:publisher"]["foaf:name"]}
    assert names["vi"] == "Sở Ngoại vụ (vi)" and names["zh-Hans"] == "Sở Ngoại vụ (zh-hans)"
    found = {dataset["dct:identifier"]: dataset for dataset in catalog["dcat:dataset"]}
    assert set(found) >= set(LISTS)
    for key, dataset in found.items():
        assert dataset["@type"] == "dcat:Dataset"
        assert {t["@language"] for t in dataset["dct:title"]} == {"vi", "en", "ko", "ja", "zh-Hans"}
        [distribution] = dataset["dcat:distribution"]
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dcat:accessURL"]["@id"].endswith(f"{API}{key}/")
        assert distribution["dcat:mediaType"]["@id"].endswith("application/json")
        assert distribution["dct:license"]["@id"].startswith("https://creativecommons.org/")
        assert dataset["dct:publisher"]["@id"] == catalog["dct:publisher"]["@id"]
        # The address it gives answers.
        path = re.sub(r"^https?://[^/]+", "", distribution["dcat:accessURL"]["@id"])
        assert client.get(path).status_code == 200
    [service] = catalog["dcat:service"]
    assert service["dcat:endpointDescription"]["@id"].endswith(f"{API}openapi.json")
    assert len(service["dcat:servesDataset"]) == len(found)


def test_a_dataset_takes_a_router_and_a_registration():
    """What the registry's datasets will do (datasets.py says how): the API built with
    one more registered router has its endpoints in the schema."""
    router = Router()

    class Thing(Schema):
        id: int

    @router.get(
        "/", response={200: list_of(Thing, "ThingList"), **ERRORS}, summary=gettext_noop("Things")
    )
    def things(request, lang: LangParam = "vi"):
        return {}

    datasets.register(datasets.Dataset("test-things", router, "Things", "Test things"))
    try:
        api = build.build()
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        assert "/api/v1/test-things/" in schema["paths"]
        assert "/api/v1/articles/" in schema["paths"]
    finally:
        datasets.unregister("test-things")
    assert datasets.get("test-things") is None

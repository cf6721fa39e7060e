"""The open data API's tests: content built through the real models (the documents' and
calendar's own fixtures), and every answer checked against the API's own OpenAPI schema
with openapi-core."""

import json

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tests.agenda.conftest import division, leaders, make_event  # noqa: F401
from tests.consultations.conftest import (  # noqa: F401
    approver,
    make_comment,
    make_consultation,
    make_user,
)
from tests.documents.conftest import (  # noqa: F401
    _documents_storage,
    make_document,
    pdf_bytes,
    taxonomy,
)
from tests.questions.conftest import make_question, topics  # noqa: F401

API = "/api/v1/"
LISTS = ("articles", "documents", "events", "sections")


@pytest.fixture(autouse=True)
def _roomy_limit(settings):
    """Tests ask often; the limit's own test sets it low."""
    settings.API_RATE = "10000/minute"
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


@pytest.fixture
def openapi(client):
    """The API's OpenAPI schema as the API serves it, ready to validate answers."""
    response = client.get(f"{API}openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    # The test client's requests go to http://testserver, not to SITE_URL.
    schema["servers"] = [{"url": "http://testserver"}]
    return OpenAPI.from_dict(schema)


@pytest.fixture
def validate(openapi):
    """Check a test client's answer against the schema (status, type, body); return its JSON."""

    def check(response):
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        return json.loads(response.content)

    return check


def walk(client, url: str, validate=None, limit: int = 2) -> list[dict]:
    """Every item of a list, following `next` from page to page."""
    found = []
    address = f"{url}{'&' if '?' in url else '?'}limit={limit}"
    for _page in range(1000):
        response = client.get(address)
        assert response.status_code == 200, response.content
        data = validate(response) if validate else json.loads(response.content)
        found += data["data"]
        if not data["next"]:
            return found
        address = data["next"].split("://", 1)[1].split("/", 1)[1]
        address = "/" + address
    raise AssertionError("the walk never ended")

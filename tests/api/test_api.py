"""The open data API (/api/v1/): answers as its schema says, only what readers see,
pagination, validators, limits, CORS, and clean refusals."""

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date
from hypothesis import HealthCheck, given
from hypothesis import settings as search_settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_spec

from cangxanh.core.site import site_url
from cangxanh.delivery.middleware import ENTRY
from cangxanh.documents.models import DocumentFile
from cangxanh.news.models import ArticleTranslation, Status

from .conftest import API, LISTS, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(make_article, make_document, make_event, leaders, division, pdf_bytes, image):
    """One of each: a news article in five languages with a picture, a document with a
    listed PDF, an engagement with leaders and a host unit."""
    news = make_article(("vi", "en", "ko", "ja", "zh-hans"), images=[image])
    document = make_document(pdf=pdf_bytes)
    event = make_event(
        timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=2),
        leaders=leaders,
        host=division,
    )
    return {"news": news, "document": document, "event": event}


def test_the_schema_is_valid_openapi_3(client):
    schema = json.loads(client.get(f"{API}openapi.json").content)
    validate_spec(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    for key in LISTS:
        assert f"{API}{key}/" in schema["paths"]
    for key in ("articles", "documents", "events"):
        assert f"{API}{key}/{{article_id}}/" in schema["paths"]


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh-hans"])
def test_every_answer_matches_the_schema(client, validate, content, lang):
    for key in LISTS:
        data = validate(client.get(f"{API}{key}/?lang={lang}"))
        assert data["language"] == lang
        assert data["licence"]["name"] == "CC BY 4.0"
        for item in data["data"]:
            if key != "sections":
                one = validate(client.get(f"{API}{key}/{item['id']}/?lang={lang}"))
                assert one["data"] == item
    # Refusals are in the schema too.
    validate(client.get(f"{API}articles/?lang=xx"))
    validate(client.get(f"{API}articles/987654/?lang={lang}"))
    validate(client.get(f"{API}documents/?limit=0"))


def test_shapes_ids_absolute_addresses_times_with_offset(client, content, settings):
    settings.SITE_URL = "https://portal.example"
    data = json.loads(client.get(f"{API}articles/?lang=en").content)
    item = data["data"][0]
    assert item["id"] == content["news"].pk
    assert item["language"] == "en"
    assert item["url"].startswith("https://portal.example/en/")
    assert item["published_at"].endswith("+07:00")
    assert item["section"]["name"] == "International Cooperation"
    assert item["author"] == {"name": "Trần Thị Mai", "position": "Head of Information"}
    assert item["image"]["alt"] == "Cranes at the port"
    assert item["image"]["url"].startswith("https://portal.example/media/renditions/")
    assert [link["language"] for link in item["translations"]] == [
        "vi",
        "en",
        "ko",
        "ja",
        "zh-hans",
    ]
    # The public page it names is there.
    page = client.get(item["url"].removeprefix("https://portal.example"))
    assert page.status_code == 200

    document = json.loads(client.get(f"{API}documents/?lang=en").content)["data"][0]
    assert document["number"] == "62/2025/QĐ-UBND"
    assert document["type"] == {"key": "decision", "name": "Decision"}
    assert document["issuer"]["key"] == "ubnd-hai-phong"
    assert document["issued_on"] == "2025-06-24"
    assert document["legal_status"] == {"code": "in_force", "name": "In force"}
    [pdf] = document["files"]
    assert pdf["media_type"] == "application/pdf"
    assert pdf["url"].startswith("https://portal.example/documents/files/")
    download = client.get(pdf["url"].removeprefix("https://portal.example"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    event = json.loads(client.get(f"{API}events/?lang=en").content)["data"][0]
    assert event["starts_at"].endswith("+07:00")
    assert event["cancelled"] is False
    assert [leader["name"] for leader in event["leaders"]] == ["Phạm Thu Hà", "Đỗ Quang Vinh"]
    assert event["leaders"][0]["position"] == "Director"
    assert event["host"]["name"] == "International Cooperation"
    assert event["place"] == "International reception room"


def test_only_what_readers_see(client, make_article, make_document, make_event, leaders, division):
    now = timezone.now()
    public = make_article(("vi",), titles={"vi": "Bài công khai"})
    draft = make_article(("vi",), status=Status.DRAFT, titles={"vi": "Bản nháp bí mật"})
    review = make_article(("vi",), status=Status.REVIEW, titles={"vi": "Đang duyệt bí mật"})
    later = make_article(("vi",), published_at=now + timedelta(hours=3), titles={"vi": "Hẹn giờ"})
    gone = make_article(("vi",), titles={"vi": "Đã gỡ bí mật"})
    ArticleTranslation.objects.filter(article=gone).update(status=Status.UNPUBLISHED)
    english = make_article(("en",), titles={"en": "English only"})
    hidden_document = make_document("1/2026/QĐ-UBND", status=Status.DRAFT)
    future_event = make_event(now + timedelta(days=1), published_at=now + timedelta(days=1))
    # A host unit whose page is not public in Korean: not named there.
    ko_event = make_event(now, langs=("ko",), host=division)
    # A file the published facts do not list.
    document = make_document("2/2026/QĐ-UBND")
    DocumentFile.objects.filter(document=document).update(listed=False)

    listed = {item["id"] for item in walk(client, f"{API}articles/?lang=vi")}
    assert listed == {public.pk}
    assert {item["id"] for item in walk(client, f"{API}articles/?lang=en")} == {english.pk}
    for article in (draft, review, later, gone, english):
        response = client.get(f"{API}articles/{article.pk}/?lang=vi")
        assert response.status_code == 404
    assert client.get(f"{API}articles/{public.pk}/?lang=en").status_code == 404

    documents = walk(client, f"{API}documents/?lang=vi")
    assert [item["id"] for item in documents] == [document.pk]
    assert documents[0]["files"] == []
    assert client.get(f"{API}documents/{hidden_document.pk}/").status_code == 404
    assert client.get(f"{API}events/{future_event.pk}/").status_code == 404
    [ko] = walk(client, f"{API}events/?lang=ko")
    assert ko["id"] == ko_event.pk and ko["host"] is None
    # Pages of other kinds are not news.
    assert client.get(f"{API}articles/{division.pk}/").status_code == 404
    assert client.get(f"{API}articles/{document.pk}/").status_code == 404
    text = json.dumps(walk(client, f"{API}articles/?lang=vi"), ensure_ascii=False)
    for secret in ("bí mật", "Hẹn giờ"):
        assert secret not in text


def test_pagination_walks_everything_once_under_inserts(client, validate, make_article):
    same_time = timezone.now() - timedelta(hours=5)
    made = [make_article(("vi",), published_at=same_time) for _ in range(4)]
    made += [
        make_article(("vi",), published_at=same_time - timedelta(minutes=n)) for n in range(1, 5)
    ]
    first = validate(client.get(f"{API}articles/?limit=3"))
    assert len(first["data"]) == 3 and first["limit"] == 3
    assert first["next"].startswith(site_url() + f"{API}articles/?")
    # Published while the client reads: at the top, before the cursor.
    newcomer = make_article(("vi",))
    seen = [item["id"] for item in first["data"]]
    address = "/" + first["next"].split("://", 1)[1].split("/", 1)[1]
    while address:
        page = validate(client.get(address))
        seen += [item["id"] for item in page["data"]]
        address = page["next"] and "/" + page["next"].split("://", 1)[1].split("/", 1)[1]
    assert len(seen) == len(set(seen))
    assert set(seen) == {article.pk for article in made}
    assert newcomer.pk not in seen
    # Newest first, ties by id, the same order every time.
    assert seen == [item["id"] for item in walk(client, f"{API}articles/?", limit=100)][1:]


def test_a_forged_or_foreign_cursor_is_refused(client, make_article):
    for _ in range(3):
        make_article(("vi",))
    data = json.loads(client.get(f"{API}articles/?limit=1").content)
    cursor = data["next"].rsplit("cursor=", 1)[1]
    bad = client.get(f"{API}articles/?limit=1&cursor={cursor[:-3]}xyz")
    assert bad.status_code == 422
    assert json.loads(bad.content)["error"]["details"][0]["parameter"] == "cursor"
    assert client.get(f"{API}documents/?cursor={cursor}").status_code == 422


def test_language_and_limit_are_checked(client):
    response = client.get(f"{API}articles/?lang=fr")
    assert response.status_code == 422
    error = json.loads(response.content)["error"]
    assert error["code"] == "invalid_parameter"
    assert "lang" in error["message"] and "zh-hans" in error["message"]
    assert client.get(f"{API}articles/?limit=101").status_code == 422
    assert client.get(f"{API}articles/?limit=0").status_code == 422
    assert client.get(f"{API}articles/?limit=100").status_code == 200


def test_etag_and_last_modified_answer_304(client, make_article):
    make_article(("vi",))
    first = client.get(f"{API}articles/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"].startswith("public")
    again = client.get(f"{API}articles/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(f"{API}articles/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Something new: a new ETag, and the old one no longer matches.
    make_article(("vi",), titles={"vi": "Tin mới"})
    fresh = client.get(f"{API}articles/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    older = http_date((timezone.now() - timedelta(days=1)).timestamp())
    assert client.get(f"{API}articles/", HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    # HEAD: the same headers, no body.
    head = client.head(f"{API}articles/")
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == fresh["ETag"]


def test_limit_per_client_answers_429_with_retry_after(settings, validate):
    settings.API_RATE = "3/minute"
    one = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(3):
        assert one.get(f"{API}sections/").status_code == 200
    refused = one.get(f"{API}sections/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "private, no-store"
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert validate(refused)["error"]["code"] == "too_many_requests"
    # Another client is not held back.
    assert Client(REMOTE_ADDR="192.0.2.11").get(f"{API}sections/").status_code == 200
    # A forged X-Forwarded-For from an untrusted peer changes nothing.
    forged = one.get(f"{API}sections/", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert forged.status_code == 429


def test_cors_open_to_all_without_credentials(client, make_article):
    make_article(("vi",))
    response = client.get(f"{API}articles/", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    preflight = client.options(
        f"{API}articles/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_no_cookie_no_csrf_no_page_cache_no_user_data(client, staff, make_article):
    make_article(("vi",))
    anonymous = Client()
    plain = anonymous.get(f"{API}articles/")
    assert not plain.cookies
    assert "Set-Cookie" not in plain
    assert "Cookie" not in plain.get("Vary", "")
    assert "Accept-Language" not in plain.get("Vary", "")
    assert plain.wsgi_request.environ.get(ENTRY) is None  # nothing for the page cache
    # Signed in: the same bytes as for anyone.
    signed_in = staff.get(f"{API}articles/")
    assert signed_in.content == plain.content
    assert signed_in.wsgi_request.environ.get(ENTRY) is None
    assert b"chief" not in signed_in.content
    # Read-only: a POST (without a CSRF token) is refused as a method, not as a forgery.
    strict = Client(enforce_csrf_checks=True)
    for method in (strict.post, strict.put, strict.delete, strict.patch):
        response = method(f"{API}articles/")
        assert response.status_code == 405
        assert json.loads(response.content)["error"]["code"] == "method_not_allowed"
        assert "GET" in response["Allow"]


def test_other_addresses_are_json_404(client):
    for path in ("nothing/", "articles/abc/", "articles/0/", f"articles/{2**64}/", "x.json"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        assert json.loads(response.content)["error"]["code"] == "not_found"


def test_the_index_names_everything(client):
    data = json.loads(client.get(API).content)
    assert data["licence"]["name"] == "CC BY 4.0"
    assert {item["key"] for item in data["datasets"]} >= set(LISTS)
    assert data["openapi"].endswith(f"{API}openapi.json")
    assert data["catalog"].endswith(f"{API}catalog.jsonld")


_text = st.text(st.characters(codec="utf-8"), max_size=40).map(lambda s: quote(s, safe=""))


@search_settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    key=st.sampled_from(LISTS),
    lang=st.one_of(st.sampled_from(["vi", "zh-hans", "", "VI", "zh_Hans"]), _text),
    cursor=st.one_of(_text, st.sampled_from(["%00", "W10:1:2", "a" * 300])),
    limit=st.one_of(st.sampled_from(["1", "100", "-1", "1e3", str(2**70), "%00"]), _text),
)
def test_no_parameter_answers_500(client, make_article, key, lang, cursor, limit):
    response = Client(raise_request_exception=False).get(
        f"{API}{key}/?lang={lang}&cursor={cursor}&limit={limit}"
    )
    assert response.status_code in (200, 422), response.content[:300]
    assert response["Content-Type"].startswith("application/json")

"""Every address a stranger can type answers 400 or 404 when it is wrong, never 500.

Hypothesis builds addresses from every public URL pattern in every language prefix,
filled with what breaks code that trusts its input: ids past the database's 64-bit
integer, negative ids, years 0 and 99999, very long names, broken percent-encoding,
null bytes and text in every script, in the path and in the query string. The five
addresses of the security review (issue 11) stand first, as explicit examples.
"""

from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cangxanh.news.models import Section, SectionTranslation

from ..conftest import LANGS, SECTION_NAMES

pytestmark = pytest.mark.django_db

# The five addresses that answered 500 before (issue 11).
REVIEWED = (
    "/vi/a/99999999999999999999999/",
    "/vi/a/9223372036854775808/",
    "/vi/tin-doi-ngoai/x-99999999999999999999999/",
    "/vi/sitemap/tin-doi-ngoai/0000/",
    "/media/" + "a" * 5000,
)

# Numbers at and past the edges of SQLite's and PostgreSQL's integers, and of Python's
# own int() (4,300 digits).
EDGE_NUMBERS = (
    "0",
    "-1",
    "00",
    "0001",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    str(10**30),
    "9" * 5000,
    "-" + str(2**63),
    "1e9",
    "0x10",
    "１２",  # full-width digits: Python's int() takes them, a URL pattern must not
)
YEARS = ("0000", "0001", "0999", "1000", "2026", "2999", "3000", "9999", "99999", "-2026")
BROKEN = ("%", "%zz", "%c3%28", "%00", "%ff", "%e2%82", "%2f", "%2e%2e", "..", "%25", "\x00")

# Text in every script, controls and surrogates aside (a real request cannot carry them).
any_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40
)
number = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
year = st.one_of(st.sampled_from(YEARS), st.integers(min_value=-1, max_value=10**6).map(str))


def _encoded(text: str) -> str:
    return quote(text, safe="")


# A path segment: what the site uses, or an attack on it.
name = st.one_of(
    st.sampled_from(
        [slug for _name, slug in SECTION_NAMES.values()]
        + ["tin-doi-ngoai", "foreign-affairs", "feed", "a", "sitemap"]
    ),
    st.sampled_from(BROKEN),
    number,
    any_text.filter(bool).map(_encoded),
    any_text.filter(bool),
    st.integers(min_value=300, max_value=6000).map(lambda n: "x" * n),
    st.tuples(any_text, st.sampled_from(BROKEN), any_text).map("".join),
)
lang = st.one_of(st.sampled_from(LANGS), st.sampled_from(["xx", "VI", "zh", "zh-Hans", "%00"]))


def _routes(lang: str, n: str, y: str, a: str, b: str) -> list[str]:
    """Every public pattern (cangxanh/urls.py and the urls it includes) with these parts."""
    return [
        f"/{lang}/",
        f"/{lang}/a/{n}/",
        f"/{lang}/{a}/",
        f"/{lang}/{a}/{b}-{n}/",
        f"/{lang}/{a}/feed/",
        f"/{lang}/{a}/feed/atom/",
        f"/{lang}/feed/",
        f"/{lang}/feed/atom/",
        f"/{lang}/sitemap/",
        f"/{lang}/sitemap/{a}/{y}/",
        f"/{lang}/search/",
        f"/{lang}/about/",
        f"/{lang}/about/{b}-{n}/",
        f"/{lang}/contact/",
        f"/{lang}/privacy/",
        f"/{lang}/documents/",
        f"/{lang}/documents/{b}-{n}/",
        f"/{lang}/documents/feed/",
        f"/documents/files/{n}/{a}",
        f"/{lang}/calendar/",
        f"/{lang}/calendar.ics",
        f"/{lang}/calendar/leaders/{n}.ics",
        f"/{lang}/calendar/{n}/",
        f"/{lang}/questions/",
        f"/{lang}/questions/ask/",
        f"/{lang}/questions/track/",
        f"/{lang}/questions/challenge/",
        f"/{lang}/questions/{b}-{n}/",
        f"/{lang}/consultations/",
        f"/{lang}/consultations/{b}-{n}/",
        f"/{lang}/consultations/{b}-{n}/comment/",
        f"/{lang}/consultations/challenge/",
        f"/{lang}/{a}",
        "/",
        f"/{a}/",
        "/robots.txt",
        "/sitemap.xml",
        f"/sitemap-{a}.xml",
        f"/sitemap-articles-{lang}.xml",
        f"/media/{a}",
        f"/media/{a}/{b}",
        f"/preview/{n}/",
        "/editorial/",
        "/editorial/board/",
        f"/editorial/desk/{n}/{a}/",
        f"/editorial/desk/{n}/{a}/xliff/",
        f"/editorial/desk/{n}/{a}/import/",
        f"/editorial/translations/{n}/",
        f"/editorial/translations/{n}/revisions/",
        f"/editorial/pictures/{n}/",
        "/editorial/pictures/pick/",
        f"/editorial/images/{n}/original/",
        f"/editorial/documents/files/{n}/",
        "/editorial/compliance/",
        "/editorial/questions/",
        f"/editorial/questions/{n}/",
        "/editorial/consultations/",
        f"/editorial/consultations/{n}/",
        "/admin/login/",
        # The open data API (cangxanh.api) and its documentation page.
        f"/{lang}/api/",
        "/api/v1/",
        f"/api/v1/{a}/",
        f"/api/v1/articles/{n}/",
        f"/api/v1/documents/{n}/",
        f"/api/v1/events/{n}/",
        f"/api/v1/{a}/{n}/",
    ]


ROUTE_COUNT = len(_routes("vi", "1", "2026", "a", "b"))

value = st.one_of(name, year, st.just(""))
parameter = st.one_of(
    st.sampled_from(
        ["q", "page", "p", "print", "lang", "section", "date_from", "date_to", "apart", "next"]
        + ["type", "issuer", "field", "year", "status"]  # documents.views.documents
        + ["week", "leader", "topic", "kind", "code", "paragraph", "format"]  # issue 12's pages
        + ["cursor", "limit"]  # the open data API (cangxanh.api)
    ),
    any_text.map(_encoded),
    st.sampled_from(BROKEN),
)
# A query string written raw (broken encodings stay broken) or encoded as a browser would.
query = st.lists(st.tuples(parameter, value), max_size=3).flatmap(
    lambda pairs: st.sampled_from(
        [
            "&".join(f"{k}={v}" for k, v in pairs),
            "&".join(f"{_encoded(k)}={_encoded(v)}" for k, v in pairs),
        ]
    )
)


@pytest.fixture
def content(make_article, site_identity):
    """A little of everything the pages read: two sections (one named as on the live
    site, as in the review's addresses) and an article in every language."""
    other = Section.objects.create(key="tin-doi-ngoai", position=2)
    SectionTranslation.objects.create(
        section=other, language="vi", name="Tin đối ngoại", slug="tin-doi-ngoai"
    )
    SectionTranslation.objects.create(
        section=other, language="en", name="Foreign affairs", slug="foreign-affairs"
    )
    return make_article(LANGS)


def _status(client: Client, address: str) -> int:
    # A savepoint per request: a database error (PostgreSQL aborts the transaction)
    # stays in its own example instead of failing every example after it.
    savepoint = transaction.savepoint()
    try:
        return client.get(address).status_code
    finally:
        transaction.savepoint_rollback(savepoint)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lang=lang,
    n=number,
    y=year,
    a=name,
    b=name,
    route=st.integers(min_value=0, max_value=ROUTE_COUNT - 1),
    qs=query,
)
@example(lang="vi", n="99999999999999999999999", y="2026", a="x", b="x", route=1, qs="")
@example(lang="vi", n="9223372036854775808", y="2026", a="x", b="x", route=1, qs="")
@example(lang="vi", n="99999999999999999999999", y="2026", a="tin-doi-ngoai", b="x", route=3, qs="")
@example(lang="vi", n="1", y="0000", a="tin-doi-ngoai", b="x", route=9, qs="")
@example(lang="vi", n="1", y="2026", a="a" * 5000, b="x", route=18, qs="")
# A null byte and impossible dates in the search form (PostgreSQL refuses NUL in text).
@example(
    lang="vi", n="1", y="2026", a="x", b="x", route=10, qs="q=a%00b&date_from=0000-01-01&page=%00"
)
def test_no_address_answers_500(content, lang, n, y, a, b, route, qs):
    client = Client(raise_request_exception=False)
    address = _routes(lang, n, y, a, b)[route]
    if qs:
        address = f"{address}?{qs}"
    status = _status(client, address)
    assert status < 500, f"{status} for {address[:300]!r}"


@pytest.mark.parametrize("address", REVIEWED)
def test_the_reviewed_addresses_are_not_found(content, address):
    """The five addresses of the review, one by one: a plain 404 (none of them exists)."""
    assert Client(raise_request_exception=False).get(address).status_code == 404


@pytest.mark.parametrize("address", [f"/{code}/a/{{id}}/" for code in LANGS])
def test_ids_up_to_the_largest_bigint_still_resolve(content, address):
    """The converters refuse only what no row can have: a real id still redirects."""
    client = Client(raise_request_exception=False)
    assert client.get(address.format(id=content.pk)).status_code == 301
    assert client.get(address.format(id=2**63 - 1)).status_code == 404


def test_a_year_of_the_archive_still_resolves(content):
    """The year converter refuses only impossible years: this year's page is there."""
    client = Client(raise_request_exception=False)
    year = timezone.localtime(content.translations.get(language="vi").published_at).year
    assert client.get(f"/vi/sitemap/hop-tac-quoc-te/{year}/").status_code == 200
    assert client.get("/vi/sitemap/hop-tac-quoc-te/2999/").status_code == 404

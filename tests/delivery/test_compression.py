"""gzip and brotli from the page cache: pages, feeds and sitemaps, compressed once per copy,
each answer in the coding the request accepts, through the real WSGI stack."""

import gzip
import random
import zlib

import brotli
import pytest

from cangxanh.delivery import encoding

from .conftest import VIEWS, call, reader

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def published(make_article, site_identity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(["vi", "en"], views=10)
    return article.translations.get(language="vi")


def decoded(answer) -> bytes:
    coding = answer.headers.get("content-encoding")
    if coding == "br":
        return brotli.decompress(answer.body)
    if coding == "gzip":
        return gzip.decompress(answer.body)  # checks the CRC-32 and the length too
    assert coding is None
    return answer.body


def without_count(body: bytes) -> str:
    return VIEWS.sub("data-views>N", body.decode())


def test_a_page_comes_in_the_coding_asked_for_and_decodes_to_the_same_page(front, published):
    plain = call(front, "/vi/")
    assert "content-encoding" not in plain.headers, "a client that names no coding"
    assert "accept-encoding" in plain.headers["vary"].lower()
    for accept, coding in [
        (BROWSER, "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("*", "br"),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
    ]:
        answer = call(front, "/vi/", accept_encoding=accept)
        assert answer.hit and answer.status == 200
        assert answer.headers.get("content-encoding") == coding, accept
        assert answer.headers["content-length"] == str(len(answer.body))
        assert "accept-encoding" in answer.headers["vary"].lower()
        assert answer.headers["etag"] == plain.headers["etag"]
        assert decoded(answer) == plain.body, accept
    assert len(call(front, "/vi/", accept_encoding="br").body) < len(plain.body) / 2


def test_the_first_reader_gets_it_compressed_too(front, published):
    first = call(front, "/vi/", accept_encoding=BROWSER)
    assert not first.hit and first.headers["content-encoding"] == "br"
    assert first.headers["content-length"] == str(len(first.body))
    assert decoded(first) == call(front, "/vi/").body


def test_an_article_comes_in_gzip_with_the_count_of_that_moment(front, published, buffered):
    url = published.get_absolute_url()
    plain = call(front, url, **reader(1))
    shown = []
    for number, accept in enumerate((BROWSER, "gzip", BROWSER), start=2):
        answer = call(front, url, accept_encoding=accept, **reader(number))
        # The live count keeps articles out of brotli (cangxanh.delivery.encoding).
        assert answer.hit and answer.headers["content-encoding"] == "gzip"
        assert answer.headers["content-length"] == str(len(answer.body))
        page = decoded(answer)
        assert without_count(page) == without_count(plain.body)
        shown.append(int(VIEWS.search(page.decode()).group(1)))
    assert [plain.views, *shown] == [11, 12, 13, 14]


def test_the_gzip_assembly_is_exact_for_any_count():
    rng = random.Random(11)
    for _ in range(300):
        head = rng.randbytes(rng.randrange(0, 5000))
        tail = bytes(rng.choice(b"<p>ab c</p>") for _ in range(rng.randrange(0, 5000)))
        forms = encoding.compress(head, tail)
        for count in (b"", b"1 view", "1.234.567 lượt xem".encode(), rng.randbytes(40)):
            body = encoding.encode(forms, encoding.GZIP, head, count, tail)
            assert gzip.decompress(body) == head + count + tail


def test_head_and_304_answer_as_the_coding_would(front, published):
    url = published.get_absolute_url()
    for path in ("/vi/", url):
        got = call(front, path, accept_encoding=BROWSER)
        head = call(front, path, method="HEAD", accept_encoding=BROWSER)
        assert head.hit and head.body == b""
        assert head.headers["content-encoding"] == got.headers["content-encoding"]
        assert int(head.headers["content-length"]) == len(got.body)
        again = call(front, path, accept_encoding=BROWSER, if_none_match=got.headers["etag"])
        assert again.status == 304 and again.body == b""
        assert "content-encoding" not in again.headers
        assert again.headers["etag"] == got.headers["etag"]
        assert "accept-encoding" in again.headers["vary"].lower()


@pytest.mark.parametrize(
    "path",
    [
        "/vi/feed/",
        "/en/feed/atom/",
        "/sitemap.xml",
        "/sitemap-articles-vi.xml",
        "/sitemap-pages.xml",
    ],
)
def test_feeds_and_sitemaps_are_cached_and_compressed(front, published, path):
    plain = call(front, path)
    assert plain.status == 200 and not plain.hit
    for accept in ("br", "gzip"):
        answer = call(front, path, accept_encoding=accept)
        assert answer.hit and answer.headers["content-encoding"] == accept
        assert decoded(answer) == plain.body
        assert "accept-encoding" in answer.headers["vary"].lower()
        assert answer.headers["cache-control"] == "public, max-age=300"
        assert answer.headers["last-modified"] == plain.headers["last-modified"]


def test_each_copy_is_compressed_once_however_many_readers(front, published, monkeypatch):
    made = {"brotli": 0, "gzip": 0, "deflate": 0}

    def counted(name, compressor):
        def run(*args, **kwargs):
            made[name] += 1
            return compressor(*args, **kwargs)

        return run

    monkeypatch.setattr(brotli, "compress", counted("brotli", brotli.compress))
    monkeypatch.setattr(zlib, "compress", counted("gzip", zlib.compress))
    monkeypatch.setattr(zlib, "compressobj", counted("deflate", zlib.compressobj))
    url = published.get_absolute_url()
    for path in ("/vi/", "/vi/feed/", url):
        call(front, path, accept_encoding=BROWSER)
    # Home and the feed whole in br and gzip; the article's two deflate parts.
    assert made == {"brotli": 2, "gzip": 2, "deflate": 2}
    for accept in (BROWSER, "gzip", "br", "", "identity") * 10:
        for path in ("/vi/", "/vi/feed/", url):
            assert call(front, path, accept_encoding=accept).hit
    assert made == {"brotli": 2, "gzip": 2, "deflate": 2}


def test_staff_pages_are_never_compressed(front, published, staff):
    # They carry CSRF tokens: compressed, those would be open to BREACH.
    session = f"sessionid={staff.cookies['sessionid'].value}"
    for path in ("/editorial/", "/admin/", published.get_absolute_url()):
        answer = call(front, path, cookie=session, accept_encoding=BROWSER)
        assert answer.status == 200 and "content-encoding" not in answer.headers, path

"""The search page over HTTP, in several languages, and its answers to any query at all."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from cangxanh.news.models import Article, ArticleTranslation, Status
from cangxanh.search.index import index_rebuild

pytestmark = pytest.mark.django_db


def page(client, prefix: str, **params):
    response = client.get(f"/{prefix}/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def marks(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html)]


def hit_titles(html: str) -> list[str]:
    found = re.findall(r'<h2 class="hit__title"[^>]*><a href="[^"]+">(.*?)</a></h2>', html, re.S)
    return [unescape(re.sub(r"</?mark>", "", t)) for t in found]


def test_vietnamese_results_are_highlighted_in_their_accented_form(client, corpus):
    html = page(client, "vi", q="da nang")
    assert '<meta name="robots" content="noindex">' in html
    assert hit_titles(html) == [corpus["vi-danang"].title]
    assert f'href="{corpus["vi-danang"].get_absolute_url()}"' in html
    assert "Đà Nẵng" in marks(html)
    assert '<p class="search-summary__count">1 ' in html
    # The query stays in the box.
    assert 'name="q" value="da nang"' in html


def test_the_count_is_worded_in_the_page_language(client, corpus):
    assert "1 result for “busan”" in unescape(page(client, "en", q="busan"))
    assert "2 results for “busan”" in unescape(page(client, "en", q="busan", lang="all"))


def test_chinese_japanese_and_korean_pages(client, corpus, sections):
    zh = page(client, "zh-hans", q="北九州")
    assert hit_titles(zh) == [corpus["zh-haiphong"].title]
    # The section kicker is in the hit's language and leads to its section.
    ports = sections["ports"].translation("zh-hans")
    assert f'href="{ports.get_absolute_url()}" lang="zh-Hans">港口</a>' in zh
    assert f'href="{corpus["zh-haiphong"].get_absolute_url()}"' in zh
    assert "北九州" in marks(zh)
    ja = page(client, "ja", q="海防")
    assert hit_titles(ja) == [corpus["ja-kitakyushu"].title]
    assert "海防" in marks(ja)
    ko = page(client, "ko", q="하이퐁")
    assert hit_titles(ko) == [corpus["ko-haiphong"].title]
    assert "하이퐁" in marks(ko)  # inside 하이퐁시의: the mark is the name, not the particles
    assert "하이퐁시의" not in marks(ko)


def test_the_page_language_is_the_default_and_all_languages_is_a_choice(client, corpus):
    vi = page(client, "vi", q="busan")
    assert hit_titles(vi) == [corpus["vi-haiphong"].title]
    assert 'class="hit__lang"' not in vi
    everything = page(client, "vi", q="busan", lang="all")
    assert set(hit_titles(everything)) == {corpus["vi-haiphong"].title, corpus["en-haiphong"].title}
    # Each hit says its language and is marked up in it.
    assert '<span class="hit__lang" lang="en">English</span>' in everything
    assert '<h2 class="hit__title" lang="en">' in everything


def test_filters_by_section_and_dates(client, corpus, sections):
    culture = page(client, "vi", q="cang", section=str(sections["culture"].pk))
    assert hit_titles(culture) == [corpus["vi-unaccented"].title]
    january = page(client, "vi", q="cang", date_from="2024-01-01", date_to="2024-01-31")
    assert hit_titles(january) == [corpus["vi-haiphong"].title]
    # The section list is in the page's language.
    assert ">Văn hóa</option>" in culture
    assert ">港湾</option>" in page(client, "ja", q="x")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2024-13-45"}, "The start date is not a date"),
        ({"date_to": "yesterday"}, "The end date is not a date"),
        ({"date_from": "2024-05-01", "date_to": "2024-01-01"}, "The start date is after"),
        ({"date_from": "0001-01-01"}, "Use a date between 1900 and 2999"),
        ({"date_to": "9999-12-31"}, "Use a date between 1900 and 2999"),
        ({"section": "999999"}, "There is no such section"),
        ({"section": "'; DROP TABLE"}, "There is no such section"),
        ({"lang": "klingon"}, "Unknown language choice"),
    ],
)
def test_bad_filters_get_a_message_and_are_left_out(client, corpus, params, message):
    html = page(client, "en", q="busan", **params)
    assert message in unescape(html)
    # The search still runs with the rest.
    assert hit_titles(html) == [corpus["en-haiphong"].title]


def test_the_words_together_first_with_a_link_to_the_words_apart(client, corpus):
    html = page(client, "vi", q="hai phong")
    assert set(hit_titles(html)) == {corpus["vi-haiphong"].title, corpus["vi-unaccented"].title}
    assert corpus["vi-hanghai"].title not in hit_titles(html)
    link = re.search(r'<a href="(\?[^"]*apart=1[^"]*)">([^<]+)</a>', html)
    assert link, html
    apart = client.get("/vi/search/" + unescape(link.group(1))).content.decode()
    assert hit_titles(apart)[-1] == corpus["vi-hanghai"].title


def test_pagination_keeps_the_query_and_a_page_past_the_end_shows_the_last(client, sections):
    article_rows = []
    for number in range(23):
        article = Article.objects.create(section=sections["ports"])
        article_rows.append(
            ArticleTranslation(
                article=article,
                language="en",
                title=f"Container terminal report number {number}",
                slug=f"report-{number}",
                status=Status.PUBLISHED,
                published_at=timezone.now() - timedelta(days=number + 1),
            )
        )
    ArticleTranslation.objects.bulk_create(article_rows)
    index_rebuild()
    first = page(client, "en", q="container")
    assert len(hit_titles(first)) == 10
    assert "Page 1 of 3" in first
    # Newest first among equals.
    assert hit_titles(first)[0] == "Container terminal report number 0"
    assert 'href="?q=container&amp;page=2"' in first
    third = page(client, "en", q="container", page="3")
    assert len(hit_titles(third)) == 3
    beyond = page(client, "en", q="container", page="40")
    assert hit_titles(beyond) == hit_titles(third)
    assert "There is no page 40: here is the last one." in beyond
    for bad in ("0", "-1", "abc", "1.5", "9" * 40):
        assert page(client, "en", q="container", page=bad)


def test_nothing_found_says_so_and_offers_ways_out(client, corpus, sections):
    html = unescape(page(client, "en", q='"green harbour pilots"', section=sections["culture"].pk))
    assert "Nothing matched “green harbour pilots”" in html
    assert "Search all languages" in html
    assert "Remove the filters" in html
    assert "Search without the quotes" in html
    assert "lang=all" in html


def test_an_empty_query_invites_to_search(client, corpus):
    html = unescape(page(client, "en"))
    assert "Type a word, a name or a phrase to search the articles in English." in html
    assert 'class="hit"' not in html
    assert 'type="search"' in html and 'for="search-q"' in html
    vi = page(client, "vi", q="")
    assert '<div class="search-empty search-empty--start">' in vi and "Tiếng Việt" in vi


def test_a_query_with_nothing_to_search_for_says_so(client, corpus):
    html = unescape(page(client, "en", q="😀 !!!"))
    assert "There is nothing to search for in “😀 !!!”" in html


def test_the_switcher_keeps_the_search(client, corpus):
    html = page(client, "vi", q="busan")
    assert 'href="/ko/search/?q=busan"' in html


def test_more_results_than_shown_say_so(client, corpus, monkeypatch):
    from cangxanh.search import engine

    monkeypatch.setattr(engine, "LIMIT", 1)
    html = unescape(page(client, "en", q="busan", lang="all"))
    assert "More than 1 results for “busan”" in html
    assert "The newest 1 are shown, best first." in html
    assert len(hit_titles(html)) == 1


def test_html_in_articles_and_queries_is_escaped(client, sections):
    article = Article.objects.create(section=sections["ports"])
    ArticleTranslation.objects.create(
        article=article,
        language="en",
        title="Harbour <script>alert(1)</script> night",
        lead="Ships & <b>boats</b>",
        body="<p>The harbour at night &lt;img src=x onerror=alert(1)&gt;</p>",
        status=Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    index_rebuild()
    html = page(client, "en", q="harbour")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<mark>Harbour</mark> &lt;script&gt;alert(1)&lt;/script&gt; night" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    echoed = page(client, "en", q='<script>alert("q")</script>')
    assert "<script>alert" not in echoed
    assert 'value="&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;"' in echoed


ODD_QUERIES = [
    "",
    "   ",
    "x" * 10_000,
    "cảng " * 2_000,
    "'; DROP TABLE news_articletranslation; --",
    '"unpaired',
    'a"b"c"',
    "NEAR(",
    "NEAR(a b, 3)",
    "*",
    "-",
    "^",
    "title:x",
    "OR AND NOT",
    "\x00\x1f",
    "cảng\x00biển",
    "😀🚢🇻🇳",
    "!!!???...",
    "مرحبا بالعالم",
    "שלום",
    "\u0301\u0303\u0323",
    "\u202e\u202d",
    "%",
    "\\",
    "''",
    "{title body}: x",
    "港",
    "ー",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
@pytest.mark.parametrize("lang", ["vi", "ja"])
def test_any_query_gets_a_page(client, corpus, q, lang):
    response = client.get(f"/{lang}/search/", {"q": q, "page": "2", "lang": "all"})
    assert response.status_code == 200
    assert b'name="robots" content="noindex"' in response.content

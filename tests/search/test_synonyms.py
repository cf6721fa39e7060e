"""The city's names in each language find each other (cangxanh/search/synonyms.py).

Each article here writes the name one way only, so that a search finds it
through the other names or not at all. Run on SQLite and on PostgreSQL.
"""

import re
from html import unescape

import pytest

from cangxanh.news.models import Article, ArticleTranslation, Status
from cangxanh.search import engine
from cangxanh.search.analyzer import parse_query
from cangxanh.search.index import index_rebuild

from .conftest import publish_time

pytestmark = pytest.mark.django_db

ARTICLES = {
    "ja-katakana": ("ja", "ハイフォン市の港湾を視察", "代表団はハイフォンの港を見学した。"),
    "ja-kanji": ("ja", "海防港の新しい埠頭", "新しい埠頭が完成した。"),
    "ja-other": ("ja", "北九州市の港湾を視察", "代表団は門司港を見学した。"),
    "zh": ("zh-hans", "海防港新码头投入使用", "新码头正式启用。"),
    "ko": ("ko", "하이퐁항 새 부두 개장", "새 부두가 문을 열었다."),
    "en": ("en", "A new wharf opens in Hai Phong", "The wharf is the port's largest."),
}


@pytest.fixture
def named(sections, site_identity):
    rows = {}
    for day, (key, (lang, title, lead)) in enumerate(ARTICLES.items(), start=1):
        article = Article.objects.create(section=sections["ports"], original_language=lang)
        rows[key] = ArticleTranslation.objects.create(
            article=article,
            language=lang,
            title=title,
            lead=lead,
            body="<p>…</p>",
            status=Status.PUBLISHED,
            published_at=publish_time(f"2024-06-{day:02}"),
        )
    index_rebuild()
    return rows


def found(named, q: str, lang: str | None) -> set[str]:
    names = {row.pk: key for key, row in named.items()}
    results = engine.search(parse_query(q), engine.Filters(language=lang))
    return {names[hit.id] for hit in results.hits}


def test_the_han_name_finds_the_japanese_articles_in_katakana_and_back(named):
    assert found(named, "海防", "ja") == {"ja-katakana", "ja-kanji"}
    assert found(named, "ハイフォン", "ja") == {"ja-katakana", "ja-kanji"}
    # Quoted, a name is looked for as written.
    assert found(named, '"ハイフォン"', "ja") == {"ja-katakana"}


def test_every_language_s_name_finds_the_others(named):
    """In its own language each name finds the article written with another name."""
    for q in ("海防", "ハイフォン", "하이퐁", "Hai Phong", "Hải Phòng", "hai phong"):
        assert found(named, q, "ja") == {"ja-katakana", "ja-kanji"}, q
        assert found(named, q, "ko") == {"ko"}, q
        assert found(named, q, "zh-hans") == {"zh"}, q
        assert found(named, q, "en") == {"en"}, q


def test_in_every_language_a_name_finds_the_names_of_the_languages_that_write_it(named):
    """Each other name is one more search of the whole index: a search of every
    language widens a name only to the names of the languages that use it."""
    assert found(named, "海防", None) == {"ja-katakana", "ja-kanji", "zh"}
    assert found(named, "ハイフォン", None) == {"ja-katakana", "ja-kanji", "zh"}
    assert found(named, "하이퐁", None) == {"ko"}
    assert found(named, "Hai Phong", None) == {"en"}


def test_the_search_page_marks_the_name_as_the_article_writes_it(client, named):
    response = client.get("/ja/search/", {"q": "海防"})
    assert response.status_code == 200
    marked = {unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", response.content.decode())}
    assert {"海防", "ハイフォン"} <= marked


def test_a_search_in_one_language_looks_only_for_the_names_that_language_writes(named):
    """A Korean reader typing the Vietnamese name finds the Korean article; a Vietnamese
    search for the Vietnamese name is not widened at all (it costs what two words cost)."""
    assert found(named, "Hải Phòng", "ko") == {"ko"}
    assert found(named, "하이퐁", "zh-hans") == {"zh"}
    query = parse_query("hai phong")
    for lang in ("vi", "en"):
        conditions = engine.plan(query, together=True, lang=lang)
        assert not any(isinstance(c, engine.Either) for c in conditions), lang
    widened = engine.plan(parse_query("海防"), together=True, lang="ja")
    assert any(isinstance(c, engine.Either) for c in widened)

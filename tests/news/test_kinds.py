"""Kinds of content (news.kinds): an item of another kind never shows up as news.

A test-only kind stands in for the documents, pages and events of issue 12. Its
item is published in the same section as a news article (a kind may have one),
so that every list that forgot `.news()` would show it: home, section, feeds,
the article sitemaps, the HTML site map, most read and related.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cangxanh.news import kinds
from cangxanh.news.models import Article, ArticleTranslation, Status
from cangxanh.search.index import entry_update, index_rebuild
from cangxanh.stats.models import DailyViews

WORD = "Thủyliệu"  # one made-up word, found only in the other kind's item


def _kind_url(row) -> str:
    return f"/{row.language}/test-kind/{row.slug}-{row.article_id}/"


@pytest.fixture
def test_kind():
    kinds.register(
        kinds.Kind(
            "testkind",
            "test item",
            "test items",
            url=_kind_url,
            list_url=lambda lang: f"/{lang}/test-kind/",
        )
    )
    yield "testkind"
    kinds.unregister("testkind")


@pytest.fixture
def other(test_kind, section, make_article, site_identity):
    news = make_article(("vi", "en"))
    item = Article.objects.create(kind=test_kind, section=section)
    now = timezone.now() - timedelta(hours=1)  # newer than the news article
    for lang in ("vi", "en"):
        row = ArticleTranslation.objects.create(
            article=item,
            language=lang,
            title=f"{WORD} {lang}",
            lead=f"{WORD} lead",
            body=f"<p>{WORD} body</p>",
            status=Status.PUBLISHED,
            published_at=now,
        )
        DailyViews.objects.create(translation=row, day=timezone.localdate(), count=500)
    index_rebuild()
    return news, item


NEWS_PAGES = [
    "/vi/",
    "/vi/hop-tac-quoc-te/",
    "/vi/feed/",
    "/vi/feed/atom/",
    "/vi/hop-tac-quoc-te/feed/",
    "/sitemap-articles-vi.xml",
    "/sitemap-pages.xml",
    "/vi/sitemap/",
]


@pytest.mark.parametrize("path", NEWS_PAGES)
def test_another_kind_never_shows_among_the_news(client, other, path):
    response = client.get(path)
    assert response.status_code == 200
    assert WORD not in response.content.decode()


def test_the_news_lists_still_show_the_news(client, other):
    news, _item = other
    home = client.get("/vi/").content.decode()
    assert news.translations.get(language="vi").title in home


def test_no_related_link_and_no_count_in_the_site_map(client, other):
    news, item = other
    page = client.get(news.translations.get(language="vi").get_absolute_url()).content.decode()
    assert WORD not in page
    assert f"-{item.pk}/" not in page
    year = timezone.localdate().year
    by_year = client.get(f"/vi/sitemap/hop-tac-quoc-te/{year}/").content.decode()
    assert WORD not in by_year


def test_addresses_of_another_kind_lead_to_its_own(client, other):
    _news, item = other
    row = item.translations.get(language="vi")
    assert row.get_absolute_url() == f"/vi/test-kind/{row.slug}-{item.pk}/"
    permalink = client.get(f"/vi/a/{item.pk}/")
    assert permalink.status_code == 301
    assert permalink["Location"] == row.get_absolute_url()
    # The news address of its id answers with the kind's own address.
    as_news = client.get(f"/vi/hop-tac-quoc-te/{row.slug}-{item.pk}/")
    assert as_news.status_code == 301
    assert as_news["Location"] == row.get_absolute_url()


def test_its_sitemap_is_its_own(client, other):
    _news, item = other
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-testkind-vi.xml" in index
    own = client.get("/sitemap-testkind-vi.xml").content.decode()
    assert item.translations.get(language="vi").get_absolute_url() in own
    articles = client.get("/sitemap-articles-vi.xml").content.decode()
    assert f"-{item.pk}/" not in articles


def test_search_finds_it_with_its_address_and_by_its_kind(client, other):
    _news, item = other
    row = item.translations.get(language="vi")
    everything = client.get("/vi/search/", {"q": WORD}).content.decode()
    assert row.get_absolute_url() in everything
    assert "test items" in everything  # the kind's name where a section would stand
    assert 'name="kind"' in everything  # two kinds searched: the reader may choose
    only = client.get("/vi/search/", {"q": WORD, "kind": "testkind"}).content.decode()
    assert row.get_absolute_url() in only
    news_only = client.get("/vi/search/", {"q": WORD, "kind": "news"}).content.decode()
    assert row.get_absolute_url() not in news_only


def test_a_kind_readers_do_not_search_has_no_entry(other):
    _news, item = other
    row = item.translations.get(language="vi")
    kinds.register(kinds.Kind("testkind", "test item", "test items", searchable=False))
    assert entry_update(row) is False
    assert index_rebuild() == 2  # the news article's two translations only


def test_a_news_article_needs_a_section(db):
    article = Article(kind=kinds.NEWS)
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "section" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(kind=kinds.NEWS)


def test_an_unknown_kind_is_refused_by_validation(db):
    with pytest.raises(ValidationError) as caught:
        Article(kind="nonsense").full_clean()
    assert "kind" in caught.value.message_dict


def test_a_section_may_not_take_an_address_of_the_site(section):
    from django.core.checks import run_checks

    from cangxanh.news.models import SectionTranslation

    row = SectionTranslation(section=section, language="ko", name="Search", slug="search")
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "slug" in caught.value.message_dict
    kinds.reserve("test-words")
    SectionTranslation.objects.filter(section=section, language="en").update(slug="test-words")
    errors = [e for e in run_checks(databases=["default"]) if e.id == "cangxanh.news.E001"]
    assert [e.msg for e in errors] == [
        "The section address /en/test-words/ is also a page of the site."
    ]

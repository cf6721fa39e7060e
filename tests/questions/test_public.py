"""The published answers as readers get them: cached public pages, the honest "not
translated yet" page, canonical addresses, topics, and nothing of another kind."""

import pytest

from cangxanh.news.models import Article, ArticleTranslation
from cangxanh.questions import services
from cangxanh.questions.models import KIND

pytestmark = pytest.mark.django_db


def test_the_list_and_the_answer_are_public_pages(client, published):
    listing = client.get("/en/questions/")
    assert listing.status_code == 200
    assert listing["Cache-Control"].startswith("public")
    assert "Receiving a delegation from Incheon" in listing.content.decode()
    page = client.get(published["en"].get_absolute_url())
    assert page.status_code == 200 and page["Cache-Control"].startswith("public")
    body = page.content.decode()
    assert 'hreflang="vi"' in body and 'hreflang="en"' in body
    assert '<meta name="DC.title" content="Receiving a delegation from Incheon">' in body


def test_a_wrong_slug_redirects_and_a_missing_language_says_so(client, published):
    en = published["en"]
    response = client.get(f"/en/questions/another-slug-{en.article_id}/?utm=x")
    assert response.status_code == 301
    assert response["Location"].startswith(en.get_absolute_url())
    assert client.get(f"/ko/questions/x-{en.article_id}/").status_code == 404
    assert client.get(f"/en/a/{en.article_id}/")["Location"] == en.get_absolute_url()


def test_a_news_article_is_no_answer(client, make_article):
    article = make_article(["vi"])
    assert client.get(f"/vi/questions/x-{article.pk}/").status_code == 404
    assert client.get("/vi/questions/").content.decode().count("qa-item__title") == 0


def test_an_unknown_topic_shows_everything_with_a_note(client, published):
    page = client.get("/en/questions/?topic=%00nonsense").content.decode()
    assert "There is no such topic" in page
    assert "/en/questions/" in page


def test_answers_never_show_among_the_news(client, published):
    assert "Thủ tục đón đoàn Incheon" not in client.get("/vi/").content.decode()
    assert "Thủ tục đón đoàn Incheon" not in client.get("/vi/feed/").content.decode()


def test_the_ask_and_track_pages_are_never_cached_even_with_the_page_cache_on(
    client, settings, topics
):
    settings.PAGE_CACHE = True
    for path in ("/vi/questions/ask/", "/vi/questions/track/", "/vi/questions/challenge/"):
        first = client.get(path)
        assert "no-store" in first["Cache-Control"], path
        assert "ETag" not in first, path


def test_staff_preview_an_answer_before_it_is_published(client, people, make_question):
    question = make_question()
    article = Article.objects.create(kind=KIND, original_language="vi")
    services.question_link_answer(question=question, article=article, by=people["editor"])
    draft = ArticleTranslation.objects.create(
        article=article,
        language="vi",
        title="Bản nháp câu trả lời",
        lead="Câu hỏi",
        body="<p>Trả lời.</p>",
    )
    assert client.get(f"/vi/questions/x-{article.pk}/").status_code == 404
    client.force_login(people["editor"])
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Bản nháp câu trả lời" in page and "preview-banner" in page
    assert 'name="robots" content="noindex"' in page

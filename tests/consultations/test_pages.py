"""The consultations' pages as readers get them: the list and one consultation, in
every language, with the draft paragraph by paragraph and its published comments."""

from datetime import timedelta

import pytest

from cangxanh.inbox.models import State
from cangxanh.news.models import Status

from ..conftest import LANGS
from .conftest import PARAGRAPHS, TITLES, keys

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


@pytest.mark.parametrize("lang", LANGS)
def test_the_list_and_a_consultation_in_every_language(
    client, site_identity, make_consultation, lang, settings
):
    settings.SITE_URL = "https://portal.example"
    article = make_consultation()
    make_consultation(opens=timedelta(days=5), closes=timedelta(days=20))
    make_consultation(opens=timedelta(days=-40), closes=timedelta(days=-10))
    listing = main(page(client, f"/{lang}/consultations/"))
    title, lead = TITLES[lang]
    assert listing.count(title) == 3  # open, upcoming and closed
    for group in ("open", "upcoming", "closed"):
        assert f'id="group-{group}"' in listing
    assert listing.index('id="group-open"') < listing.index('id="group-upcoming"')

    row = article.translations.get(language=lang)
    html = page(client, row.get_absolute_url())
    body = main(html)
    assert f"/{lang}/consultations/" in row.get_absolute_url()
    assert title in body and lead in body
    # The draft with its anchors, a link to comment on each paragraph (not the heading).
    anchors = keys(row.body)
    for key in anchors:
        assert f'id="{key}"' in body
    for key in anchors[1:]:
        assert f"comment/?paragraph={key}#comment-form" in body
    assert f"comment/?paragraph={anchors[0]}" not in body
    for words in PARAGRAPHS[lang][1:]:
        assert words in body
    assert f'<html lang="{ {"zh-hans": "zh-Hans"}.get(lang, lang) }">' in html
    assert f'<link rel="canonical" href="https://portal.example{row.get_absolute_url()}">' in html
    assert 'hreflang="ko"' in html and 'name="DC.title"' in html
    # Nothing per visitor on a page the cache keeps for everyone.
    assert "csrfmiddlewaretoken" not in html and "form_token" not in html


def test_a_slug_of_another_language_redirects_and_a_missing_language_says_so(
    client, site_identity, make_consultation
):
    article = make_consultation(langs=("vi", "en"))
    en = article.translations.get(language="en")
    response = client.get(f"/en/consultations/wrong-slug-{article.pk}/?utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == f"{en.get_absolute_url()}?utm_source=x"
    html = page(client, f"/ko/consultations/x-{article.pk}/", status=404)
    assert en.get_absolute_url() in html  # the languages it exists in


def test_a_draft_or_unknown_consultation_is_not_found(client, site_identity, make_consultation):
    article = make_consultation(status=Status.DRAFT)
    page(client, f"/vi/consultations/x-{article.pk}/", status=404)
    page(client, f"/vi/consultations/x-{article.pk}/comment/", status=404)
    page(client, "/vi/consultations/x-99999999/", status=404)
    assert TITLES["vi"][0] not in page(client, "/vi/consultations/")


def test_published_comments_stand_under_their_paragraph_with_a_count(
    client, site_identity, make_consultation, make_comment, approver
):
    article = make_consultation()
    row = article.translations.get(language="vi")
    first, second = keys(row.body)[1:3]
    make_comment(
        article, "Nên nêu rõ thời hạn.", paragraph=first, state=State.PUBLISHED, by=approver
    )
    make_comment(
        article, "Đồng ý với điều này.", paragraph=first, state=State.PUBLISHED, by=approver
    )
    make_comment(article, "Ý kiến chung về dự thảo.", state=State.PUBLISHED, by=approver)
    make_comment(article, "Chưa được duyệt.", paragraph=second)
    body = main(page(client, row.get_absolute_url()))
    tools = body[body.index(f'id="{first}"') : body.index(f'id="{second}"')]
    assert "Nên nêu rõ thời hạn." in tools and "Đồng ý với điều này." in tools
    assert "Ý kiến chung về dự thảo." in body[body.index('id="comments-title"') :]
    assert "Chưa được duyệt." not in body
    assert "an@example.test" not in body  # an e-mail address is never shown
    # The same comments on the English page: its paragraphs share the anchors.
    english = main(page(client, article.translations.get(language="en").get_absolute_url()))
    tools = english[english.index(f'id="{first}"') : english.index(f'id="{second}"')]
    assert "Nên nêu rõ thời hạn." in tools and "2 comments" in tools
    assert '<div class="comment__text" lang="vi">' in tools  # in the language it was written
    assert "3 comments published" in english
    assert "Chưa được duyệt." not in english


def test_an_upcoming_consultation_shows_its_draft_without_comment_links(
    client, site_identity, make_consultation
):
    article = make_consultation(opens=timedelta(days=2), closes=timedelta(days=9))
    body = main(page(client, article.translations.get(language="en").get_absolute_url()))
    assert "Opens for comments on" in body
    assert "para-tools__comment" not in body and "comment/" not in body

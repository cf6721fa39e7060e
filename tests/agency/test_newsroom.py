"""Pages in the newsroom: made and edited like articles, their facts waiting for approval,
previewed with their own template."""

import pytest
from django.urls import reverse

from cangxanh.agency.models import PAGE, PageFacts
from cangxanh.editorial import facts, workflow
from cangxanh.editorial.models import Action, PendingVersion
from cangxanh.news.models import Article, Status

from ..conftest import management
from .conftest import url_of

ADD = "admin:agency_agencypage_add"
CHANGE = "admin:agency_agencypage_change"


def page_post(article=None, user=None, **fields) -> dict:
    """The page form's data: the page as it stands (its waiting facts, its original's
    words), or a new one in Vietnamese; `fields` override the facts."""
    if article is None:
        data = {
            "original_language": "vi",
            "position": "3",
            "layout": "text",
            **management("translations", 1),
            "translations-0-language": "vi",
            "translations-0-title": "Quy chế làm việc",
            "translations-0-slug": "",
            "translations-0-lead": "Quy chế làm việc của Sở.",
            "translations-0-body": "<p>Nội dung quy chế.</p>",
        }
    else:
        extra = facts.working(article)["extra"]
        rows = [article.translations.get(language=article.original_language)]
        data = {
            "original_language": article.original_language,
            "parent": str(extra["parent"] or ""),
            "position": str(extra["position"]),
            "key": extra["key"] or "",
            "layout": extra["layout"],
            "person": str(extra["person"] or ""),
            "phone": extra["phone"],
            "email": extra["email"],
            **management("translations", 1, 1),
            "pictures-id": [str(i) for i in facts.working(article)["images"]],
        }
        for position, image_id in enumerate(facts.working(article)["images"], start=1):
            data[f"pictures-{image_id}-position"] = str(position)
        if data["pictures-id"]:
            data["pictures-main"] = data["pictures-id"][0]
        for index, row in enumerate(rows):
            words = getattr(row, "pending_version", None) or row
            data |= {
                f"translations-{index}-id": str(row.pk),
                f"translations-{index}-article": str(article.pk),
                f"translations-{index}-language": row.language,
                f"translations-{index}-title": words.title,
                f"translations-{index}-slug": words.slug,
                f"translations-{index}-lead": words.lead,
                f"translations-{index}-body": words.body,
            }
    return data | fields


def test_an_editor_creates_a_page_and_an_approver_publishes_it(client, people, agency):
    client.force_login(people["editor"])
    assert client.get(reverse(ADD)).status_code == 200
    data = page_post(parent=str(agency["structure"].pk), phone="0225 3000 999")
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = Article.objects.get(translations__title="Quy chế làm việc")
    assert page.kind == PAGE and page.section_id is None
    # Nobody sees it yet: its facts are its own at once.
    place = PageFacts.objects.get(article=page)
    assert (place.parent_id, place.position, place.phone) == (
        agency["structure"].pk,
        3,
        "0225 3000 999",
    )
    row = page.translations.get()
    assert row.status == Status.DRAFT
    assert client.get(row.get_absolute_url()).status_code == 404

    workflow.perform(row, Action.PUBLISH, people["approver"])
    client.logout()
    assert client.get(row.get_absolute_url()).status_code == 200
    structure = client.get(url_of(agency["structure"], "vi")).content.decode()
    assert "Quy chế làm việc" in structure  # under its parent


def test_pages_have_their_own_admin_and_never_show_among_the_articles(client, people, agency):
    client.force_login(people["editor"])
    pages = client.get(reverse("admin:agency_agencypage_changelist")).content.decode()
    assert "Functions vi" in pages
    articles = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "Functions vi" not in articles
    # The board, the desk and the steps page link every kind to the articles' admin:
    # a page opens in its own.
    moved = client.get(reverse("admin:news_article_change", args=[agency["functions"].pk]))
    assert moved.status_code == 302
    assert moved["Location"] == reverse(CHANGE, args=[agency["functions"].pk])
    assert client.get(moved["Location"]).status_code == 200


def test_a_public_pages_new_facts_wait_for_approval(client, people, agency):
    page = agency["consular"]
    urls = [url_of(page, "vi"), url_of(agency["structure"], "vi"), "/vi/about/", "/en/about/"]

    def public() -> list[bytes]:
        client.logout()
        return [client.get(url).content for url in urls]

    before = public()
    client.force_login(people["editor"])
    data = page_post(page, phone="0225 3999 999", position="0", layout="text")
    response = client.post(
        reverse(CHANGE, args=[page.pk]), data, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "until an approver publishes" in response.content.decode()
    assert public() == before  # byte for byte
    waiting = PendingVersion.objects.get(translation__article=page, translation__language="vi")
    assert waiting.facts["extra"]["phone"] == "0225 3999 999"
    assert PageFacts.objects.get(article=page).phone == "0225 3000 222"
    # The form shows the waiting facts; the preview shows them too.
    client.force_login(people["editor"])
    form = client.get(reverse(CHANGE, args=[page.pk])).content.decode()
    assert 'value="0225 3999 999"' in form
    row = page.translations.get(language="vi")
    preview = client.get(reverse("news-preview", args=[row.pk])).content.decode()
    assert "0225 3999 999" in preview

    # The approver sees what changes, then publishes it.
    client.force_login(people["approver"])
    steps = reverse("editorial:translation", args=[row.pk])
    assert "0225 3999 999" in client.get(steps, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.post(steps, {"action": Action.PUBLISH}).status_code == 302
    assert PageFacts.objects.get(article=page).phone == "0225 3999 999"
    after = public()
    assert after != before
    assert b"0225 3999 999" in after[0]


def test_a_fixed_place_already_taken_is_refused_with_a_message(client, people, agency):
    client.force_login(people["editor"])
    data = page_post(agency["history"], key="contact")
    response = client.post(
        reverse(CHANGE, args=[agency["history"].pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Another page is already the page" in response.content.decode()
    assert facts.pending(agency["history"]) is None


def test_a_page_cannot_stand_under_its_own_child(client, people, agency):
    client.force_login(people["editor"])
    data = page_post(agency["structure"], parent=str(agency["office"].pk))
    response = client.post(
        reverse(CHANGE, args=[agency["structure"].pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "cannot stand under itself" in response.content.decode()


def test_a_leaders_page_needs_the_person(client, people, agency):
    client.force_login(people["editor"])
    data = page_post(agency["history"], layout="leader", person="")
    response = client.post(
        reverse(CHANGE, args=[agency["history"].pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "choose the person" in response.content.decode()


def test_a_translator_cannot_change_a_pages_facts(client, people, agency):
    client.force_login(people["translator"])
    form = client.get(reverse(CHANGE, args=[agency["director"].pk]))
    assert form.status_code == 200
    assert 'name="phone"' not in form.content.decode()
    data = page_post(agency["director"], phone="0000") | {"translations-INITIAL_FORMS": "0"}
    data["translations-TOTAL_FORMS"] = "0"
    client.post(reverse(CHANGE, args=[agency["director"].pk]), data)
    assert facts.pending(agency["director"]) is None
    assert PageFacts.objects.get(article=agency["director"]).phone == "0225 3000 333"


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_preview_shows_the_page_with_its_own_template(client, people, agency, lang):
    client.force_login(people["approver"])
    row = agency["director"].translations.get(language=lang)
    html = client.get(reverse("news-preview", args=[row.pk])).content.decode()
    assert 'class="profile"' in html and "agency-nav" in html  # the page's, not an article's
    assert 'class="preview-banner"' in html
    assert "share__list" not in html

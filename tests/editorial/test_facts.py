"""An article's facts (section, author, source, pictures) change what readers see in
every language: on a public article they wait for an approver like any text."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cangxanh.editorial import facts, workflow
from cangxanh.editorial.models import Action, PendingVersion, WorkflowEvent
from cangxanh.news.models import Person, Status

from ..conftest import LANGS
from .conftest import admin_article_post, pictures_post, public_bytes


def test_a_public_articles_new_section_waits_for_an_approver(client, people, public, other_section):
    before = public_bytes(client, public)
    client.force_login(people["editor"])
    data = admin_article_post(public, people["editor"]) | {"section": str(other_section.pk)}
    url = reverse("admin:news_article_change", args=[public.pk])
    response = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "until an approver publishes" in response.content.decode()

    public.refresh_from_db()
    assert public.section_id != other_section.pk
    assert public_bytes(client, public) == before  # byte for byte, counts aside
    waiting = PendingVersion.objects.get(translation__article=public, translation__language="vi")
    assert waiting.facts["section"] == other_section.pk
    assert waiting.title == public.translations.get(language="vi").title  # text unchanged

    # The approver sees what changes, in every language, on the steps page.
    client.force_login(people["approver"])
    original = public.translations.get(language="vi")
    steps = reverse("editorial:translation", args=[original.pk])
    page = client.get(steps, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Economy" in page
    response = client.post(steps, {"action": Action.PUBLISH})
    assert response.status_code == 302

    public.refresh_from_db()
    assert public.section_id == other_section.pk
    after = public_bytes(client, public)
    assert after["en:article"][0] == 200
    assert b"/en/kinh-te-en/" in after["en:article"][1]
    event = WorkflowEvent.objects.filter(translation=original).latest("id")
    assert (event.action, event.new_version, event.actor) == (
        Action.PUBLISH,
        True,
        people["approver"],
    )
    assert original.revisions.latest("number").facts["section"] == other_section.pk


def test_new_pictures_and_their_order_wait_too(client, people, public, image, make_image):
    second = make_image("second.jpg", alts=LANGS)
    before = public_bytes(client, public)
    client.force_login(people["editor"])
    data = admin_article_post(public, people["editor"]) | pictures_post([image.pk], add=[second.pk])
    data["pictures-main"] = str(image.pk)
    url = reverse("admin:news_article_change", args=[public.pk])
    assert client.post(url, data).status_code == 302
    assert facts.pending(public)["images"] == [image.pk, second.pk]
    # The form shows the waiting pictures, not the live ones.
    form = client.get(url).content.decode()
    assert f'name="pictures-id" value="{second.pk}"' in form
    assert public_bytes(client, public) == before

    # The second becomes the main picture in the same new version.
    client.force_login(people["editor"])
    data = admin_article_post(public, people["editor"]) | pictures_post(
        [image.pk, second.pk], main=second.pk
    )
    assert client.post(url, data).status_code == 302
    assert facts.pending(public)["images"] == [second.pk, image.pk]
    assert facts.live(public)["images"] == [image.pk]
    assert public_bytes(client, public) == before

    original = public.translations.get(language="vi")
    workflow.perform(original, Action.PUBLISH, people["approver"])
    assert facts.live(public)["images"] == [second.pk, image.pk]
    assert public_bytes(client, public) != before


def test_a_picture_without_alt_text_in_a_public_language_is_not_published(
    people, public, make_image
):
    bare = make_image("bare.jpg", alts=["vi"])
    working = facts.working(public) | {"images": [bare.pk]}
    assert facts.article_save_facts(article=public, facts=working, user=people["editor"])
    original = public.translations.get(language="vi")
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.perform(original, Action.PUBLISH, people["approver"])
    assert "(ko)" in str(refused.value) and "(en)" in str(refused.value)
    assert facts.live(public)["images"] != [bare.pk]


def test_an_article_nobody_sees_changes_in_place(people, make_article, other_section):
    article = make_article(["vi", "ko"], status=Status.DRAFT)
    working = facts.working(article) | {"section": other_section.pk}
    assert facts.article_save_facts(article=article, facts=working, user=people["editor"]) is False
    article.refresh_from_db()
    assert article.section_id == other_section.pk
    assert not PendingVersion.objects.exists()


def test_a_translator_cannot_change_facts(client, people, public, other_section):
    with pytest.raises(PermissionDenied):
        facts.article_save_facts(
            article=public,
            facts=facts.working(public) | {"section": other_section.pk},
            user=people["translator"],
        )
    # Through the admin the facts are read-only for them: a crafted post changes nothing.
    client.force_login(people["translator"])
    data = admin_article_post(public, people["translator"]) | {"section": str(other_section.pk)}
    client.post(reverse("admin:news_article_change", args=[public.pk]), data)
    assert facts.pending(public) is None
    public.refresh_from_db()
    assert public.section_id != other_section.pk


def test_unpublishing_the_original_keeps_waiting_facts_from_the_other_languages(
    people, public, other_section
):
    working = facts.working(public) | {"section": other_section.pk}
    facts.article_save_facts(article=public, facts=working, user=people["editor"])
    original = public.translations.get(language="vi")
    with pytest.raises(workflow.WorkflowError):
        workflow.perform(original, Action.UNPUBLISH, people["approver"])
    public.refresh_from_db()
    assert public.section_id != other_section.pk
    original.refresh_from_db()
    assert original.status == Status.PUBLISHED

    # Discarding the new version drops the facts; readers never saw them.
    workflow.perform(original, Action.DISCARD, people["editor"])
    assert facts.pending(public) is None
    public.refresh_from_db()
    assert public.section_id != other_section.pk


def test_facts_edited_back_to_the_live_ones_leave_no_new_version(people, public, other_section):
    live = facts.live(public)
    facts.article_save_facts(
        article=public, facts=live | {"section": other_section.pk}, user=people["editor"]
    )
    assert PendingVersion.objects.count() == 1
    facts.article_save_facts(article=public, facts=live, user=people["editor"])
    assert PendingVersion.objects.count() == 0


def test_restoring_a_revision_brings_back_its_facts_as_a_new_version(
    client, people, public, other_section
):
    original = public.translations.get(language="vi")
    live = facts.live(public)
    facts.article_save_facts(
        article=public, facts=live | {"section": other_section.pk}, user=people["editor"]
    )
    workflow.perform(original, Action.PUBLISH, people["approver"])
    public.refresh_from_db()
    assert public.section_id == other_section.pk
    first = original.revisions.order_by("number").filter(facts__isnull=False).first()
    assert first is not None and first.facts["section"] == other_section.pk
    older = original.revisions.order_by("number").first()
    older.facts = live  # the revision before the move, as it would have been kept
    older.save(update_fields=["facts"])
    client.force_login(people["editor"])
    url = reverse("editorial:revisions", args=[original.pk])
    assert client.post(url, {"restore": older.number}).status_code == 302
    assert facts.pending(public)["section"] == live["section"]
    public.refresh_from_db()
    assert public.section_id == other_section.pk  # still waiting for the approver


def test_preview_shows_waiting_facts_and_only_to_those_who_may_work_on_it(
    client, people, public, other_section, make_user
):
    author = Person.objects.create(name="Nguyễn Văn Bình")
    facts.article_save_facts(
        article=public,
        facts=facts.working(public) | {"section": other_section.pk, "author": author.pk},
        user=people["editor"],
    )
    ko = public.translations.get(language="ko")
    ja = public.translations.get(language="ja")
    preview_ko = reverse("news-preview", args=[ko.pk])
    client.force_login(people["translator"])  # translates into Korean only
    page = client.get(preview_ko)
    assert page.status_code == 200
    assert "Nguyễn Văn Bình" in page.content.decode()
    assert "경제" in page.content.decode()
    assert client.get(reverse("news-preview", args=[ja.pk])).status_code == 403
    client.force_login(people["editor"])  # writes Vietnamese
    assert client.get(reverse("news-preview", args=[ja.pk])).status_code == 403
    vi = public.translations.get(language="vi")
    assert client.get(reverse("news-preview", args=[vi.pk])).status_code == 200
    client.force_login(people["approver"])
    assert client.get(reverse("news-preview", args=[ja.pk])).status_code == 200
    client.logout()
    assert client.get(preview_ko).status_code == 302  # to the login page

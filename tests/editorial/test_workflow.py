"""Roles and the approval workflow, through the service, the pages and crafted POSTs."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cangxanh.editorial import editing, roles, workflow
from cangxanh.editorial.models import Action, WorkflowEvent
from cangxanh.images.models import ImageText
from cangxanh.news.models import ArticleTranslation, Status

from ..conftest import TITLES
from .conftest import admin_article_post

pytestmark = pytest.mark.django_db


def steps_url(translation):
    return reverse("editorial:translation", kwargs={"translation_id": translation.pk})


def test_the_four_roles_exist_with_their_permissions(people):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        roles.ADMINISTRATOR,
        roles.APPROVER,
        roles.EDITOR,
        roles.TRANSLATOR,
    }
    approver, editor, translator = people["approver"], people["editor"], people["translator"]
    assert approver.has_perm("news.approve_translation")
    assert not editor.has_perm("news.approve_translation")
    assert editor.has_perm("news.edit_original")
    assert not translator.has_perm("news.edit_original")
    assert not translator.has_perm("news.add_article")
    assert (
        Group.objects.get(name=roles.ADMINISTRATOR)
        .permissions.filter(codename="change_user")
        .exists()
    )
    # Every app's permissions, those of the apps migrated after the newsroom's included.
    administrator = Group.objects.get(name=roles.ADMINISTRATOR)
    assert administrator.permissions.count() == Permission.objects.count()
    assert administrator.permissions.filter(content_type__app_label="search").exists()


def test_editor_submits_approver_rejects_with_comment_editor_fixes_and_approver_schedules(
    client, people, draft
):
    vi = draft["vi"]
    editor, approver = people["editor"], people["approver"]

    workflow.perform(vi, Action.SUBMIT, editor)
    assert vi.status == Status.REVIEW
    with pytest.raises(PermissionDenied):
        workflow.perform(vi, Action.PUBLISH, editor)

    with override("en"), pytest.raises(workflow.WorkflowError, match="comment"):
        workflow.perform(vi, Action.REJECT, approver, comment="   ")
    workflow.perform(vi, Action.REJECT, approver, comment="Thêm số liệu giải ngân.")
    assert vi.status == Status.DRAFT

    # The author sees the approver's comment on the translation's page.
    client.force_login(editor)
    page = client.get(steps_url(vi)).content.decode()
    assert "Thêm số liệu giải ngân." in page

    workflow.perform(vi, Action.SUBMIT, editor)
    when = timezone.now() + timedelta(days=2)
    workflow.perform(vi, Action.PUBLISH, approver, publish_at=when)
    vi.refresh_from_db()
    assert vi.status == Status.PUBLISHED and vi.published_at == when
    assert not ArticleTranslation.objects.published().filter(pk=vi.pk).exists()
    assert client.get(vi.get_absolute_url()).status_code == 404

    # Its time comes: readers see it, with no worker involved.
    ArticleTranslation.objects.filter(pk=vi.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    assert ArticleTranslation.objects.published().filter(pk=vi.pk).exists()

    log = list(vi.workflow_events.order_by("id").values_list("action", "from_status", "to_status"))
    assert log == [
        ("submit", "draft", "review"),
        ("reject", "review", "draft"),
        ("submit", "draft", "review"),
        ("publish", "review", "published"),
    ]
    assert vi.workflow_events.get(action="reject").actor == approver


def test_a_crafted_post_cannot_publish_for_an_editor(client, people, draft):
    vi = draft["vi"]
    workflow.perform(vi, Action.SUBMIT, people["editor"])
    client.force_login(people["editor"])
    response = client.post(steps_url(vi), {"action": "publish"})
    assert response.status_code == 403
    vi.refresh_from_db()
    assert vi.status == Status.REVIEW
    assert not WorkflowEvent.objects.filter(action="publish").exists()


def test_translator_works_only_in_their_languages_and_never_on_the_original(client, people, draft):
    translator = people["translator"]
    workflow.perform(draft["ko"], Action.SUBMIT, translator)
    assert draft["ko"].status == Status.REVIEW
    with pytest.raises(PermissionDenied):
        workflow.perform(draft["vi"], Action.SUBMIT, translator)

    client.force_login(translator)
    assert client.get(steps_url(draft["vi"])).status_code == 403
    response = client.post(steps_url(draft["vi"]), {"action": "submit"})
    assert response.status_code == 403
    draft["vi"].refresh_from_db()
    assert draft["vi"].status == Status.DRAFT


def test_translator_cannot_change_the_original_through_the_admin(client, people, draft):
    vi, ko = draft["vi"], draft["ko"]
    client.force_login(people["translator"])
    url = reverse("admin:news_article_change", args=[vi.article_id])
    form = client.get(url)
    assert form.status_code == 200
    assert f'value="{vi.title}"' not in form.content.decode()  # only their languages
    # A crafted post that adds the original to their form is refused.
    data = admin_article_post(vi.article)  # vi is form 0, ko form 1
    data["translations-0-title"] = "Bị sửa trộm"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "You may not write in" in response.content.decode()
    vi.refresh_from_db()
    assert vi.title != "Bị sửa trộm"

    # Their own form, changing the Korean text, is accepted.
    data = admin_article_post(vi.article, people["translator"])
    data["translations-0-title"] = "하이퐁 새 제목"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ko.refresh_from_db()
    assert ko.title == "하이퐁 새 제목"


def test_unpublish_archive_and_reopen(people, make_article):
    vi = make_article(["vi"]).translations.get()
    approver, editor = people["approver"], people["editor"]
    published_at = vi.published_at
    workflow.perform(vi, Action.UNPUBLISH, approver)
    assert not ArticleTranslation.objects.published().filter(pk=vi.pk).exists()
    workflow.perform(vi, Action.PUBLISH, approver)
    vi.refresh_from_db()
    assert vi.published_at == published_at  # republishing keeps the original date
    workflow.perform(vi, Action.ARCHIVE, approver)
    with pytest.raises(workflow.WorkflowError):
        workflow.perform(vi, Action.SUBMIT, editor)
    workflow.perform(vi, Action.REOPEN, editor)
    assert vi.status == Status.DRAFT


def test_publishing_needs_alt_text_in_that_language(people, make_article, image):
    article = make_article(["vi", "ko"], status=Status.DRAFT, images=[image])
    ko = article.translations.get(language="ko")
    workflow.perform(article.translations.get(language="vi"), Action.PUBLISH, people["approver"])
    with override("vi"), pytest.raises(workflow.WorkflowError, match="văn bản thay thế"):
        workflow.perform(ko, Action.PUBLISH, people["approver"])
    ImageText.objects.create(image=image, language="ko", alt="항구의 크레인", caption="")
    workflow.perform(ko, Action.PUBLISH, people["approver"])
    assert ko.status == Status.PUBLISHED


def test_bad_input_keeps_what_was_typed(client, people, draft):
    vi = draft["vi"]
    workflow.perform(vi, Action.SUBMIT, people["editor"])
    client.force_login(people["approver"])
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        steps_url(vi),
        {"action": "publish", "publish_at": past, "comment": "Đã duyệt nội dung"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a time in the future" in page
    assert "Đã duyệt nội dung" in page
    vi.refresh_from_db()
    assert vi.status == Status.REVIEW


def test_review_queue_shows_what_waits_for_whom(client, people, draft):
    workflow.perform(draft["ko"], Action.SUBMIT, people["translator"])
    workflow.perform(draft["vi"], Action.SUBMIT, people["editor"])
    workflow.perform(draft["vi"], Action.REJECT, people["approver"], comment="Sửa tít")

    client.force_login(people["approver"])
    page = client.get(reverse("editorial:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert draft["ko"].title in page

    client.force_login(people["editor"])
    page = client.get(reverse("editorial:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Returned with comments (1)" in page
    assert draft["vi"].title in page
    assert draft["ko"].title not in page  # not one of the editor's languages


def test_only_approvers_get_the_publish_action_in_the_admin(client, people, draft):
    client.force_login(people["editor"])
    changelist = reverse("admin:news_article_changelist")
    assert "publish_now" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "publish_now", "_selected_action": [draft["vi"].article_id]})
    draft["vi"].refresh_from_db()
    assert draft["vi"].status == Status.DRAFT


def test_translator_cannot_turn_the_original_into_their_language(client, people, make_article):
    vi = make_article(["vi"], status=Status.DRAFT).translations.get()
    client.force_login(people["translator"])
    data = {
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": str(vi.pk),
        "translations-0-article": str(vi.article_id),
        "translations-0-language": "ko",  # relabel the Vietnamese original as Korean
        "translations-0-title": "하이퐁",
        "translations-0-slug": "",
        "translations-0-lead": "",
        "translations-0-body": "<p>x</p>",
    }
    url = reverse("admin:news_article_change", args=[vi.article_id])
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "You may not write in Tiếng Việt" in response.content.decode()
    vi.refresh_from_db()
    assert (vi.language, vi.title) == ("vi", TITLES["vi"])


def test_a_translation_is_published_only_after_its_original(client, people, draft):
    vi, ko = draft["vi"], draft["ko"]
    workflow.perform(ko, Action.SUBMIT, people["translator"])  # working ahead is fine
    assert not workflow.allowed(people["approver"], ko, Action.PUBLISH)
    page = client_page(client, people["approver"], ko)
    assert "once its original is published" in page
    assert 'value="publish"' not in page
    with pytest.raises(workflow.WorkflowError, match="Publish the original first"):
        workflow.perform(ko, Action.PUBLISH, people["approver"])
    later = timezone.now() + timedelta(days=2)
    workflow.perform(vi, Action.PUBLISH, people["approver"], publish_at=later)
    with pytest.raises(workflow.WorkflowError, match="at that time or later"):
        workflow.perform(ko, Action.PUBLISH, people["approver"])
    workflow.perform(ko, Action.PUBLISH, people["approver"], publish_at=later)
    assert ko.status == Status.PUBLISHED


def client_page(client, user, translation) -> str:
    client.force_login(user)
    return client.get(steps_url(translation), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_translations_follow_the_approved_original_not_a_saved_draft(people, make_article):
    article = make_article(["vi", "ko"], status=Status.DRAFT)
    vi, ko = (article.translations.get(language=code) for code in ("vi", "ko"))
    workflow.perform(vi, Action.PUBLISH, people["approver"])
    editing.translation_mark_current(translation=ko, user=people["translator"])
    workflow.perform(ko, Action.PUBLISH, people["approver"])
    editing.translation_save_text(
        translation=vi,
        text={"title": vi.title, "lead": "Bản mới", "body": vi.body},
        user=people["editor"],
    )
    ko.refresh_from_db()
    editing.translation_mark_current(translation=ko, user=people["translator"])
    basis = ko.translated_from
    assert basis is not None and basis.lead != "Bản mới"  # not the waiting draft
    assert not editing.freshness(ko).outdated
    workflow.perform(vi, Action.PUBLISH, people["approver"])
    assert editing.freshness(ko).outdated  # now the approved original changed


def test_the_steps_page_speaks_of_the_original_and_of_schedules(client, people, draft):
    vi = draft["vi"]
    client.force_login(people["approver"])
    page = client.get(steps_url(vi), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    buttons = re.findall(r'name="action" value="(\w+)"', page)
    assert buttons[0] == "publish"  # Enter in the time field publishes, never withdraws
    later = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        steps_url(vi),
        {"action": "publish", "publish_at": later},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "Done: the original is scheduled for" in page
    page = client.get(steps_url(vi), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Scheduled" in page


def test_view_on_site_only_for_a_public_translation(client, people, make_article):
    article = make_article(["vi", "ko"])
    ArticleTranslation.objects.filter(article=article, language="ko").update(
        status=Status.DRAFT, published_at=None
    )
    client.force_login(people["approver"])
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    vi = article.translations.get(language="vi")
    ko = article.translations.get(language="ko")
    assert vi.get_absolute_url() in page
    assert ko.get_absolute_url() not in page

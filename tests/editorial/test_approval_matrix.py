"""Each role × each kind of public change: the public pages in every language stay
byte-identical (counts aside) until an approver publishes, and then change. A role
that may not make a change is refused and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cangxanh.editorial import facts, picture_versions, workflow
from cangxanh.editorial.models import Action, PendingImage, PendingVersion
from cangxanh.news.models import ArticleTranslation, Person

from ..images.conftest import change_data
from ..images.pictures import jpeg
from .conftest import admin_article_post, public_bytes

KINDS = [
    "text",
    "facts",
    "section",
    "picture file",
    "credit",
    "focal point",
    "alt text",
    "caption",
]
ROLES = ["editor", "translator", "approver"]


def _article_form(client, user, article, texts=None, **fields):
    data = admin_article_post(article, user, **(texts or {})) | fields
    return client.post(reverse("admin:news_article_change", args=[article.pk]), data)


def _picture_form(client, image, **fields):
    return client.post(
        reverse("admin:images_image_change", args=[image.pk]), change_data(image, **fields)
    )


def _text_index(image, lang):
    return next(i for i, t in enumerate(image.texts.order_by("pk")) if t.language == lang)


def _desk(client, article, **fields):
    url = reverse("editorial:desk", kwargs={"article_id": article.pk, "language": "ko"})
    ko = ArticleTranslation.objects.get(article=article, language="ko")
    data = {"action": "save", "title": ko.title, "lead": ko.lead}
    data |= {f"seg-{i}": text for i, text in enumerate(["Đoạn một.", "Đoạn hai.", "Đoạn ba."])}
    return client.post(url, data | fields)


def make_change(client, user, role, kind, article, image, other_section):
    """The change as this role makes it, through the door they would use."""
    vi = ArticleTranslation.objects.get(article=article, language="vi")
    if kind == "text":
        if role == "translator":
            return _desk(client, article, title="새 제목을 기다리며")
        return _article_form(client, user, article, texts={"vi": {"title": vi.title + " (sửa)"}})
    if kind == "facts":
        author = Person.objects.create(name="Lê Thị Hoa")
        return _article_form(client, user, article, author=str(author.pk))
    if kind == "section":
        return _article_form(client, user, article, section=str(other_section.pk))
    if kind in {"alt text", "caption"} and role == "translator":
        field = "alt" if kind == "alt text" else "caption"
        return _desk(
            client,
            article,
            **{f"alt-{image.pk}": "크레인", f"{field}-{image.pk}": "항구의 크레인 (새 글)"},
        )
    fields = {
        "picture file": {"file": SimpleUploadedFile("moi.jpg", jpeg(1400, 800))},
        "credit": {"credit": "Ảnh: Trung tâm Báo chí"},
        "focal point": {"focal_x": "15", "focal_y": "85"},
        "alt text": {f"texts-{_text_index(image, 'ko')}-alt": "새 대체 텍스트"},
        "caption": {f"texts-{_text_index(image, 'en')}-caption": "The port, renamed"},
    }[kind]
    return _picture_form(client, image, **fields)


def allowed(role, kind) -> bool:
    if role == "translator":
        return kind in {"text", "alt text", "caption"}
    return True


def approve(approver, article, image):
    """The approver publishes whatever waits."""
    for waiting in PendingVersion.objects.filter(translation__article=article):
        workflow.perform(waiting.translation, Action.PUBLISH, approver)
    for translation in ArticleTranslation.objects.filter(article=article):
        if translation.image_text_changes.exists():
            workflow.perform(translation, Action.PUBLISH, approver)
    if PendingImage.objects.filter(image=image).exists():
        picture_versions.image_publish_version(image=image, user=approver)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_nothing_public_changes_until_an_approver_publishes(
    client, people, public, image, other_section, role, kind, django_capture_on_commit_callbacks
):
    before = public_bytes(client, public)
    facts_before = facts.live(public)
    user = people[role]
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = make_change(client, user, role, kind, public, image, other_section)
    assert response.status_code in {302, 403}, response.content.decode()[:2000]
    assert public_bytes(client, public) == before  # every language, byte for byte
    assert facts.live(public) == facts_before

    waiting = (
        PendingVersion.objects.filter(translation__article=public).exists()
        or PendingImage.objects.filter(image=image).exists()
    )
    if not allowed(role, kind):
        assert not waiting, f"a {role} made a {kind} change wait for approval"
        return
    assert response.status_code == 302
    assert waiting, f"the {role}'s {kind} change went nowhere"
    with django_capture_on_commit_callbacks(execute=True):
        approve(people["approver"], public, image)
    assert public_bytes(client, public) != before

"""What readers see versus the draft, the outdated flag, the translation desk and the board."""

import pytest
from django.urls import reverse

from cangxanh.editorial import editing, revisions, segments, workflow
from cangxanh.editorial.models import Action, PendingVersion
from cangxanh.images.models import ImageText
from cangxanh.news.models import ArticleTranslation, Status

from .conftest import admin_article_post

pytestmark = pytest.mark.django_db

BODY = "<h2>Bối cảnh</h2><p>Đoạn <strong>một</strong>.</p><ul><li>Mục A</li></ul><p>Đoạn hai.</p>"


@pytest.fixture
def live(make_article):
    """A published article in vi and ko, with its revisions and the ko translation's basis."""
    article = make_article(["vi", "ko"])
    vi, ko = (article.translations.get(language=lang) for lang in ("vi", "ko"))
    ArticleTranslation.objects.filter(pk=vi.pk).update(body=BODY)
    vi.refresh_from_db()
    basis = revisions.mark_approved(vi)  # as published by an approver
    revisions.mark_approved(ko)
    ArticleTranslation.objects.filter(pk=ko.pk).update(translated_from=basis)
    ko.refresh_from_db()
    return {"article": article, "vi": vi, "ko": ko}


def desk_url(article, lang="ko"):
    return reverse("editorial:desk", kwargs={"article_id": article.pk, "language": lang})


def test_editing_a_published_text_changes_nothing_public_until_approved(client, people, live):
    vi = live["vi"]
    public_url = vi.get_absolute_url()
    client.force_login(people["editor"])
    data = admin_article_post(live["article"], people["editor"], vi={"title": "Tít mới chờ duyệt"})
    response = client.post(reverse("admin:news_article_change", args=[vi.article_id]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    vi.refresh_from_db()
    assert vi.title != "Tít mới chờ duyệt"
    assert PendingVersion.objects.get(translation=vi).title == "Tít mới chờ duyệt"
    client.logout()
    assert "Tít mới chờ duyệt" not in client.get(public_url).content.decode()

    # The staff preview shows the version being worked on; the admin form edits it.
    client.force_login(people["approver"])
    preview = client.get(reverse("news-preview", kwargs={"translation_id": vi.pk}))
    assert "Tít mới chờ duyệt" in preview.content.decode()
    form = client.get(reverse("admin:news_article_change", args=[vi.article_id])).content.decode()
    assert "Tít mới chờ duyệt" in form

    # Its own workflow: submit, reject with a comment, resubmit, publish.
    workflow.perform(vi, Action.SUBMIT, people["editor"])
    queue = client.get(reverse("editorial:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "New version: In review" in queue
    workflow.perform(vi, Action.REJECT, people["approver"], comment="Tít quá dài")
    assert workflow.latest_rejection(vi).comment == "Tít quá dài"
    vi.refresh_from_db()
    assert vi.status == Status.PUBLISHED  # readers were never without the article
    workflow.perform(vi, Action.SUBMIT, people["editor"])
    workflow.perform(vi, Action.PUBLISH, people["approver"])

    vi.refresh_from_db()
    assert vi.title == "Tít mới chờ duyệt"
    assert not PendingVersion.objects.filter(translation=vi).exists()
    client.logout()
    assert "Tít mới chờ duyệt" in client.get(public_url, follow=True).content.decode()
    steps = list(vi.workflow_events.order_by("id").values_list("action", "new_version"))
    assert steps == [
        ("submit", True),
        ("reject", True),
        ("submit", True),
        ("publish", True),
    ]


def test_a_new_version_can_be_discarded_and_editing_back_drops_it(people, live):
    vi, editor = live["vi"], people["editor"]
    words = {"title": vi.title, "slug": vi.slug, "lead": "Sapo khác", "body": vi.body}
    editing.translation_save_text(translation=vi, text=words, user=editor)
    assert editing.pending_of(vi).lead == "Sapo khác"
    workflow.perform(vi, Action.DISCARD, editor)
    assert editing.pending_of(vi) is None
    vi.refresh_from_db()
    assert vi.lead == "Lead vi"

    editing.translation_save_text(translation=vi, text=words, user=editor)
    words["lead"] = "Lead vi"
    editing.translation_save_text(translation=vi, text=words, user=editor)
    assert editing.pending_of(vi) is None  # the same as what readers see: no new version


def test_unpublishing_takes_the_new_version_onto_the_translation(people, live):
    vi = live["vi"]
    words = {"title": "Bản sửa", "slug": vi.slug, "lead": vi.lead, "body": vi.body}
    editing.translation_save_text(translation=vi, text=words, user=people["editor"])
    workflow.perform(vi, Action.UNPUBLISH, people["approver"])
    vi.refresh_from_db()
    assert (vi.status, vi.title) == (Status.UNPUBLISHED, "Bản sửa")
    assert editing.pending_of(vi) is None


def test_editor_cannot_publish_a_new_version_by_a_crafted_post(client, people, live):
    vi = live["vi"]
    words = {"title": "Bản sửa", "slug": vi.slug, "lead": vi.lead, "body": vi.body}
    editing.translation_save_text(translation=vi, text=words, user=people["editor"])
    client.force_login(people["editor"])
    url = reverse("editorial:translation", kwargs={"translation_id": vi.pk})
    assert client.post(url, {"action": "publish"}).status_code == 403
    vi.refresh_from_db()
    assert vi.title != "Bản sửa"


def test_the_original_changes_and_the_translation_is_outdated_with_the_diff(client, people, live):
    vi, ko = live["vi"], live["ko"]
    assert not editing.freshness(ko).outdated
    edited = BODY.replace("Đoạn hai.", "Đoạn hai, có thêm số liệu 2026.")
    editing.translation_save_text(
        translation=vi,
        text={"title": vi.title, "slug": vi.slug, "lead": vi.lead, "body": edited},
        user=people["editor"],
    )
    ko.refresh_from_db()
    # A saved draft of the original is not the original yet: the desk still shows the
    # approved text and the translation is not outdated until an approver publishes.
    assert not editing.freshness(ko).outdated
    client.force_login(people["translator"])
    desk_page = client.get(desk_url(ko.article), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "số liệu 2026" not in desk_page
    workflow.perform(vi, Action.PUBLISH, people["approver"])
    assert editing.freshness(ko).outdated

    client.force_login(people["translator"])
    page = client.get(desk_url(ko.article), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The original changed after this translation was made" in page
    assert "<ins>có thêm số liệu 2026.</ins>" in page or "<ins>" in page
    assert "số liệu 2026" in page

    board = client.get(reverse("editorial:board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-state="published outdated"' in board

    response = client.post(desk_url(ko.article), {"action": "mark_current"})
    assert response.status_code == 302
    ko.refresh_from_db()
    assert not editing.freshness(ko).outdated
    assert ko.workflow_events.filter(action=Action.MARK_CURRENT).exists()


def test_the_desk_aligns_segments_and_saves_on_the_originals_layout(client, people, live, image):
    article, ko = live["article"], live["ko"]
    article.article_images.create(image=image, position=0)
    client.force_login(people["translator"])
    page = client.get(desk_url(article), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for original in (
        "Bối cảnh",
        "Đoạn <strong>một</strong>.",
        "Mục A",
        "Đoạn hai.",
        "Cần cẩu ở cảng",
    ):
        assert original in page
    response = client.post(
        desk_url(article),
        {
            "action": "save",
            "title": "인천 대표단",
            "lead": "요약",
            "seg-0": "배경",
            "seg-1": "첫 <strong>번째</strong> 문단.",
            "seg-2": "항목 A",
            "seg-3": "두 번째 문단.",
            f"alt-{image.pk}": "항구의 크레인",
            f"caption-{image.pk}": "새벽의 항구",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    pending = editing.pending_of(ko)  # Korean is published: the desk made a new version
    assert pending.title == "인천 대표단"
    assert pending.body == (
        "<h2>배경</h2><p>첫 <strong>번째</strong> 문단.</p><ul><li>항목 A</li></ul><p>두 번째 문단.</p>"
    )
    # Korean readers see the picture: its Korean texts wait with the new version.
    assert not ImageText.objects.filter(image=image, language="ko").exists()
    held = ko.image_text_changes.get(image=image)
    assert (held.alt, held.caption) == ("항구의 크레인", "새벽의 항구")
    page = client.get(desk_url(article)).content.decode()
    assert "새벽의 항구" in page  # the desk shows what waits
    workflow.perform(ko, Action.PUBLISH, people["approver"])
    text = ImageText.objects.get(image=image, language="ko")
    assert (text.alt, text.caption) == ("항구의 크레인", "새벽의 항구")
    assert not ko.image_text_changes.exists()


def test_bad_markup_on_the_desk_is_refused_and_keeps_what_was_typed(client, people, live):
    article, ko = live["article"], live["ko"]
    before = (ko.title, ko.body, ko.revisions.count())
    client.force_login(people["translator"])
    response = client.post(
        desk_url(article),
        {"action": "save", "title": "새 제목", "lead": "", "seg-1": "깨진 <strong>문단"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is opened but never closed" in page
    assert "새 제목" in page
    ko.refresh_from_db()
    assert (ko.title, ko.body, ko.revisions.count()) == before
    assert editing.pending_of(ko) is None


def test_the_desk_creates_a_missing_translation_as_a_draft(client, people, live, make_user):
    article = live["article"]
    translator = make_user("ja-translator", "Translator", ["ja"])
    client.force_login(translator)
    response = client.post(
        desk_url(article, "ja"), {"action": "save", "title": "仁川代表団", "seg-0": "背景"}
    )
    assert response.status_code == 302
    ja = article.translations.get(language="ja")
    assert ja.status == Status.DRAFT
    assert (
        ja.body == "<h2>背景</h2>"
    )  # untranslated paragraphs are left out, not shown in Vietnamese
    assert ja.translated_from == revisions.latest(live["vi"])


def test_the_desk_refuses_other_languages_and_the_original(client, people, live):
    article = live["article"]
    client.force_login(people["translator"])  # Korean only
    assert client.get(desk_url(article, "ja")).status_code == 403
    response = client.post(desk_url(article, "ja"), {"action": "save", "title": "x"})
    assert response.status_code == 403
    assert not article.translations.filter(language="ja").exists()
    assert client.get(desk_url(article, "vi")).status_code == 404
    assert client.get(desk_url(article, "xx")).status_code == 404


def test_the_board_counts_and_filters(client, people, live, make_article, section):
    make_article(["vi"], status=Status.DRAFT)
    client.force_login(people["approver"])
    page = client.get(reverse("editorial:board"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    rows = page.context["counts"]
    by_lang = {
        lang.code: dict(
            zip(["missing", "draft", "review", "published", "outdated"], row, strict=True)
        )
        for lang, row in rows
    }
    assert by_lang["ko"] == {"missing": 1, "draft": 0, "review": 0, "published": 1, "outdated": 0}
    assert by_lang["vi"]["published"] == 1 and by_lang["vi"]["draft"] == 1

    filtered = client.get(reverse("editorial:board"), {"language": "ko", "state": "missing"})
    assert [row["title"] for row in filtered.context["rows"]] == [
        ArticleTranslation.objects.filter(status=Status.DRAFT).get().title
    ]
    assert client.get(reverse("editorial:board"), {"section": section.pk}).status_code == 200
    ko = live["ko"]
    words = {"title": "새 제목", "slug": ko.slug, "lead": ko.lead, "body": ko.body}
    editing.translation_save_text(translation=ko, text=words, user=people["translator"])
    by_translator = client.get(reverse("editorial:board"), {"translator": people["translator"].pk})
    assert [row["article"] for row in by_translator.context["rows"]] == [live["article"]]


def test_restoring_a_revision_of_a_published_text_makes_a_new_version(client, people, live):
    vi = live["vi"]
    first = revisions.latest(vi)
    words = {"title": "Tít đã sửa", "slug": vi.slug, "lead": vi.lead, "body": vi.body}
    editing.translation_save_text(translation=vi, text=words, user=people["editor"])
    workflow.perform(vi, Action.PUBLISH, people["approver"])
    vi.refresh_from_db()
    assert vi.title == "Tít đã sửa"

    client.force_login(people["editor"])
    url = reverse("editorial:revisions", kwargs={"translation_id": vi.pk})
    assert client.post(url, {"restore": first.number}).status_code == 302
    vi.refresh_from_db()
    assert vi.title == "Tít đã sửa"  # readers keep the approved text
    assert editing.pending_of(vi).title == first.title


def test_the_admin_action_publishes_waiting_new_versions_too(client, people, live):
    vi = live["vi"]
    words = {"title": "Tít mới", "slug": vi.slug, "lead": vi.lead, "body": vi.body}
    editing.translation_save_text(translation=vi, text=words, user=people["editor"])
    client.force_login(people["approver"])
    client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_now", "_selected_action": [vi.article_id]},
    )
    vi.refresh_from_db()
    assert vi.title == "Tít mới"
    assert editing.pending_of(vi) is None


FIGURE_BODY = (
    "<p>Đoạn mở đầu.</p>"
    '<figure class="figure"><img src="/media/images/2026/12/cau.jpg" alt="Cầu cảng Lạch Huyện">'
    '<figcaption class="figure-caption">Cảng lúc bình minh</figcaption></figure>'
    "<p>Đoạn kết.</p>"
)


def test_a_body_pictures_alt_text_is_a_segment_of_its_own():
    found = segments.split(FIGURE_BODY)
    assert [s.tag for s in found] == ["p", "img", "figcaption", "p"]
    assert found[1].html == "Cầu cảng Lạch Huyện"
    filled = segments.fill(FIGURE_BODY, ["Opening.", "The Lach Huyen quay", "The port", ""])
    assert 'alt="The Lach Huyen quay"' in filled and "The port" in filled
    assert "Đoạn kết" not in filled  # an untranslated paragraph is dropped
    # An untranslated alt text keeps the picture, with the original's words.
    kept = segments.fill(FIGURE_BODY, ["Opening.", "", "The port", "End."])
    assert 'alt="Cầu cảng Lạch Huyện"' in kept


def test_the_desk_translates_a_body_pictures_alt_text(client, people, make_article):
    article = make_article(["vi", "ko"])
    ArticleTranslation.objects.filter(article=article, language="vi").update(body=FIGURE_BODY)
    client.force_login(people["translator"])
    page = client.get(desk_url(article), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "picture&#x27;s alt text" in page or "picture's alt text" in page
    form = {
        "action": "save",
        "title": "한국어 제목",
        "lead": "",
        "seg-0": "도입 문단.",
        "seg-1": "<b>굵게</b>",
        "seg-2": "새벽의 항구",
        "seg-3": "마지막 문단.",
    }
    refused = client.post(desk_url(article), form, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "plain text, without markup" in refused.content.decode()
    form["seg-1"] = "락후옌 부두"
    assert client.post(desk_url(article), form).status_code == 302
    ko = ArticleTranslation.objects.get(article=article, language="ko")
    body = editing.working_text(ko).body
    assert 'alt="락후옌 부두"' in body and "새벽의 항구" in body


def test_a_translation_that_left_a_paragraph_out_still_lines_up():
    original = segments.split("<h2>Tiêu đề</h2><p>Một.</p><p>Hai.</p><ul><li>Mục</li></ul>")
    translation = segments.split("<h2>Heading</h2><p>One.</p><ul><li>Item</li></ul>")
    assert segments.align(original, translation) == ["Heading", "One.", "", "Item"]

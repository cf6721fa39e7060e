"""A new version of the draft: its paragraphs keep their anchors through the editor
(which drops every id), the approval and the desk, so comments stay with their
paragraph; a comment on a paragraph the new version removed is shown "on an earlier
version", with the words it was about."""

import re

import pytest
from django.utils.html import escape

from cangxanh.consultations.models import KIND
from cangxanh.editorial import editing, segments, workflow
from cangxanh.editorial.models import Action
from cangxanh.inbox.models import State
from cangxanh.news.models import Article, ArticleTranslation

from .conftest import PARAGRAPHS, draft_html, keys

pytestmark = pytest.mark.django_db


def without_ids(html: str) -> str:
    """What the rich-text editor sends back: the same body, every id dropped."""
    return re.sub(r' id="[^"]*"', "", html)


def main(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_comments_stay_with_their_paragraph_through_a_new_version(
    client, site_identity, make_consultation, make_comment, chief
):
    article = make_consultation()
    original = article.translations.get(language="vi")
    heading, scope, lead_unit, budget = keys(original.body)
    make_comment(article, "Cần nói rõ đoàn nào.", paragraph=scope, state=State.PUBLISHED, by=chief)
    make_comment(
        article, "Kinh phí phải công khai.", paragraph=budget, state=State.PUBLISHED, by=chief
    )

    # The editor's new version: a paragraph added first, a typo fixed, the budget removed.
    words = PARAGRAPHS["vi"]
    new_body = (
        f"<h2>{words[0]}</h2><p>Quy chế áp dụng từ năm 2027.</p>"
        f"<p>{words[1].replace('đến làm việc', 'đến thăm và làm việc')}</p><p>{words[2]}</p>"
    )
    editing.translation_save_text(
        translation=original,
        text={
            "title": original.title,
            "slug": original.slug,
            "lead": original.lead,
            "body": new_body,
        },
        user=chief,
    )
    waiting = editing.pending_of(ArticleTranslation.objects.get(pk=original.pk))
    assert waiting is not None and keys(waiting.body)[0] == heading
    # Readers still see the published version while the new one waits.
    assert "Kinh phí phải công khai." in main(client, original.get_absolute_url())

    workflow.perform(original, Action.PUBLISH, chief)
    original.refresh_from_db()
    now = keys(original.body)
    assert now[0] == heading and now[2] == scope and now[3] == lead_unit
    assert now[1] not in {heading, scope, lead_unit, budget}  # the new paragraph's own
    assert budget not in now

    body = main(client, original.get_absolute_url())
    under_scope = body[body.index(f'id="{scope}"') : body.index(f'id="{lead_unit}"')]
    assert "Cần nói rõ đoàn nào." in under_scope
    # The comment on the removed paragraph, with the words it was about.
    rest = body[body.index('id="elsewhere-title"') :]
    assert "Kinh phí phải công khai." in rest
    assert words[3] in rest  # the budget paragraph, from the revision the writer read
    assert 'class="comment__note"' in rest


def test_the_page_says_on_an_earlier_version_in_english(
    client, site_identity, make_consultation, make_comment, chief
):
    article = make_consultation(langs=("vi", "en"))
    en = article.translations.get(language="en")
    removed = keys(en.body)[3]
    make_comment(
        article, "Budget lines?", lang="en", paragraph=removed, state=State.PUBLISHED, by=chief
    )
    # Removed from the original and its translation alike.
    for row in article.translations.all():
        new = without_ids(row.body).replace(f"<p>{PARAGRAPHS[row.language][3]}</p>", "")
        editing.translation_save_text(
            translation=row, text={"title": row.title, "lead": row.lead, "body": new}, user=chief
        )
        workflow.perform(row, Action.PUBLISH, chief)
    body = main(client, en.get_absolute_url())
    assert "On a paragraph of an earlier version of the draft:" in body
    # The words the writer read, in the comment's language.
    assert escape(PARAGRAPHS["en"][3]) in body and "Budget lines?" in body


def test_a_paragraph_a_translation_left_out_is_quoted_from_the_original(
    client, site_identity, make_consultation, make_comment, chief
):
    article = make_consultation(langs=("vi", "en"))
    en = article.translations.get(language="en")
    key = keys(en.body)[3]
    make_comment(
        article, "Budget lines?", lang="en", paragraph=key, state=State.PUBLISHED, by=chief
    )
    new = without_ids(en.body).replace(f"<p>{PARAGRAPHS['en'][3]}</p>", "")
    editing.translation_save_text(
        translation=en, text={"title": en.title, "lead": en.lead, "body": new}, user=chief
    )
    workflow.perform(en, Action.PUBLISH, chief)
    body = main(client, en.get_absolute_url())
    assert "On this paragraph:" in body and "earlier version of the draft:" not in body
    assert PARAGRAPHS["vi"][3] in body  # still in the draft: its original's words


def test_a_translation_made_at_the_desk_shares_the_originals_anchors(chief, make_consultation):
    article = make_consultation(langs=("vi",))
    original = article.translations.get(language="vi")
    words = [f"Đoạn {n}" for n in range(len(segments.split(original.body)))]
    body = segments.fill(original.body, [w.replace("Đoạn", "Paragraph") for w in words])
    translation = ArticleTranslation(article=article, language="en")
    editing.translation_save_text(
        translation=translation, text={"title": "Draft", "body": body}, user=chief
    )
    assert keys(translation.body) == keys(original.body)
    # Saved again from the editor, which keeps no id: the anchors come back.
    editing.translation_save_text(
        translation=translation,
        text={"title": "Draft", "body": without_ids(translation.body).replace("1", "one")},
        user=chief,
    )
    translation.refresh_from_db()
    assert keys(translation.body) == keys(original.body)


def test_the_kind_hook_leaves_other_kinds_alone(chief, make_article):
    article = make_article(["vi"])
    row = article.translations.get()
    editing.translation_save_text(
        translation=row, text={"title": row.title, "body": "<p>Một</p><p>Hai</p>"}, user=chief
    )
    row.refresh_from_db()
    assert ' id="' not in row.body and Article.objects.get(pk=article.pk).kind != KIND


def test_a_new_draft_gets_anchors_when_first_saved(chief):
    article = Article.objects.create(kind=KIND, original_language="vi")
    row = ArticleTranslation(article=article, language="vi")
    editing.translation_save_text(
        translation=row,
        text={"title": "Dự thảo", "body": without_ids(draft_html("vi"))},
        user=chief,
    )
    assert len(keys(row.body)) == 4 and all(keys(row.body))


def _save_and_publish(row, body, user):
    editing.translation_save_text(
        translation=row, text={"title": row.title, "lead": row.lead, "body": body}, user=user
    )
    workflow.perform(row, Action.PUBLISH, user)
    row.refresh_from_db()


def test_a_comment_whose_paragraph_became_a_heading_still_shows(
    client, site_identity, make_consultation, make_comment, chief
):
    article = make_consultation(langs=("vi",))
    row = article.translations.get()
    key = keys(row.body)[2]
    make_comment(article, "Ý kiến về đoạn này.", paragraph=key, state=State.PUBLISHED, by=chief)
    words = PARAGRAPHS["vi"][2]
    # The new version makes that paragraph a heading: same words, so the same anchor.
    _save_and_publish(
        row, without_ids(row.body).replace(f"<p>{words}</p>", f"<h3>{words}</h3>"), chief
    )
    assert f'<h3 id="{key}">' in row.body
    body = main(client, row.get_absolute_url())
    assert "Ý kiến về đoạn này." in body  # was counted ("1 ý kiến") but shown nowhere
    rest = body[body.index('id="elsewhere-title"') :]
    assert "Ý kiến về đoạn này." in rest and words in rest


def test_a_removed_paragraph_is_never_quoted_from_a_version_not_approved(
    client, site_identity, make_consultation, chief
):
    from cangxanh.consultations import moderation

    article = make_consultation(langs=("vi",))
    row = article.translations.get()
    row.article = article
    key = keys(row.body)[3]
    # A comment that names no revision (sent before revisions were numbered).
    comment = moderation.comment_receive(
        consultation=row, name="An", email="an@example.test", text="Về kinh phí.", paragraph=key
    )
    moderation.comment_publish(comment=comment, by=chief)
    _save_and_publish(
        row, without_ids(row.body).replace(f"<p>{PARAGRAPHS['vi'][3]}</p>", ""), chief
    )
    assert key not in keys(row.body)
    # A new version that brings the paragraph back with other words waits for approval.
    editing.translation_save_text(
        translation=row,
        text={
            "title": row.title,
            "lead": row.lead,
            "body": row.body + f'<p id="{key}">Nội dung chưa được duyệt.</p>',
        },
        user=chief,
    )
    assert editing.pending_of(ArticleTranslation.objects.get(pk=row.pk)) is not None
    body = main(client, row.get_absolute_url())
    assert "Về kinh phí." in body
    assert "Nội dung chưa được duyệt." not in body  # unpublished words on a public page
    assert PARAGRAPHS["vi"][3] in body  # the words readers were shown when it was sent

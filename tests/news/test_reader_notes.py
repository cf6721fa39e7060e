"""What the reader's pages say besides the articles (issue 15): no story twice on the home
page, a note on a translation its original has moved past, and a "not translated yet"
sentence that reads right in every language."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from cangxanh.core.templatetags.portal import local_date
from cangxanh.editorial import editing, roles, workflow
from cangxanh.editorial.models import Action, StaffProfile
from cangxanh.news.models import Status
from cangxanh.stats.models import DailyViews

pytestmark = pytest.mark.django_db


def between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


# --- The home page: every story once ------------------------------------------------------


def test_home_shows_each_story_once_and_fills_the_blocks_with_the_next(
    client, site_identity, make_article, image
):
    now = timezone.now()
    stories = [
        make_article(
            ["vi"],
            images=[image],
            published_at=now - timedelta(hours=20 - i),
            titles={"vi": f"Tin số {i}"},
        ).translations.get()
        for i in range(12)
    ]
    newest = stories[::-1]  # the lead, four top stories, then the rest
    lead, top, rest = newest[0], newest[1:5], newest[5:]
    # The lead is the most read too, and the top stories are read: most read goes further down.
    today = timezone.localdate()
    for views, story in zip((900, 800, 700, 600, 500), [lead, *top], strict=True):
        DailyViews.objects.create(translation=story, day=today, count=views)
    for views, story in zip((70, 60, 50, 40, 30, 20, 10), rest, strict=True):
        DailyViews.objects.create(translation=story, day=today, count=views)

    html = client.get("/vi/").content.decode()
    main = between(html, "<main", "</main>")
    headline = between(main, '<section class="headline"', "</section>")
    top_block = between(main, '<section class="top-stories"', "</section>")
    blocks = main[main.index('class="home__columns"') :]
    link = f'href="{lead.get_absolute_url()}"'
    assert link in headline
    assert main.count(link) == headline.count(link), "the lead story shows once"
    for story in top:
        assert f'href="{story.get_absolute_url()}"' in top_block
        assert f'href="{story.get_absolute_url()}"' not in blocks
    # The section's block holds the four stories after those on top…
    section_block = between(blocks, '<section class="section-block"', "</section>")
    assert re.findall(r"Tin số \d+", section_block) == [s.title for s in rest[:4]]
    # …and most read the most read of the others, five of them.
    most_read = blocks[blocks.index('class="most-read"') :]
    today_panel = between(most_read, 'id="most-read-today"', "</section>")
    assert re.findall(r"Tin số \d+", today_panel) == [s.title for s in rest[:5]]


# --- A translation behind its original ----------------------------------------------------


@pytest.fixture
def newsroom(django_user_model):
    def user(name, role, languages=()):
        made = django_user_model.objects.create_user(name, password="pw-123456", is_staff=True)
        made.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=made, languages=list(languages))
        return django_user_model.objects.get(pk=made.pk)

    return {
        "approver": user("approver", roles.APPROVER),
        "editor": user("editor", roles.EDITOR, ["vi"]),
        "translator": user("translator", roles.TRANSLATOR, ["en", "ja"]),
    }


NOTE = 'class="translation-note"'


def test_a_translation_behind_its_public_original_says_so_and_links_to_it(
    client, newsroom, make_article
):
    article = make_article(["vi", "en", "ja"], status=Status.DRAFT)
    vi, en, ja = (article.translations.get(language=code) for code in ("vi", "en", "ja"))
    workflow.perform(vi, Action.PUBLISH, newsroom["approver"])
    for row in (en, ja):
        editing.translation_mark_current(translation=row, user=newsroom["translator"])
        workflow.perform(row, Action.PUBLISH, newsroom["approver"])
    ja_url = ja.get_absolute_url()
    assert NOTE not in client.get(ja_url).content.decode()

    # The editor's new words wait for approval: readers see nothing of them yet.
    editing.translation_save_text(
        translation=vi,
        text={"title": vi.title, "lead": "Bản cập nhật", "body": vi.body},
        user=newsroom["editor"],
    )
    assert NOTE not in client.get(ja_url).content.decode()

    workflow.perform(vi, Action.PUBLISH, newsroom["approver"])
    vi.refresh_from_db()
    assert vi.lead == "Bản cập nhật"
    # The English one is brought up to date; the Japanese one is not.
    en.refresh_from_db()
    editing.translation_mark_current(translation=en, user=newsroom["translator"])
    ja.refresh_from_db()
    assert editing.freshness(ja).outdated and not editing.freshness(en).outdated

    html = client.get(ja_url).content.decode()
    note = between(html, f"<p {NOTE}", "</p>")
    assert f'href="{vi.get_absolute_url()}" hreflang="vi"' in note
    assert '<span lang="vi">Tiếng Việt</span>' in note
    with translation.override("ja"):
        assert local_date(vi.updated_at) in note
    # Before the lead: the reader sees it before reading on.
    assert html.index(NOTE) < html.index('class="article__lead"')
    assert NOTE not in client.get(en.get_absolute_url()).content.decode()
    assert NOTE not in client.get(vi.get_absolute_url()).content.decode()


def test_no_note_while_the_original_is_not_public(client, newsroom, make_article):
    article = make_article(["vi", "ja"], status=Status.DRAFT)
    vi, ja = (article.translations.get(language=code) for code in ("vi", "ja"))
    workflow.perform(vi, Action.PUBLISH, newsroom["approver"])
    editing.translation_mark_current(translation=ja, user=newsroom["translator"])
    workflow.perform(ja, Action.PUBLISH, newsroom["approver"])
    editing.translation_save_text(
        translation=vi,
        text={"title": vi.title, "lead": "Bản cập nhật", "body": vi.body},
        user=newsroom["editor"],
    )
    workflow.perform(vi, Action.PUBLISH, newsroom["approver"])
    ja_url = ja.get_absolute_url()
    assert NOTE in client.get(ja_url).content.decode()
    vi.refresh_from_db()
    workflow.perform(vi, Action.UNPUBLISH, newsroom["approver"])
    # Nothing to send the reader to: no note.
    assert NOTE not in client.get(ja_url).content.decode()


# --- "Not translated yet" -----------------------------------------------------------------


def test_the_korean_not_translated_sentence_needs_no_particle_choice(client, make_article):
    article = make_article(["vi"])
    html = client.get(f"/ko/a/{article.pk}/").content.decode()
    sentence = between(html, "<h1>", "</ul>")
    assert "(으)로" not in sentence
    assert "이 기사의 한국어 번역본은 아직 없거나 게시되지 않았습니다." in sentence

"""The index follows publishing: through the workflow, the editing service and the command."""

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cangxanh.editorial import workflow
from cangxanh.editorial.editing import translation_save_text
from cangxanh.editorial.models import Action
from cangxanh.news.models import ArticleTranslation, Status
from cangxanh.search import engine
from cangxanh.search.analyzer import parse_query
from cangxanh.search.index import entry_update, index_rebuild
from cangxanh.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def found(q: str, lang: str = "vi") -> list[int]:
    results = engine.search(parse_query(q), engine.Filters(language=lang))
    return [hit.id for hit in results.hits]


@pytest.fixture
def step(people, django_capture_on_commit_callbacks):
    """Perform a workflow step as the approver, running what waits for the commit."""

    def run(translation, action, **options):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.perform(translation, action, people["approver"], **options)
        translation.refresh_from_db()

    return run


@pytest.fixture
def draft_vi(make_article):
    article = make_article(["vi"], status=Status.DRAFT, titles={"vi": "Cảng Lạch Huyện mở tuyến"})
    return article.translations.get()


def test_publish_unpublish_archive_reopen(step, draft_vi):
    assert found("lach huyen") == []
    step(draft_vi, Action.PUBLISH)
    assert found("lach huyen") == [draft_vi.pk]
    step(draft_vi, Action.UNPUBLISH)
    assert found("lach huyen") == []
    assert not SearchEntry.objects.filter(translation=draft_vi).exists()
    step(draft_vi, Action.PUBLISH)
    assert found("lach huyen") == [draft_vi.pk]
    step(draft_vi, Action.ARCHIVE)
    assert found("lach huyen") == []
    step(draft_vi, Action.REOPEN)
    assert draft_vi.status == Status.DRAFT
    assert found("lach huyen") == []


def test_a_scheduled_translation_appears_at_its_time_with_no_job(step, draft_vi):
    when = timezone.now() + timedelta(days=2)
    step(draft_vi, Action.PUBLISH, publish_at=when)
    assert SearchEntry.objects.filter(translation=draft_vi).exists()
    assert found("lach huyen") == []
    # Its time comes: found, with nothing run in between.
    with mock.patch("django.utils.timezone.now", return_value=when + timedelta(seconds=1)):
        assert found("lach huyen") == [draft_vi.pk]
    with mock.patch("django.utils.timezone.now", return_value=when - timedelta(seconds=1)):
        assert found("lach huyen") == []


def test_a_new_version_is_found_only_once_published(step, people, draft_vi):
    step(draft_vi, Action.PUBLISH)
    text = {
        "title": "Cảng Nam Đình Vũ đón tàu đầu tiên",
        "slug": draft_vi.slug,
        "lead": draft_vi.lead,
        "body": draft_vi.body,
    }
    translation_save_text(translation=draft_vi, text=text, user=people["approver"])
    # Waiting for approval: readers (and search) still see the published words.
    assert found("dinh vu") == []
    assert found("lach huyen") == [draft_vi.pk]
    step(draft_vi, Action.PUBLISH)
    assert found("dinh vu") == [draft_vi.pk]
    assert found("lach huyen") == []


def test_unpublishing_with_a_new_version_waiting_removes_both(step, people, draft_vi):
    step(draft_vi, Action.PUBLISH)
    text = {"title": "Cảng Nam Đình Vũ", "slug": "", "lead": "", "body": ""}
    translation_save_text(translation=draft_vi, text=text, user=people["approver"])
    step(draft_vi, Action.UNPUBLISH)
    assert found("dinh vu") == [] and found("lach huyen") == []


def test_editing_a_draft_changes_nothing_searchable(people, draft_vi):
    text = {"title": "Cảng Nam Đình Vũ", "slug": "", "lead": "", "body": ""}
    translation_save_text(translation=draft_vi, text=text, user=people["approver"])
    assert found("dinh vu") == []
    assert not SearchEntry.objects.exists()


def test_a_deleted_translation_leaves_nothing_in_the_index(step, draft_vi):
    step(draft_vi, Action.PUBLISH)
    draft_vi.article.delete()
    assert not SearchEntry.objects.exists()
    assert found("lach huyen") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'lach'")
            assert cursor.fetchone()[0] == 0


def test_entry_update_indexes_only_what_readers_may_see(make_article):
    article = make_article(["vi", "en"])
    vi, en = article.translations.order_by("language")
    assert entry_update(vi) is True
    ArticleTranslation.objects.filter(pk=en.pk).update(status=Status.REVIEW)
    assert entry_update(en) is False
    assert list(SearchEntry.objects.values_list("translation_id", flat=True)) == [vi.pk]
    assert entry_update(999_999) is False


def test_reindex_command_rebuilds_with_a_progress_bar_and_is_idempotent(make_article):
    make_article(["vi", "en", "ko"])
    make_article(["vi"], status=Status.DRAFT)
    assert found("hai phong") == []  # written directly: not indexed yet

    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", stdout=out, stderr=err)
    assert "Indexed 3 published translations." in out.getvalue()
    # No terminal here: the bar is still drawn, in ASCII, and reaches the end.
    assert re.search(r"Indexing: 100%\|#+\| 3/3", err.getvalue()), err.getvalue()
    first = sorted(SearchEntry.objects.values_list("translation_id", "title", "body", "exact"))
    hits = found("hai phong")
    assert len(hits) == 1

    out = io.StringIO()
    call_command("reindex", "--no-progress", stdout=out, stderr=io.StringIO())
    assert "Indexed 3 published translations." in out.getvalue()
    assert (
        sorted(SearchEntry.objects.values_list("translation_id", "title", "body", "exact")) == first
    )
    assert found("hai phong") == hits
    assert len(found("하이퐁", "ko")) == 1


def test_moving_an_article_to_another_section_is_followed(make_article):
    from cangxanh.news.models import Section
    from cangxanh.search.index import article_entries_update

    article = make_article(["vi", "en"])
    index_rebuild()
    other = Section.objects.create(key="other")

    def in_section(section):
        results = engine.search(
            parse_query("incheon"), engine.Filters(language=None, section=section)
        )
        return sorted(hit.id for hit in results.hits)

    old = article.section
    assert len(in_section(old)) == 2 and in_section(other) == []
    article.section = other
    article.save(update_fields=["section"])
    article_entries_update(article)
    assert in_section(old) == []
    assert len(in_section(other)) == 2


def test_index_rebuild_drops_entries_of_what_is_no_longer_published(make_article):
    article = make_article(["vi"])
    index_rebuild()
    assert SearchEntry.objects.count() == 1
    article.translations.update(status=Status.ARCHIVED)
    assert index_rebuild() == 0
    assert not SearchEntry.objects.exists()

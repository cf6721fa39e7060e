"""A process killed with SIGKILL in the middle of a publish: the translation is published
or not, never half, and the pages, the search and the page cache of a running server
all say the same on the next request.

The publish runs in a process of its own (tests/faults/publisher.py) that stops at a
chosen point, inside the transaction or just after its COMMIT, and tells the test so;
the test kills it there. On SQLite and, with DATABASE_URL, on PostgreSQL."""

import subprocess
import sys

import pytest

from cangxanh.editorial.models import Revision, WorkflowEvent
from cangxanh.news.models import ArticleTranslation, Status
from cangxanh.search.models import SearchEntry
from tests.servers import process_env

from .conftest import fetch, live_server

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Hội nghị xúc tiến đầu tư Busan tại Hải Phòng"
WORD = "Busan"


@pytest.fixture
def waiting(make_article, site_identity):
    """A translation in review, beside one already public in the same section."""
    make_article(["vi"])
    article = make_article(["vi"], status=Status.REVIEW, titles={"vi": TITLE})
    return article.translations.get()


def pages(base: str, translation: ArticleTranslation) -> dict[str, bool]:
    """Whether each page readers may reach shows the translation."""
    section = translation.article.section.translations.get(language="vi").get_absolute_url()
    article = fetch(base + translation.get_absolute_url())
    assert article.status in (200, 404)
    shown = {"article": article.status == 200}
    for name, path in {
        "home": "/vi/",
        "section": section,
        "search": f"/vi/search/?q={WORD}",
    }.items():
        answer = fetch(base + path)
        assert answer.status == 200, (name, answer.status)
        # A link to it (search results highlight the title's words, so not its title).
        shown[name] = f'href="{translation.get_absolute_url()}"' in answer.text
    return shown


def kill_publish_at(point: str, translation: ArticleTranslation, user) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.publisher", str(translation.pk), str(user.pk), point],
        env=process_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    with process:
        line = process.stdout.readline()  # "ready": stopped at the point, waiting
        if line.strip() != "ready":
            process.kill()
            pytest.fail(f"the publisher did not reach {point!r}: {line!r}")
        process.kill()  # SIGKILL
        process.wait()


@pytest.mark.parametrize(
    ("point", "published"),
    [("saved", False), ("recorded", False), ("committed", True)],
    ids=["row-saved", "all-written", "just-committed"],
)
def test_a_publish_killed_leaves_all_or_nothing(waiting, approver, point, published):
    with live_server() as base:
        before = pages(base, waiting)
        assert before == dict.fromkeys(before, False)
        pages(base, waiting)  # now every listing is served from the page cache

        kill_publish_at(point, waiting, approver)

        row = ArticleTranslation.objects.get(pk=waiting.pk)
        stored = {
            "status": row.status == Status.PUBLISHED,
            "published_at": row.published_at is not None,
            "event": WorkflowEvent.objects.filter(translation=row).exists(),
            "search entry": SearchEntry.objects.filter(translation_id=row.pk).exists(),
            "approved revision": Revision.objects.filter(translation=row, approved=True).exists(),
        }
        assert stored == dict.fromkeys(stored, published)
        shown = pages(base, waiting)
        assert shown == dict.fromkeys(shown, published)

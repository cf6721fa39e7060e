"""The page cache and a consultation's dates: the content version holds the next
moment a consultation opens or closes, so cached pages change then, with no worker."""

import time
from datetime import timedelta

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from cangxanh.delivery import version
from cangxanh.delivery.front import PageCache

from ..delivery.conftest import call

pytestmark = pytest.mark.django_db


def test_the_next_opening_or_closing_is_a_scheduled_change(make_consultation):
    soon = make_consultation(opens=timedelta(hours=2), closes=timedelta(days=3))
    make_consultation(closes=timedelta(hours=5))
    version.bump()
    assert version.state()[1] == pytest.approx(soon.consultation_facts.opens_at.timestamp())


def test_a_cached_consultation_page_flips_when_it_closes(
    make_consultation, site_identity, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    front = PageCache(WSGIHandler())
    with django_capture_on_commit_callbacks(execute=True):
        article = make_consultation(closes=timedelta(seconds=1.5))
    closes = article.consultation_facts.closes_at
    url = article.translations.get(language="en").get_absolute_url()
    first = call(front, url)
    assert first.status == 200 and "Open for comments until" in first.text
    assert "comment/?paragraph=" in first.text
    assert call(front, url).hit
    time.sleep(max(0.0, (closes - timezone.now()).total_seconds()) + 0.1)
    after = call(front, url)
    assert not after.hit
    assert "Closed on" in after.text and "comment/?paragraph=" not in after.text
    assert "Summary of the comments" in after.text


def test_a_cached_consultation_page_flips_when_it_opens(
    make_consultation, site_identity, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    front = PageCache(WSGIHandler())
    with django_capture_on_commit_callbacks(execute=True):
        article = make_consultation(opens=timedelta(seconds=1.5), closes=timedelta(days=5))
    opens = article.consultation_facts.opens_at
    urls = [article.translations.get(language="en").get_absolute_url(), "/en/consultations/"]
    before = [call(front, url) for url in urls]
    assert "Opens for comments on" in before[0].text and "comment/?paragraph=" not in before[0].text
    assert 'id="group-upcoming"' in before[1].text
    assert all(call(front, url).hit for url in urls)
    time.sleep(max(0.0, (opens - timezone.now()).total_seconds()) + 0.1)
    after = [call(front, url) for url in urls]
    assert not any(response.hit for response in after)
    assert "Open for comments until" in after[0].text and "comment/?paragraph=" in after[0].text
    assert 'id="group-open"' in after[1].text and 'id="group-upcoming"' not in after[1].text

"""A publication is scheduled at most two years ahead, on the steps page and in the service.

A year like 9999 is a typo, not a plan: the approved text would wait for ever, out
of readers' sight and out of the newsroom's mind.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cangxanh.editorial import workflow
from cangxanh.editorial.models import Action, WorkflowEvent
from cangxanh.news.models import Status

pytestmark = pytest.mark.django_db

REFUSAL = "Choose a time at most two years from now"


def steps_url(translation) -> str:
    return reverse("editorial:translation", kwargs={"translation_id": translation.pk})


def _typed(when) -> str:
    """A time as the datetime-local field sends it."""
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def in_review(people, draft):
    vi = draft["vi"]
    workflow.perform(vi, Action.SUBMIT, people["editor"])
    return vi


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "2300-01-01T00:00"])
def test_the_steps_page_refuses_a_time_too_far_ahead(client, people, in_review, typed):
    client.force_login(people["approver"])
    response = client.post(
        steps_url(in_review),
        {"action": "publish", "publish_at": typed, "comment": "Đã duyệt nội dung"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSAL in page
    # What was typed stays, as for a time in the past.
    assert f'value="{typed}"' in page
    assert "Đã duyệt nội dung" in page
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW
    assert in_review.published_at is None
    assert not WorkflowEvent.objects.filter(action=Action.PUBLISH).exists()


def test_the_steps_page_schedules_within_the_horizon(client, people, in_review):
    client.force_login(people["approver"])
    when = timezone.now() + workflow.SCHEDULE_HORIZON - timedelta(days=1)
    response = client.post(steps_url(in_review), {"action": "publish", "publish_at": _typed(when)})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.PUBLISHED
    assert in_review.published_at > timezone.now() + timedelta(days=700)


def test_perform_refuses_a_time_too_far_ahead(people, in_review):
    """Callers that bypass the form (the admin, a script) meet the same rule."""
    too_far = timezone.now() + workflow.SCHEDULE_HORIZON + timedelta(minutes=5)
    with override("en"), pytest.raises(workflow.WorkflowError, match=REFUSAL):
        workflow.perform(in_review, Action.PUBLISH, people["approver"], publish_at=too_far)
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW
    assert in_review.published_at is None


def test_perform_refuses_the_year_9999(people, in_review):
    far = timezone.now().replace(year=9999, month=12, day=31)
    with pytest.raises(workflow.WorkflowError):
        workflow.perform(in_review, Action.PUBLISH, people["approver"], publish_at=far)


def test_perform_schedules_within_the_horizon(people, in_review):
    when = timezone.now() + workflow.SCHEDULE_HORIZON - timedelta(minutes=5)
    workflow.perform(in_review, Action.PUBLISH, people["approver"], publish_at=when)
    assert in_review.status == Status.PUBLISHED
    assert in_review.published_at == when

"""What an approval must not let through on the agency's pages: a loop of parents made
by two changes that each looked fine while waiting, and facts naming a page or a
person deleted while they waited."""

import pytest
from django.urls import reverse
from django.utils import translation

from cangxanh.agency.models import PageFacts
from cangxanh.editorial import facts, workflow
from cangxanh.editorial.models import Action
from cangxanh.news.models import Person

from .conftest import leader_person
from .test_newsroom import CHANGE, page_post


def wait_with(client, user, page, **fields):
    client.force_login(user)
    response = client.post(reverse(CHANGE, args=[page.pk]), page_post(page, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert facts.pending(page) is not None


def original(page):
    return page.translations.get(language=page.original_language)


def test_two_waiting_moves_cannot_make_a_loop_of_parents(client, people, agency):
    history, functions = agency["history"], agency["functions"]
    # Each looks fine against what readers see now: neither has a parent yet.
    wait_with(client, people["editor"], history, parent=str(functions.pk))
    wait_with(client, people["editor"], functions, parent=str(history.pk))
    workflow.perform(original(history), Action.PUBLISH, people["approver"])
    assert PageFacts.objects.get(article=history).parent_id == functions.pk
    with translation.override("en"), pytest.raises(workflow.WorkflowError, match="under itself"):
        workflow.perform(original(functions), Action.PUBLISH, people["approver"])
    assert PageFacts.objects.get(article=functions).parent_id is None
    assert facts.pending(functions) is not None  # still waiting, for the editor to change


def test_a_parent_deleted_while_its_child_waited_is_refused_not_a_500(
    client, people, agency, make_page
):
    spare = make_page("spare")
    wait_with(client, people["editor"], agency["history"], parent=str(spare.pk))
    spare.delete()
    client.force_login(people["approver"])
    steps = reverse("editorial:translation", args=[original(agency["history"]).pk])
    response = client.post(steps, {"action": Action.PUBLISH}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The parent must be another page" in response.content.decode()
    assert PageFacts.objects.get(article=agency["history"]).parent_id is None


def test_a_person_deleted_while_a_leaders_page_waited_is_refused_not_a_500(client, people, agency):
    newcomer = leader_person("Lê Văn Mới", "Deputy")
    wait_with(client, people["editor"], agency["deputy"], person=str(newcomer.pk))
    Person.objects.filter(pk=newcomer.pk).delete()
    client.force_login(people["approver"])
    steps = reverse("editorial:translation", args=[original(agency["deputy"]).pk])
    response = client.post(steps, {"action": Action.PUBLISH}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "That person does not exist" in response.content.decode()
    assert PageFacts.objects.get(article=agency["deputy"]).person_id != newcomer.pk

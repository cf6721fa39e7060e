"""A page's own facts: checked before they are kept, applied by one writer, and a tree
that stays whole whatever was approved."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cangxanh.agency.facts import DEFAULTS, PageKindFacts
from cangxanh.agency.models import PageFacts

FACTS = PageKindFacts()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"parent": "x"}, "parent page"),
        ({"parent": 999_999}, "another page of the agency"),
        ({"position": -1}, "from 0 to 32767"),
        ({"position": "first"}, "whole number"),
        ({"key": "home"}, "fixed page does not exist"),
        ({"layout": "banner"}, "layout does not exist"),
        ({"person": 999_999}, "person does not exist"),
        ({"phone": "call me <b>"}, "phone number"),
        ({"email": "not-an-address"}, "e-mail address"),
    ],
)
def test_bad_facts_are_refused_with_a_clear_message(db, extra, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        FACTS.normalised(extra)
    assert message in " ".join(refused.value.messages)


def test_good_facts_come_back_normalised(agency):
    extra = FACTS.normalised(
        {"parent": str(agency["leaders"].pk), "position": "2", "phone": " 0225  3000 1 "}
    )
    assert extra == DEFAULTS | {
        "parent": agency["leaders"].pk,
        "position": 2,
        "phone": "0225 3000 1",
    }


def test_a_news_article_cannot_be_a_parent(db, make_article):
    news = make_article(["vi"])
    with pytest.raises(ValidationError):
        FACTS.normalised({"parent": news.pk})


def test_an_approved_fixed_place_moves_to_the_newly_approved_page(agency, make_page):
    newer = make_page("newer", langs=["vi"])
    FACTS.apply(newer, DEFAULTS | {"key": "contact"})
    assert PageFacts.objects.get(article=newer).key == "contact"
    assert PageFacts.objects.get(article=agency["contact"]).key is None


def test_a_loop_of_parents_still_shows_every_page(client, agency):
    # Two new versions approved one after the other, each under the other.
    FACTS.apply(
        agency["history"], FACTS.live(agency["history"]) | {"parent": agency["functions"].pk}
    )
    FACTS.apply(
        agency["functions"], FACTS.live(agency["functions"]) | {"parent": agency["history"].pk}
    )
    html = client.get("/en/about/").content.decode()
    assert "Functions en" in html and "History en" in html
    assert (
        client.get(agency["history"].translations.get(language="en").get_absolute_url()).status_code
        == 200
    )


def test_a_news_articles_id_is_no_page(client, agency, make_article):
    news = make_article(["vi"])
    assert client.get(f"/vi/about/anything-{news.pk}/").status_code == 404

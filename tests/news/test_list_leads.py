"""A list's cards shorten a long lead between words, not in the middle of one."""

import re
from html import unescape

import pytest

from cangxanh.core.text import ELLIPSIS

pytestmark = pytest.mark.django_db

LEAD = (
    "The city will speed up tax refunds and land allocation for foreign investors in its "
    "industrial parks, the Department of Planning and Investment said on Tuesday after a "
    "meeting with businesses from Japan, Korea and Singapore about procedures."
)


def card_leads(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'<p class="card__lead">(.*?)</p>', html, re.S)]


def test_the_section_page_cuts_a_long_lead_after_a_whole_word(client, make_article, section):
    article = make_article(["en"])
    article.translations.filter(language="en").update(lead=LEAD)
    # The card's 220 characters end inside "Singapore": cut there, it would read "Singap…".
    assert LEAD[218:220].isalpha()
    response = client.get(section.translation("en").get_absolute_url())
    assert response.status_code == 200
    [shown] = card_leads(response.content.decode())
    assert (
        shown
        == "The city will speed up tax refunds and land allocation for foreign investors in its industrial parks, the Department of Planning and Investment said on Tuesday after a meeting with businesses from Japan, Korea and…"
    )  # noqa: E501
    assert len(shown) <= 220 and shown.endswith(ELLIPSIS)

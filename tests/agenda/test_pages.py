"""The week page of the leaders' calendar (`/<lang>/calendar/`), as readers get it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cangxanh.agenda.weeks import Week
from cangxanh.news.models import Status

from ..conftest import LANGS
from .conftest import TEXTS, change_facts, local

W49 = "/{lang}/calendar/?week=2026-W49"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index('<div class="wrap agenda">') : html.index("</main>")]


@pytest.mark.parametrize("lang", LANGS)
def test_the_week_in_every_language(client, site_identity, leaders, make_event, lang, settings):
    settings.SITE_URL = "https://portal.example"
    event = make_event(
        local(2026, 12, 1, 8, 30),
        ends_at=local(2026, 12, 1, 10, 0),
        langs=LANGS,
        leaders=leaders,
    )
    html = page(client, W49.format(lang=lang))
    body = main(html)
    title, where, _attending = TEXTS[lang]
    assert f'id="event-{event.pk}"' in body
    assert title in body and where in body
    assert "Khách mời &amp; báo chí" in body  # who attends, as plain text
    assert "Phạm Thu Hà" in body and "Đỗ Quang Vinh" in body
    # Seven days, six of them empty, each headed by its date.
    assert body.count('<section class="agenda-day') == 7
    assert body.count('class="agenda-day__empty"') == 6
    assert '<time datetime="2026-12-01">' in body
    assert '<time datetime="2026-12-01T08:30:00+07:00">' in body
    assert f'<html lang="{ {"zh-hans": "zh-Hans"}.get(lang, lang) }">' in html
    assert (
        f'<link rel="canonical" href="https://portal.example/{lang}/calendar/?week=2026-W49">'
        in html
    )
    assert 'hreflang="ko" href="https://portal.example/ko/calendar/?week=2026-W49"' in html


def test_times_in_each_languages_format(client, site_identity, make_event):
    make_event(local(2026, 12, 1, 14, 5), ends_at=local(2026, 12, 1, 16, 0), langs=LANGS)
    assert ">14:05</time>–<time" in page(client, W49.format(lang="vi"))
    assert ">2:05 PM</time>–<time" in page(client, W49.format(lang="en"))
    assert "30 November – 6 December 2026" in page(client, W49.format(lang="en"))
    assert "30/11 – 06/12/2026" in page(client, W49.format(lang="vi"))


def test_an_untranslated_entry_is_shown_from_its_original(client, site_identity, make_event):
    make_event(local(2026, 12, 2, 9, 0), langs=("vi",))
    body = main(page(client, W49.format(lang="ja")))
    assert '<span lang="vi">Tiếp Đoàn đại biểu Incheon</span>' in body
    assert 'class="engagement__note"' in body
    assert "ベトナム語" in body  # the language's name in the page's language (Django's)


def test_week_navigation_across_a_53_week_year(client, site_identity):
    html = page(client, "/en/calendar/?week=2026-W53")
    assert 'rel="prev nofollow" href="/en/calendar/?week=2026-W52"' in html
    assert 'rel="next nofollow" href="/en/calendar/?week=2027-W01"' in html
    assert "28 December 2026 – 3 January 2027" in html
    assert '<time datetime="2027-01-03">' in html
    html = page(client, "/en/calendar/?week=2027-W01")
    assert 'rel="prev nofollow" href="/en/calendar/?week=2026-W53"' in html
    # The last week that may be asked for has no link further on.
    assert 'rel="next nofollow"' not in page(client, "/en/calendar/?week=2100-W52")


def test_this_week_by_default_with_a_link_back_to_it(client, site_identity):
    this_week = Week.containing(timezone.localdate())
    html = page(client, "/en/calendar/")
    assert f'<time datetime="{this_week.label}">' in html
    assert f'rel="next nofollow" href="/en/calendar/?week={this_week.next.label}"' in html
    elsewhere = page(client, "/en/calendar/?week=2026-W10")
    assert 'class="agenda__step agenda__step--now" href="/en/calendar/"' in elsewhere


@pytest.mark.parametrize(
    "value",
    ["2026-W54", "2025-W53", "nonsense", "<script>alert(1)</script>", "9" * 500, "W\x00\x1b"],
)
def test_a_bad_week_shows_this_week_with_a_message(client, site_identity, value):
    response = client.get("/vi/calendar/", {"week": value})
    assert response.status_code == 200
    html = response.content.decode()
    this_week = Week.containing(timezone.localdate())
    assert 'class="agenda__problem" role="alert"' in html
    assert f'<time datetime="{this_week.label}">' in html
    assert "<script>alert" not in html
    assert "\x00" not in html and "\x1b" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_leader_filter(client, site_identity, leaders, make_event):
    director, deputy = leaders
    both = make_event(local(2026, 12, 1, 8, 0), leaders=[director, deputy], titles={"en": "Both"})
    own = make_event(local(2026, 12, 2, 8, 0), leaders=[deputy], titles={"en": "Deputy alone"})
    html = page(client, f"/en/calendar/?week=2026-W49&leader={director.pk}")
    assert f'id="event-{both.pk}"' in html and f'id="event-{own.pk}"' not in html
    assert "Work calendar of Phạm Thu Hà" in html
    assert f'href="/en/calendar/leaders/{director.pk}.ics"' in html
    # Links to every leader, keeping the week; the chosen one is marked.
    assert f'href="/en/calendar/?leader={deputy.pk}&amp;week=2026-W49"' in html
    assert re.search(rf'leader={director.pk}&amp;week=2026-W49" aria-current="page"', html)
    assert "Deputy Director" in html  # each leader's position in the page's language
    # Navigation keeps the leader.
    assert f'href="/en/calendar/?leader={director.pk}&amp;week=2026-W50"' in html

    everyone = page(client, "/en/calendar/?week=2026-W49")
    assert f'id="event-{both.pk}"' in everyone and f'id="event-{own.pk}"' in everyone


@pytest.mark.parametrize(
    "value",
    [
        "999999",
        "abc",
        "-1",
        "1e3",
        "99999999999999999999999",
        "0" * 19 + "1" + "0" * 5000,  # int() of so many digits raises: was a 500
        "\u0661",  # Arabic-Indic one
        "\uff11",  # fullwidth one
        "0",
    ],
)
def test_an_unknown_leader_shows_everyone_with_a_message(
    client, site_identity, leaders, make_event, value
):
    event = make_event(local(2026, 12, 1, 8, 0), leaders=leaders[:1])
    html = page(client, f"/en/calendar/?week=2026-W49&leader={value}")
    assert 'class="agenda__problem" role="alert"' in html
    assert f'id="event-{event.pk}"' in html
    assert "Leaders&#x27; work calendar" in html


def test_a_cancelled_entry_is_struck_through_and_says_so(client, site_identity, make_event):
    make_event(local(2026, 12, 3, 15, 0), cancelled=True)
    body = main(page(client, W49.format(lang="en")))
    assert 'class="engagement is-cancelled"' in body
    assert '<span class="engagement__badge">Cancelled</span> <s>' in body
    assert "<s>Receiving the Incheon delegation</s>" in body


def test_an_entry_changed_after_publication_says_when(
    client, site_identity, leaders, make_event, chief
):
    moved = make_event(local(2026, 12, 1, 9, 0), leaders=leaders[:1])
    kept = make_event(local(2026, 12, 2, 9, 0))
    assert "Changed on" not in page(client, W49.format(lang="en"))

    change_facts(moved, chief, starts_at=local(2026, 12, 1, 14, 0).isoformat())
    body = main(page(client, W49.format(lang="en")))
    # Both the original (vi) and the translation (en) show the change of the facts.
    changed = re.findall(r'class="engagement__changed">Changed on ([^<]+)<', body)
    assert len(changed) == 1
    assert str(timezone.localdate().year) in changed[0]
    assert ">2:00 PM</time>" in body
    first = body.index(f'id="event-{moved.pk}"')
    assert "Changed on" in body[first : body.index(f'id="event-{kept.pk}"')]
    assert "engagement__changed" in main(page(client, W49.format(lang="vi")))


def test_an_engagement_over_several_days_shows_on_each(client, site_identity, make_event):
    event = make_event(
        local(2026, 12, 3, 0, 0), ends_at=local(2026, 12, 5, 0, 0), all_day=True, langs=("en",)
    )
    body = main(page(client, W49.format(lang="en")))
    assert body.count("Receiving the Incheon delegation") == 3
    assert body.count(f'id="event-{event.pk}"') == 1  # one anchor for links
    assert body.count('class="agenda-day__empty"') == 4
    # In full on its first day, then as a line that leads back to it.
    assert body.count("International reception room") == 1
    assert body.count(f'<a href="#event-{event.pk}">Continued from Thursday 3 December</a>') == 2


def test_an_engagement_begun_the_week_before_shows_in_full(client, site_identity, make_event):
    make_event(local(2026, 11, 27, 9, 0), ends_at=local(2026, 12, 1, 12, 0), langs=("en",))
    body = main(page(client, W49.format(lang="en")))
    assert body.count("International reception room") == 1
    assert "Continued from Friday 27 November</p>" in body
    assert "Until <time" not in body and "Until 12:00 PM" in body


def test_drafts_and_scheduled_entries_are_not_shown(client, site_identity, make_event):
    make_event(local(2026, 12, 1, 8, 0), status=Status.DRAFT, titles={"en": "A draft"})
    make_event(
        local(2026, 12, 1, 9, 0),
        published_at=timezone.now() + timedelta(hours=1),
        titles={"en": "Scheduled"},
    )
    body = main(page(client, W49.format(lang="en")))
    assert "A draft" not in body and "Scheduled" not in body
    assert body.count('class="agenda-day__empty"') == 7


def test_the_print_view(client, site_identity, make_event):
    make_event(local(2026, 12, 1, 8, 0))
    html = page(client, "/en/calendar/?week=2026-W49&print=1")
    assert '<body class="print-preview">' in html
    assert 'class="print-toolbar"' in html
    assert 'class="print-toolbar__back" href="/en/calendar/?week=2026-W49"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Printed from http://" in html
    assert '<link rel="canonical" href="' in html and "print=1" not in re.search(
        r'rel="canonical" href="([^"]+)"', html
    ).group(1)
    normal = page(client, "/en/calendar/?week=2026-W49")
    assert 'href="/en/calendar/?print=1&amp;week=2026-W49" rel="nofollow"' in normal
    assert 'name="robots"' not in normal


def test_the_menu_links_the_calendar(client, site_identity):
    html = page(client, "/en/calendar/")
    assert re.search(r'<a href="/en/calendar/" aria-current="page">', html)
    home = client.get("/en/").content.decode()
    assert '<a href="/en/calendar/">' in home


def _count(client, url) -> int:
    client.get(url)  # warm: the chrome of this content version
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# Outside a test transaction, as in production: what is kept per content version (the
# chrome, the agency pages' addresses) is read once, not per page.
@pytest.mark.django_db(transaction=True)
def test_a_fixed_number_of_queries(client, site_identity, leaders, make_event, chief, division):
    """The leaders, the entries, their leaders, their hosts' names, their changes."""
    url = "/en/calendar/?week=2026-W49"
    make_event(local(2026, 12, 1, 8, 0), leaders=leaders[:1], host=division)
    small = _count(client, url)
    for day in range(1, 6):
        make_event(
            local(2026, 11, 30, 9, 0) + timedelta(days=day),
            langs=("vi", "en", "ko") if day % 2 else ("vi",),
            leaders=leaders,
            host=division if day % 2 else None,
            cancelled=day == 3,
        )
    change_facts(make_event(local(2026, 12, 4, 8, 0), leaders=leaders), chief, cancelled=True)
    large = _count(client, url)
    assert small == large == 5
    html = client.get(url).content.decode()
    assert html.count("International Cooperation</a>") == 4
    assert html.count('class="engagement__changed"') == 1


def test_the_host_unit_links_its_page_in_the_pages_language(
    client, site_identity, make_event, division
):
    make_event(local(2026, 12, 1, 8, 0), langs=("vi", "en", "ko"), host=division)
    en = main(page(client, W49.format(lang="en")))
    assert (
        f'<a href="/en/about/international-cooperation-{division.pk}/">International Cooperation</a>'
        in en
    )
    # No Korean name for the division: its Vietnamese one.
    ko = main(page(client, W49.format(lang="ko")))
    assert "Phòng Hợp tác quốc tế</a>" in ko


def test_another_kind_never_shows_the_calendar_and_the_calendar_only_its_own(
    client, site_identity, make_event, make_article
):
    event = make_event(local(2026, 12, 1, 8, 0), titles={"en": "Calendar only"})
    news = make_article(("en",))
    assert "Calendar only" not in client.get("/en/").content.decode()
    assert "Calendar only" not in client.get("/en/feed/").content.decode()
    week = main(page(client, W49.format(lang="en")))
    assert news.translations.get().title not in week
    # The permalink of an entry leads to its own address, which leads to its week.
    permalink = client.get(f"/en/a/{event.pk}/")
    assert permalink.status_code == 301
    assert permalink["Location"] == f"/en/calendar/{event.pk}/"
    found = client.get(permalink["Location"])
    assert found.status_code == 302
    assert found["Location"] == f"/en/calendar/?week=2026-W49#event-{event.pk}"
    assert client.get(f"/en/calendar/{news.pk}/").status_code == 404

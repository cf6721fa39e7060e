"""The leaders' calendar for readers: a week per page, for all leaders or one
(`/<lang>/calendar/?week=2026-W49&leader=3`), its print layout (`&print=1`), and
the same engagements as iCalendar (`/<lang>/calendar.ics`,
`/<lang>/calendar/leaders/<id>.ics`) for calendar programs to subscribe to.

Reads come from `queries`; weeks from `weeks`; the .ics bytes from `ics`. A bad
`week` or `leader` shows this week or every leader with a message saying so,
never an error page.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import unquote, urlencode, urlsplit

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import dateformat, timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from cangxanh.core import languages
from cangxanh.core.converters import MAX_ID
from cangxanh.core.site import absolute, site_identity, site_url
from cangxanh.core.text import shorten
from cangxanh.delivery.middleware import public_page
from cangxanh.news.models import ArticleTranslation, reverse_in

from . import queries
from .ics import IcsEvent, calendar_ics
from .models import KIND
from .weeks import MAX_YEAR, MIN_YEAR, Week, parse_week, week_range_label

PAGE_MAX_AGE = 300
FEED_MAX_AGE = 300
# What a subscribed calendar holds: from four weeks back to twenty-six ahead, counted
# in whole weeks so that the feed's bytes change only when its content does.
FEED_WEEKS_BACK = 4
FEED_WEEKS_AHEAD = 26

# A day's heading inside a week whose year the page already gives.
_DAY_FORMATS = {
    "vi": "l, d/m",
    "en": "l j F",
    "ko": "n월 j일 l",
    "ja": "n月j日（D）",
    "zh-hans": "n月j日 l",
}


def time_format(language: languages.Language) -> str:
    """The time-of-day part of a language's date-and-time format: "H:i", "g:i A"."""
    rest = language.datetime_format.removeprefix(language.date_format)
    return rest.strip(" ,-") or "H:i"


def _address(lang: str, *, week: Week | None = None, leader=None, print_view=False) -> str:
    query = {}
    if leader is not None:
        query["leader"] = leader.id
    if print_view:
        query["print"] = "1"
    if week is not None:
        query["week"] = week.label
    path = reverse_in(lang, "agenda:week")
    return f"{path}?{urlencode(sorted(query.items()))}" if query else path


def _quoted(raw: str) -> str:
    """What a reader typed, for a message: short, without control characters."""
    return shorten("".join(c for c in raw if c.isprintable()), 40, translation.get_language())


def _parse_leader(raw: str, people: list[queries.Leader]) -> queries.Leader | None:
    # ASCII digits, at most as many as MAX_ID has: int() of thousands of digits raises.
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(MAX_ID)):
        return None
    number = int(raw)
    if not 1 <= number <= MAX_ID:
        return None
    return next((person for person in people if person.id == number), None)


@dataclass
class Shown:
    """An engagement as one day of the page shows it."""

    entry: queries.Entry
    anchor: bool  # its first day on the page carries its id, for links to it
    whole_day: bool  # all day, or a middle day of a longer engagement
    continues: bool  # on the next day too ("from 08:30")
    start: datetime | None  # shown as "from" (or the start of a range)
    end: datetime | None  # shown as "until" (or the end of a range)
    start_label: str  # the times in the page's language: "08:30", "8:30 AM"
    end_label: str
    language_name: str  # of the texts shown, in the page's language ("" if the page's)
    bcp47: str
    first_day: str  # the day it began, for the days it continues on ("" on that day)


def _span(entry: queries.Entry) -> tuple[date, date]:
    """The first and last local days an engagement covers."""
    first = timezone.localtime(entry.starts_at).date()
    if entry.ends_at is None:
        return first, first
    ends = timezone.localtime(entry.ends_at)
    last = ends.date()
    if not entry.all_day and ends.time() == time.min and last > first:
        last -= timedelta(days=1)  # until midnight: the day before
    return first, max(first, last)


def _days(week: Week, found: list[queries.Entry], today: date, lang: str) -> list[dict]:
    language = languages.get(lang)
    day_format = _DAY_FORMATS.get(language.code, language.date_format)
    clock = time_format(language)

    def label(moment: datetime | None) -> str:
        return dateformat.format(timezone.localtime(moment), clock) if moment else ""

    spans = {entry.id: _span(entry) for entry in found}
    anchored: set[int] = set()
    names: dict[str, str] = {}
    days = []
    for day in week.days:
        items = []
        for entry in found:
            first, last = spans[entry.id]
            if not first <= day <= last:
                continue
            if entry.translated:
                name = ""
            else:
                name = names.setdefault(
                    entry.language,
                    translation.get_language_info(entry.language)["name_translated"],
                )
            whole_day = entry.all_day or first < day < last
            start = entry.starts_at if day == first and not whole_day else None
            end = entry.ends_at if day == last and not whole_day else None
            if end is not None and end == start:
                end = None
            items.append(
                Shown(
                    entry=entry,
                    anchor=entry.id not in anchored,
                    whole_day=whole_day,
                    continues=day < last,
                    start=start,
                    end=end,
                    start_label=label(start),
                    end_label=label(end),
                    language_name=name,
                    bcp47=languages.get(entry.language).bcp47,
                    first_day=dateformat.format(first, day_format) if day > first else "",
                )
            )
            anchored.add(entry.id)
        days.append(
            {
                "date": day,
                "label": dateformat.format(day, day_format),
                "is_today": day == today,
                "items": items,
            }
        )
    return days


@public_page(ttl=PAGE_MAX_AGE)
@require_safe
def week(request):
    lang = request.LANGUAGE_CODE
    this_week = Week.containing(timezone.localdate())
    problems = []

    raw_week = request.GET.get("week", "")
    asked = parse_week(raw_week) if raw_week else None
    if raw_week and asked is None:
        problems.append(
            _(
                "“%(value)s” is not a week of the calendar (write it like %(example)s): this week is shown."
            )
            % {"value": _quoted(raw_week), "example": this_week.label}
        )
    shown = asked or this_week

    people = queries.leaders(lang)
    raw_leader = request.GET.get("leader", "")
    leader = _parse_leader(raw_leader, people) if raw_leader else None
    if raw_leader and leader is None:
        problems.append(
            _(
                "There is no leader “%(value)s” in the calendar: every leader's engagements are shown."
            )
            % {"value": _quoted(raw_leader)}
        )

    start, end = shown.bounds()
    found = queries.entries(lang, start, end, leader=leader.id if leader else None)
    context = _week_context(
        request,
        shown=shown,
        asked=asked,
        found=found,
        people=people,
        leader=leader,
        problems=problems,
        print_view=request.GET.get("print") == "1",
    )
    return render(request, "agenda/week.html", context)


def _week_context(
    request, *, shown: Week, asked, found, people, leader, problems, print_view, preview=""
) -> dict:
    lang = request.LANGUAGE_CODE
    today = timezone.localdate()
    this_week = Week.containing(today)
    canonical = _address(lang, week=asked, leader=leader)
    previous = shown.previous if shown.previous.year >= MIN_YEAR else None
    following = shown.next if shown.next.year <= MAX_YEAR else None
    if leader is not None:
        heading = _("Work calendar of %(name)s") % {"name": leader.name}
        feed = reverse_in(lang, "agenda:leader-feed", person_id=leader.id)
    else:
        heading = _("Leaders' work calendar")
        feed = reverse_in(lang, "agenda:feed")
    return {
        "heading": heading,
        "week": shown,
        "week_range": week_range_label(shown, lang),
        "is_this_week": shown == this_week,
        "problems": problems,
        "days": _days(shown, found, today, lang),
        "leaders": [
            {
                "leader": person,
                "href": _address(lang, week=asked, leader=person),
                "current": leader is not None and person.id == leader.id,
            }
            for person in people
        ],
        "leader": leader,
        "all_leaders_href": _address(lang, week=asked),
        "previous_href": _address(lang, week=previous, leader=leader) if previous else "",
        "next_href": _address(lang, week=following, leader=leader) if following else "",
        "this_week_href": _address(lang, leader=leader),
        "feed_href": feed,
        "print_href": _address(lang, week=asked, leader=leader, print_view=True),
        "back_href": canonical,
        "print_view": print_view,
        "preview": preview,
        "printed_url": unquote(absolute(request, canonical)),
        "canonical": absolute(request, canonical),
        "noindex": print_view or bool(problems) or bool(preview),
        "page_alternates": [
            {
                "lang": other,
                "href": absolute(request, _address(other.code, week=asked, leader=leader)),
            }
            for other in languages.enabled()
        ],
        "switcher_targets": {
            code: _address(code, week=asked, leader=leader, print_view=print_view)
            for code in languages.codes()
        },
        # The menu marks its calendar link (chrome/menu.html).
        "active_section_slug": "calendar",
    }


def render_preview(request, article_obj, current, public, *, canonical, preview=True, extra=None):
    """The staff preview of a calendar entry (news.kinds `render`): its week with this
    engagement alone, in its working text, with the facts waiting for approval
    (`extra`) or else the live ones."""
    from .kind import EventKindFacts

    facts = extra if extra is not None else EventKindFacts().live(article_obj)
    found = queries.preview_entry(current, facts or {})
    if found is None:
        raise Http404
    shown = Week.containing(timezone.localtime(found.starts_at).date())
    banner = _(
        "Preview — status: %(status)s. Readers do not see this page until it is published."
    ) % {"status": current.get_status_display()}
    context = _week_context(
        request,
        shown=shown,
        asked=shown,
        found=[found],
        people=[],
        leader=None,
        problems=[],
        print_view=False,
        preview=banner,
    )
    return render(request, "agenda/week.html", context)


@require_safe
def entry(request, article_id: int):
    """`/<lang>/calendar/<id>/`: an engagement's lasting address (the .ics links to it,
    /a/<id>/ leads to it) answers with the week that holds it now; a new time moves it."""
    starts_at = (
        ArticleTranslation.objects.published()
        .of_kind(KIND)
        .filter(article_id=article_id, article__event_facts__isnull=False)
        .values_list("article__event_facts__starts_at", flat=True)
        .first()
    )
    if starts_at is None:
        raise Http404
    lang = request.LANGUAGE_CODE
    week = Week.containing(timezone.localtime(starts_at).date())
    return HttpResponseRedirect(f"{_address(lang, week=week)}#event-{article_id}")


def _feed_window() -> tuple[datetime, datetime]:
    monday = Week.containing(timezone.localdate()).monday
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(monday - timedelta(weeks=FEED_WEEKS_BACK), time.min, tzinfo=zone),
        datetime.combine(monday + timedelta(weeks=FEED_WEEKS_AHEAD + 1), time.min, tzinfo=zone),
    )


def _description(entry: queries.Entry) -> str:
    lines = []
    if entry.leaders:
        names = ", ".join(
            f"{person.name} ({person.position})" if person.position else person.name
            for person in entry.leaders
        )
        lines.append(_("Leaders: %(names)s") % {"names": names})
    if entry.attending:
        lines.append(entry.attending)
    if entry.host:
        lines.append(_("Host unit: %(name)s") % {"name": entry.host})
    return "\n".join(lines)


def _ics_event(request, entry: queries.Entry, lang: str) -> IcsEvent:
    return IcsEvent(
        id=entry.id,
        title=entry.title,
        location=entry.where,
        description=_description(entry),
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        all_day=entry.all_day,
        cancelled=entry.cancelled,
        sequence=entry.sequence,
        last_modified=entry.last_modified,
        url=absolute(request, reverse_in(lang, "agenda:entry", article_id=entry.id)),
        language="" if entry.translated else entry.language,
    )


@public_page(FEED_MAX_AGE, headers_from_view=True)
@require_safe
def feed(request, person_id: int | None = None):
    """The .ics of every leader's engagements, or of one leader's."""
    lang = request.LANGUAGE_CODE
    site = site_identity(lang)["name"]
    if person_id is None:
        name = pgettext("calendar name", "%(site)s: leaders' work calendar") % {"site": site}
    else:
        leader = next((p for p in queries.leaders(lang) if p.id == person_id), None)
        if leader is None:
            raise Http404
        name = pgettext("calendar name", "%(site)s: work calendar of %(name)s") % {
            "site": site,
            "name": leader.name,
        }
    found = queries.entries(lang, *_feed_window(), leader=person_id)
    body = calendar_ics(
        [_ics_event(request, entry, lang) for entry in found],
        name=name,
        host=urlsplit(site_url()).hostname or "localhost",
        lang=lang,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if found:
        newest = max(entry.last_modified for entry in found)
        response["Last-Modified"] = http_date(newest.timestamp())
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response

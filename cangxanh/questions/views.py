"""The public pages of questions and answers.

- `/<lang>/questions/ask/`: the form (name, e-mail, optional phone, topic,
  question, consent to the personal-data notice) behind the inbox's defences: a
  honeypot, a fill-time token, a proof of work solved by the browser
  (`/<lang>/questions/challenge/` serves the challenge), a limit per client, and
  the spam screen, which sets a message aside for a person (never refuses it).
  The answer shows the tracking code; the code and the tracking link are
  e-mailed (mail.py).
- `/<lang>/questions/track/`: code and e-mail, sent by POST and limited per
  client; one message for "no such question" and "another e-mail address", and
  a typo in the code is named as such without looking anything up.
- `/<lang>/questions/`: the published answers, searchable, by topic; and each
  answer at `/<lang>/questions/<slug>-<id>/`.

The form, the tracking page and the challenge are personal: `private, no-store`,
never the page cache. The answers are public pages like the news.
"""

import logging
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import unquote, urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from cangxanh.core import languages
from cangxanh.core.client import client_address
from cangxanh.core.site import absolute, site_identity
from cangxanh.core.templatetags.portal import body_html
from cangxanh.core.text import shorten
from cangxanh.delivery.middleware import public_page
from cangxanh.images.bodies import body_pictures
from cangxanh.inbox import defences, spam
from cangxanh.inbox.limits import limited
from cangxanh.inbox.models import State, client_hash
from cangxanh.news.models import ArticleTranslation, reverse_in
from cangxanh.news.views import iso, json_ld, not_translated, x_default_language

from . import clock, limits, mail, services
from .forms import AskForm, TrackForm
from .kind import answer_url
from .models import KIND, MailKind, Question, Topic, WorkCalendarDay

logger = logging.getLogger(__name__)

NO_STORE = "private, no-store"
PER_PAGE = 10
SEARCH_WINDOW = 1000  # search hits read when a topic narrows them down
DEFENCE = defences.FormDefence("question")
_TOPIC_KEY = re.compile(
    r"[-\w]{1,40}", re.ASCII
)  # a topic's key (a slug): nothing else is looked up

# What the asker is told about where their question stands.
PUBLIC_STATES = {
    State.QUARANTINED: (
        gettext_lazy("Received"),
        gettext_lazy("Your question has been received and will be read by a person."),
    ),
    State.RECEIVED: (
        gettext_lazy("Received"),
        gettext_lazy("Your question has been received and is waiting to be handled."),
    ),
    State.ASSIGNED: (
        gettext_lazy("Being answered"),
        gettext_lazy("An officer is preparing the answer to your question."),
    ),
    State.ANSWERED: (
        gettext_lazy("Answer being approved"),
        gettext_lazy("The answer has been written and is being approved."),
    ),
    State.PUBLISHED: (
        gettext_lazy("Answered and published"),
        gettext_lazy("The answer is published, without your personal data."),
    ),
    State.ANSWERED_PRIVATELY: (
        gettext_lazy("Answered by e-mail"),
        gettext_lazy("The answer was sent to your e-mail address and is not published."),
    ),
    State.REFUSED: (
        gettext_lazy("Closed without an answer"),
        gettext_lazy("Your question was closed without an answer, for this reason:"),
    ),
}


def _no_store(response):
    response["Cache-Control"] = NO_STORE
    return response


def limit_message(wait: float, what: str) -> str:
    """Why the form cannot be sent now, and for how long (the form keeps what was typed)."""
    minutes = max(1, math.ceil(wait / 60))
    if what == "ask":
        text = ngettext(
            "Several questions were sent from your connection in a short while. Please try "
            "again in %(minutes)s minute.",
            "Several questions were sent from your connection in a short while. Please try "
            "again in %(minutes)s minutes.",
            minutes,
        )
    else:
        text = ngettext(
            "Questions were looked up many times from your connection in a short while. "
            "Please try again in %(minutes)s minute.",
            "Questions were looked up many times from your connection in a short while. "
            "Please try again in %(minutes)s minutes.",
            minutes,
        )
    return text % {"minutes": minutes}


def consent_version(lang: str) -> str:
    """Which personal-data notice the asker was shown: the published translation of the
    agency's notice page in their language, and when it last changed."""
    row = (
        ArticleTranslation.objects.published()
        .in_language(lang)
        .filter(article__page_facts__key="privacy")
        .values_list("pk", "updated_at")
        .first()
    )
    if row is None:
        return "none"
    return f"{row[0]}@{timezone.localtime(row[1]):%Y%m%d%H%M%S}"


def _switcher(name: str) -> dict[str, str]:
    return {code: reverse_in(code, name) for code in languages.codes()}


# --- asking ---------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def ask(request):
    lang = request.LANGUAGE_CODE
    status = 200
    wait = None
    if request.method == "POST":
        form = AskForm(request.POST, lang=lang)
        if form.is_valid() and (wait := limits.ask_wait(request.META)) is not None:
            # Over the limit: the form comes back with what was typed, to send later.
            form.add_error(None, limit_message(wait, "ask"))
        elif form.is_valid():
            verdict = DEFENCE.check(request.POST)
            if verdict.drop:
                # Answered as if received; nothing is kept.
                logger.info("A question was dropped (%s).", verdict.drop_reason)
                return _no_store(render(request, "questions/sent.html", {"noindex": True}))
            if verdict.errors:
                for error in verdict.errors:
                    form.add_error(None, error)
            else:
                return _received(request, form.cleaned_data, verdict)
        status = 400
    else:
        form = AskForm(lang=lang)
    hidden = DEFENCE.hidden_values(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "token_field": defences.TOKEN_FIELD,
        "honeypot_field": defences.HONEYPOT_FIELD,
        "proof_field": defences.PROOF_FIELD,
        "token": hidden[defences.TOKEN_FIELD],
        "honeypot_label": defences.HONEYPOT_LABEL,
        "form_attrs": DEFENCE.form_attrs(reverse_in(lang, "questions:challenge")),
        "privacy_url": reverse_in(lang, "agency:privacy"),
        "switcher_targets": _switcher("questions:ask"),
        "noindex": request.method == "POST",
        "limited": wait is not None,
    }
    response = _no_store(render(request, "questions/ask.html", context, status=status))
    return limited(response, wait) if wait is not None else response


def _received(request, data: dict, verdict: defences.Verdict):
    lang = request.LANGUAGE_CODE
    # Screened as sent: what normalising strips (zero-width, bidi overrides) is a reason.
    screening = spam.screen(
        request.POST.get("text", ""), name=request.POST.get("name", ""), email=data["email"]
    )
    flags = screening.reasons + [
        r for r in verdict.quarantine_reasons if r not in screening.reasons
    ]
    question = services.question_receive(
        language=lang,
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        topic=data["topic"],
        text=data["text"],
        client=client_hash(client_address(request.META)),
        flags=flags,
        proof_ok=verdict.proof_ok,
        consent_version=consent_version(lang),
    )
    mailed = False
    if question.state == State.RECEIVED and limits.mail_allowed(question.email):
        mail.mail_queue(question, MailKind.RECEIVED)
        mailed = True
    clock_now = services.clock_of(question)
    return _no_store(
        render(
            request,
            "questions/sent.html",
            {
                "question": question,
                "clock": clock_now,
                "mailed": mailed,
                "set_aside": question.state == State.QUARANTINED,
                "track_url": reverse_in(lang, "questions:track")
                + "?"
                + urlencode({"code": question.code}),
                "noindex": True,
            },
        )
    )


# --- tracking ---------------------------------------------------------------------


@dataclass
class SkippedRun:
    """Days the clock skipped for one reason, one after the other (weekends between)."""

    first: date
    last: date
    label: str
    name: str  # the holiday's or the calendar entry's name ("" if none)

    @property
    def one_day(self) -> bool:
        return self.first == self.last


def skipped_runs(found: clock.Clock, notes: dict[date, str]) -> list[SkippedRun]:
    runs: list[SkippedRun] = []
    for skipped in found.skipped:
        name = skipped.name or (
            notes.get(skipped.day, "") if skipped.reason == clock.DAY_OFF else ""
        )
        label = str(skipped.label)
        if runs:
            last = runs[-1]
            between = [
                last.last + timedelta(days=n) for n in range(1, (skipped.day - last.last).days)
            ]
            if (last.label, last.name) == (label, name) and all(d.weekday() >= 5 for d in between):
                last.last = skipped.day
                continue
        runs.append(SkippedRun(skipped.day, skipped.day, label, name))
    return runs


def _lookup(parsed, email: str) -> Question | None:
    """The question with this code, if it was asked with this e-mail address; the same
    work (one read, one comparison) whether or not it exists."""
    question = Question.objects.filter(code=parsed.code).select_related("topic", "answer").first()
    stored = question.email if question is not None else "\0"
    same = constant_time_compare(stored.casefold(), email.strip().casefold())
    return question if same and question is not None else None


def _published_answer(question: Question, lang: str) -> ArticleTranslation | None:
    if question.answer_id is None or question.state != State.PUBLISHED:
        return None
    rows = {
        row.language: row
        for row in ArticleTranslation.objects.published()
        .filter(article_id=question.answer_id)
        .select_related("article")
    }
    return rows.get(lang) or rows.get(question.language) or next(iter(rows.values()), None)


def _tracked(question: Question, lang: str) -> dict:
    # The calendar and the question's events read once, for the clock, the closing
    # step and the days late alike.
    calendar = list(WorkCalendarDay.objects.values_list("date", "kind", "note"))
    days = {day: kind for day, kind, _note in calendar}
    notes = {day: note for day, kind, note in calendar if kind == "off"}
    prefetch_related_objects([question], "events")
    found = services.clock_of(question, days=days)
    label, explanation = PUBLIC_STATES[question.state]
    closed = question.state in (State.PUBLISHED, State.ANSWERED_PRIVATELY, State.REFUSED)
    # The step that closed it: an answer sent privately and published later was answered
    # when it was sent.
    closed_event = services.closing_event(question) if closed else None
    return {
        "question": question,
        "state_label": label,
        "state_explanation": explanation,
        "refusal": closed_event.comment if question.state == State.REFUSED and closed_event else "",
        "closed_at": closed_event.created_at if closed_event else None,
        "days_late": services.days_late(question, days=days) if closed else None,
        "clock": found,
        "closed": closed,
        "paused": found.state == "paused",
        "due_on": question.due_on if closed else found.due_on,
        "skipped": skipped_runs(found, notes),
        "answer": _published_answer(question, lang),
        "topic_name": question.topic.name(lang),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    lang = request.LANGUAGE_CODE
    status = 200
    result = None
    wait = None
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid() and (wait := limits.track_wait(request.META)) is not None:
            form.add_error(None, limit_message(wait, "track"))
        elif form.is_valid():
            question = _lookup(form.cleaned_data["code"], form.cleaned_data["email"])
            if question is None:
                form.add_error(
                    None,
                    _(
                        "We found no question with this tracking code and e-mail address. "
                        "Please check both: they must be as in the e-mail we sent you."
                    ),
                )
                status = 404
            else:
                result = _tracked(question, lang)
                form = TrackForm()  # for another question: nothing of this one kept
        else:
            status = 400
    else:
        code = request.GET.get("code", "")[:64]
        form = TrackForm(initial={"code": code} if code else None)
    response = _no_store(
        render(
            request,
            "questions/track.html",
            {
                "form": form,
                "result": result,
                "switcher_targets": _switcher("questions:track"),
                "ask_url": reverse_in(lang, "questions:ask"),
                "noindex": True,
            },
            status=status,
        )
    )
    return limited(response, wait) if wait is not None else response


# --- published answers -----------------------------------------------------------------


def _topics(lang: str) -> list[dict]:
    """The topics that have public answers in `lang`, with how many."""
    counts = dict(
        ArticleTranslation.objects.published()
        .in_language(lang)
        .of_kind(KIND)
        .filter(article__question__topic_id__isnull=False)
        .values_list("article__question__topic_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    topics = Topic.objects.filter(pk__in=counts).prefetch_related("names")
    return [
        {"key": topic.key, "id": topic.pk, "name": topic.name(lang), "count": counts[topic.pk]}
        for topic in topics
    ]


def _page(items, number):
    paginator = Paginator(items, PER_PAGE)
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


@public_page(ttl=300)
@require_safe
def answers(request):
    from cangxanh.search import engine
    from cangxanh.search import limits as search_limits
    from cangxanh.search.analyzer import parse_query
    from cangxanh.search.views import too_many as search_too_many

    lang = request.LANGUAGE_CODE
    topics = _topics(lang)
    key = request.GET.get("topic", "")
    topic = None
    if key and _TOPIC_KEY.fullmatch(key):
        # One of `topics`, read already; else a topic without answers in `lang`.
        topic = next((t for t in topics if t["key"] == key), None)
        found = None if topic else Topic.objects.filter(key=key).prefetch_related("names").first()
        if found is not None:
            topic = {"key": found.key, "id": found.pk, "name": found.name(lang)}
    unknown_topic = bool(key) and topic is None
    query = parse_query(request.GET.get("q", ""))
    hits = None
    if not query.empty:
        wait = search_limits.wait(request.META)
        if wait is not None:
            return search_too_many(request, wait)
        filters = engine.Filters(language=lang, kind=KIND)
        if topic is None:
            results = engine.search(query, filters, page=request.GET.get("page"), per_page=PER_PAGE)
            page = results.page
        else:
            results = engine.search(query, filters, page=1, per_page=SEARCH_WINDOW)
            ids = [hit.id for hit in results.page or []]
            within = set(
                ArticleTranslation.objects.filter(
                    pk__in=ids, article__question__topic_id=topic["id"]
                ).values_list("pk", flat=True)
            )
            page = _page(
                [hit for hit in results.page or [] if hit.id in within], request.GET.get("page")
            )
        hits = page
    else:
        rows = (
            ArticleTranslation.objects.published()
            .in_language(lang)
            .of_kind(KIND)
            .select_related("article__question__topic")
            .prefetch_related("article__question__topic__names")
            .newest_first()
        )
        if topic is not None:
            rows = rows.filter(article__question__topic_id=topic["id"])
        page = _page(rows, request.GET.get("page"))
        for row in page:
            question = getattr(row.article, "question", None)
            row.topic_name = question.topic.name(lang) if question is not None else ""
    params = {k: v for k, v in (("q", query.text), ("topic", topic["key"] if topic else "")) if v}
    path = reverse_in(lang, "questions:answers")
    return render(
        request,
        "questions/answers.html",
        {
            "page": page,
            "hits": hits,
            "query": query,
            "topics": topics,
            "topic": topic,
            "unknown_topic": unknown_topic,
            "query_string": urlencode(params),
            "canonical": absolute(request, path),
            "switcher_targets": {
                code: reverse_in(code, "questions:answers")
                + (f"?{urlencode(params)}" if params else "")
                for code in languages.codes()
            },
            "ask_url": reverse_in(lang, "questions:ask"),
            "track_url": reverse_in(lang, "questions:track"),
            "noindex": bool(params) or page.number > 1,
        },
    )


@public_page(ttl=300)
@require_safe
def answer(request, slug: str, article_id: int):
    rows = list(
        ArticleTranslation.objects.published()
        .of_kind(KIND)
        .filter(article_id=article_id)
        .select_related("article")
    )
    if not rows:
        raise Http404
    article = rows[0].article
    public = {}
    for row in rows:
        row.article = article
        public[row.language] = row
    current = public.get(request.LANGUAGE_CODE)
    if current is None:
        return not_translated(request, article, public)
    canonical = answer_url(current)
    if unquote(canonical) != request.path:
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    return render_answer(request, article, current, public, canonical=canonical)


def render_answer(request, article, current, public, *, canonical: str, preview: bool = False):
    lang = current.language
    switcher, alternates = {}, []
    for code in languages.codes():
        if code in public:
            url = answer_url(public[code])
            switcher[code] = url
            alternates.append({"lang": languages.get(code), "href": absolute(request, url)})
    url = absolute(request, canonical)
    x_default = switcher.get(x_default_language(article.original_language, switcher))
    question = Question.objects.filter(answer_id=article.pk).select_related("topic").first()
    topic_name = question.topic.name(lang) if question is not None else ""
    asked_at = question.created_at if question is not None else None
    site = site_identity(lang)
    answer_text = " ".join(strip_tags(current.body).split())
    ld = {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "url": url,
        "inLanguage": languages.get(lang).bcp47,
        "mainEntity": {
            "@type": "Question",
            "name": current.title,
            "text": current.lead,
            "answerCount": 1,
            "acceptedAnswer": {
                "@type": "Answer",
                "text": answer_text,
                "url": url,
                "author": {
                    "@type": "GovernmentOrganization",
                    "name": site["publisher"] or site["name"],
                },
            },
        },
    }
    if asked_at is not None:
        # The day only: the minute a stranger wrote is of no use to readers and helps
        # whoever knows when someone sent a question to tell who asked.
        ld["mainEntity"]["dateCreated"] = timezone.localtime(asked_at).date().isoformat()
    if current.published_at:
        ld["mainEntity"]["acceptedAnswer"]["datePublished"] = iso(current.published_at)
    pictures = body_pictures(current.body, lang)
    return render(
        request,
        "questions/answer.html",
        {
            "row": current,
            "body": mark_safe(body_html(current.body, pictures)),
            "topic_name": topic_name,
            "asked_at": asked_at,
            "canonical": url,
            "page_alternates": alternates,
            "x_default": absolute(request, x_default) if x_default else url,
            "switcher_targets": switcher,
            "article_id": article.pk,
            "list_url": reverse_in(lang, "questions:answers"),
            "ask_url": reverse_in(lang, "questions:ask"),
            "description": shorten(current.lead or answer_text, 300, lang),
            "publisher": site["publisher"] or site["name"],
            "published_iso": iso(current.published_at),
            "json_ld": json_ld(ld),
            "preview": preview,
            "noindex": preview,
        },
    )


def render_preview(
    request, article, current, public, *, canonical, preview=True, extra=None, **kwargs
):
    """The staff preview (editorial.views.preview) of an answer's translation."""
    return render_answer(request, article, current, public, canonical=canonical, preview=True)

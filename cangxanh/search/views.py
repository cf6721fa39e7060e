"""The search page: `/<lang>/search/?q=…`, thin over `engine.search`.

Any query string gets a page: the text is cleaned by the analyzer, each bad
filter is named in a message and left out, a page past the end shows the last
one. Results are never indexed by search engines (noindex). A client over
SEARCH_RATE gets 429 (search.limits).
"""

import math

from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from cangxanh.core import languages
from cangxanh.delivery.middleware import public_page
from cangxanh.news.models import Section

from . import engine, limits
from .analyzer import QUOTE_CHARS, parse_query
from .forms import ALL_LANGUAGES, SearchFilters

# Filter parameters carried over by the language switcher, pagination and suggestions.
FILTER_PARAMS = ("kind", "section", "date_from", "date_to", "lang")


def _filters(form: SearchFilters, lang: str) -> engine.Filters:
    section_id = form.value("section")
    return engine.Filters(
        language=None if form.value("lang") == ALL_LANGUAGES else lang,
        section=Section.objects.filter(pk=section_id).first() if section_id else None,
        kind=form.value("kind") or None,
        date_from=form.value("date_from"),
        date_to=form.value("date_to"),
    )


def _switcher(request) -> dict[str, str]:
    """The same search in every language (the query string is kept)."""
    query = request.GET.urlencode()
    targets = {}
    for lang in languages.codes():
        with translation.override(lang):
            targets[lang] = reverse("search:search") + (f"?{query}" if query else "")
    return targets


def too_many(request, wait: float):
    """429 in the reader's language, never stored: the page cache keeps only 200s,
    and the header keeps shared caches from keeping it either."""
    response = render(
        request,
        "search/limited.html",
        {"minutes": max(1, math.ceil(wait / 60)), "noindex": True},
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil(wait)))
    response["Cache-Control"] = "private, no-store"
    return response


@public_page(ttl=300)
@require_safe
def search(request):
    wait = limits.wait(request.META)
    if wait is not None:
        return too_many(request, wait)
    lang = request.LANGUAGE_CODE
    form = SearchFilters(request.GET, lang=lang)
    form.is_valid()
    query = parse_query(request.GET.get("q", ""))
    filters = _filters(form, lang)
    results = engine.search(
        query,
        filters,
        page=request.GET.get("page"),
        apart=request.GET.get("apart") == "1",
    )
    unquoted = None
    if any(unit.quoted for unit in query.units):
        unquoted = "".join(c for c in query.text if c not in QUOTE_CHARS).strip()
    # Shown inside the page's own quotes: a query that is one quoted phrase loses its own.
    shown = query.text
    if len(shown) > 1 and shown[0] in QUOTE_CHARS and shown[-1] in QUOTE_CHARS:
        shown = shown[1:-1].strip() or shown
    filtered = any(request.GET.get(name) for name in ("kind", "section", "date_from", "date_to"))
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "shown_query": shown,
            "results": results,
            "filtered": filtered,
            "unquoted": unquoted,
            "all_languages": filters.language is None,
            "language_name": languages.get(lang).native_name,
            "noindex": True,
            "switcher_targets": _switcher(request),
        },
    )

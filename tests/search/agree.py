"""The bench's query mix on a small fixed archive, for tests/search/test_backends_agree.py.

`build()` makes the archive with bench/search_corpus.py from a fixed seed and a
fixed clock, so every database gets the same words, times and statuses, and
indexes it; `answers()` runs bench/search_bench.py's QUERIES through
`engine.search` and returns, per query, what a reader sees: the mode, the
count, the "more" flags, every result in order and the page the bench asks
for, each translation named by its article's number and language (the ids
differ between databases).

Run as a module (`python -m tests.search.agree OUT.json`) it does all of this
on the database its environment names, migrated first: the other backend's
answer, made in its own process.
"""

import importlib.util
import json
import os
import random
import sys
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 240  # five translations each
LIMIT = 40  # engine.LIMIT while answering: most queries have more matches than this
SEED = 20240607
NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)  # the archive's clock: everything is past


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build() -> None:
    from cangxanh.news.models import Article, ArticleTranslation, Section, SectionTranslation
    from cangxanh.search.index import index_rebuild

    corpus = _bench("search_corpus")
    rng = random.Random(SEED)
    sections = []
    for number in range(3):
        section = Section.objects.create(key=f"agree-{number}", position=number)
        SectionTranslation.objects.bulk_create(
            SectionTranslation(
                section=section, language=lang, name=f"{lang} {number}", slug=f"agree-{number}"
            )
            for lang in corpus.LANGUAGES
        )
        sections.append(section)
    for number in range(ARTICLES):
        article = Article.objects.create(
            section=sections[rng.randrange(len(sections))], original_language="vi"
        )
        when = corpus.published_at(rng, NOW)
        rows = []
        for lang in corpus.LANGUAGES:
            title, lead, body = corpus.translation_text(lang, rng)
            state = corpus.status(rng)
            rows.append(
                ArticleTranslation(
                    article=article,
                    language=lang,
                    title=title,
                    slug=f"agree-{number}-{lang}",
                    lead=lead,
                    body=body,
                    status=state,
                    published_at=when if state != "draft" else None,
                )
            )
        ArticleTranslation.objects.bulk_create(rows)
    index_rebuild()


def answers() -> dict:
    """Per bench query: what the search page shows, with engine.LIMIT at LIMIT."""
    from cangxanh.news.models import ArticleTranslation, Section
    from cangxanh.search import engine
    from cangxanh.search.analyzer import parse_query

    assert engine.LIMIT == LIMIT, engine.LIMIT
    names = dict(ArticleTranslation.objects.values_list("pk", "slug"))
    section = Section.objects.get(key="agree-0")
    found = {}
    for name, q, lang, options, page, apart in _bench("search_bench").QUERIES:
        filters = engine.Filters(
            language=lang,
            section=section if "section" in options else None,
            date_from=date(2018, 1, 1) if options.get("dates") else None,
            date_to=date(2022, 12, 31) if options.get("dates") else None,
        )
        every = engine.search(parse_query(q), filters, page=1, apart=apart, per_page=LIMIT)
        shown = engine.search(parse_query(q), filters, page=page, apart=apart)
        found[name] = {
            "mode": every.mode,
            "total": every.total,
            "more": every.more,
            "apart_more": every.apart_more,
            "results": [names[hit.id] for hit in every.hits],
            "page": [names[hit.id] for hit in shown.hits],
        }
    return found


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cangxanh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from cangxanh.search import engine

    call_command("migrate", verbosity=0)
    engine.LIMIT = LIMIT
    build()
    Path(sys.argv[1]).write_text(json.dumps(answers(), ensure_ascii=False))

"""The multilingual query set over the corpus, through `engine.search` and the real index.

CI runs this file on SQLite and again on PostgreSQL: the same expectations on
both is the proof that both backends give the same results.
"""

from datetime import date

import pytest
from django.db import connection

from cangxanh.search import engine
from cangxanh.search.analyzer import parse_query

from .conftest import statements

pytestmark = pytest.mark.django_db


def test_the_backend_is_the_database_s_own(corpus):
    from cangxanh.search.backends import backend

    assert type(backend()).__name__.lower().startswith(connection.vendor)


@pytest.mark.parametrize(
    ("q", "lang", "expected"),
    [
        # The competitor's failures: unaccented queries find the accented words.
        ("da nang", "vi", ["vi-danang"]),
        ("can tho", "vi", ["vi-cantho"]),
        ("van tai bien", "vi", ["vi-danang"]),
        ("Đà Nẵng", "vi", ["vi-danang"]),
        ("CẦN THƠ", "vi", ["vi-cantho"]),
        # All languages: the English article writes Can Tho without accents.
        ("can tho", None, ["vi-cantho", "en-cities"]),
        # Chinese and Japanese city names as words inside longer runs.
        ("海防", "zh-hans", ["zh-haiphong"]),
        ("釜山", "zh-hans", ["zh-haiphong"]),
        ("北九州", "zh-hans", ["zh-haiphong"]),
        ("海防", "ja", ["ja-kitakyushu"]),
        ("釜山", "ja", ["ja-kitakyushu"]),
        ("北九州", "ja", ["ja-kitakyushu"]),
        ("ハイフォン", "ja", ["ja-kitakyushu"]),
        # One character: 港 ends 釜山港 and starts 港口.
        ("港", "zh-hans", ["zh-haiphong"]),
        # Korean: the name with its particles attached (하이퐁시의, 하이퐁과).
        ("하이퐁", "ko", ["ko-haiphong"]),
        ("부산", "ko", ["ko-haiphong"]),
        # English plurals.
        ("port", "en", ["en-haiphong"]),
        ("pilot", "en", ["en-haiphong"]),
        # Nothing of the kind.
        ("Incheon", "vi", []),
        ("北京", "zh-hans", []),
    ],
)
def test_query_set(find, q, lang, expected):
    assert find(q, lang) == expected


def test_stemming_finds_city_and_cities_and_ranks_the_title_first(find):
    # Both say "cities"; only en-cities has it in its title.
    assert find("city", "en") == ["en-cities", "en-haiphong"]


def test_hai_phong_needs_the_words_together_when_an_article_has_them(find, corpus):
    results = engine.search(parse_query("hai phong"), engine.Filters(language="vi"))
    assert results.mode == "together"
    # "hàng hải … phóng viên" is not Hải Phòng: left out, but counted and offered.
    assert "vi-hanghai" not in find("hai phong", "vi")
    assert set(find("hai phong", "vi")) == {"vi-haiphong", "vi-unaccented"}
    assert results.total == 2 and results.apart_more


def test_the_words_apart_on_request_rank_below_the_words_together(find):
    assert find("hai phong", "vi", apart=True) == ["vi-unaccented", "vi-haiphong", "vi-hanghai"]


def test_vietnamese_words_apart_are_only_offered_when_no_article_has_them_together(find, corpus):
    # Syllables apart are other words in Vietnamese: nothing shown, the rest offered.
    results = engine.search(parse_query("triển lãm thủy thủ"), engine.Filters(language="vi"))
    assert results.mode == "scattered"
    assert results.total == 0 and results.apart_more
    assert find("triển lãm thủy thủ", "vi", apart=True) == ["vi-hanghai"]
    assert find("triển lãm thủy thủ", None) == []


def test_in_other_languages_the_words_apart_are_shown_when_none_has_them_together(corpus):
    results = engine.search(parse_query("cities busan"), engine.Filters(language="en"))
    assert results.mode == "scattered"
    assert results.total >= 1


def test_accents_in_the_query_rank_the_exact_form_first(find):
    # Without accents the title decides: the reader's letter has "hai phong" in its title.
    assert find("hai phong", "vi") == ["vi-unaccented", "vi-haiphong"]
    # With them, the article that writes "Hải Phòng" comes first.
    assert find("Hải Phòng", "vi") == ["vi-haiphong", "vi-unaccented"]
    # Only the accented words count: "Hai Phòng" is still exact on "Phòng".
    assert find("hai Phòng", "vi") == ["vi-haiphong", "vi-unaccented"]


def test_accents_rank_the_exact_form_first_across_languages(find):
    # The English article writes "Hai Phong" in its title, the Vietnamese one "Hải Phòng".
    found = find("Hải Phòng", None)
    assert found[0] == "vi-haiphong"
    # Across languages a name finds the names of the languages that write it (those
    # writing "Hai Phong"), not every language's (search/synonyms.py).
    assert set(found) == {"vi-haiphong", "vi-unaccented", "en-haiphong"}
    assert find("hai phong", None)[-1] == "vi-haiphong"  # no title, no accent boost


def test_quoted_phrases_match_exactly(find):
    assert find('"Hải Phòng"', "vi") == ["vi-haiphong"]
    assert find('"hai phong"', "vi") == ["vi-unaccented", "vi-haiphong"]
    assert find('"phóng viên ảnh"', "vi") == ["vi-hanghai"]
    assert find('"viên phóng"', "vi") == []
    assert find('"biển xanh" Busan', "vi") == ["vi-haiphong"]
    assert find('"海防市"', "zh-hans") == ["zh-haiphong"]
    assert find('"海防市"', "ja") == []


def test_adjacent_words_rank_above_scattered_ones(find):
    # vi-phrase has "du lịch biển" together; vi-danang has du… no: only biển and tàu.
    assert find("du lịch biển", "vi") == ["vi-phrase"]
    assert find("biển du lịch", "vi", apart=True)[0] == "vi-phrase"


def test_filters_section_dates_and_language(find, sections):
    assert set(find("busan", None)) == {
        "vi-haiphong",
        "en-haiphong",
    }
    assert find("busan", "en") == ["en-haiphong"]
    assert find("cang", "vi", section=sections["culture"]) == ["vi-unaccented"]
    assert find("cang", "vi", section=sections["ports"]) == ["vi-danang", "vi-haiphong"]
    # Dates are local days, both ends included.
    assert find("cang", "vi", date_from=date(2024, 1, 20), date_to=date(2024, 1, 20)) == [
        "vi-haiphong"
    ]
    assert find("cang", "vi", date_from=date(2024, 3, 6)) == ["vi-unaccented"]
    assert find("cang", "vi", date_to=date(2023, 12, 31)) == []


def test_a_section_s_filter_finds_its_subsections_articles_in_a_language_and_a_span(
    find, corpus, sections
):
    # On PostgreSQL a scope of one language and one section names the slices of that
    # section (w<n>_vi_s<section>, its parent's too): a subsection's article is found
    # under its parent, in its language only, within the dates.
    from cangxanh.news.models import Article, ArticleTranslation, Section, Status
    from cangxanh.search.index import entry_update

    from .conftest import publish_time

    harbour = Section.objects.create(key="harbour", position=9, parent=sections["ports"])
    article = Article.objects.create(section=harbour, original_language="vi")
    for lang, title in (("vi", "Cảng Lạch Huyện mở bến mới"), ("en", "New berth at the port")):
        row = ArticleTranslation.objects.create(
            article=article,
            language=lang,
            title=title,
            status=Status.PUBLISHED,
            published_at=publish_time("2024-02-10"),
        )
        corpus[f"{lang}-harbour"] = row
        entry_update(row)
    ports = sections["ports"]
    assert find("cang", "vi", section=ports) == ["vi-harbour", "vi-danang", "vi-haiphong"]
    assert find("cang", "vi", section=harbour) == ["vi-harbour"]
    assert find("port", "en", section=ports) == ["en-harbour", "en-haiphong"]
    assert find("port", "en", section=harbour) == ["en-harbour"]
    spans = {"date_from": date(2024, 2, 1), "date_to": date(2024, 2, 29)}
    with statements() as sent:
        assert find("cang", "vi", section=ports, **spans) == ["vi-harbour"]
    if connection.vendor == "postgresql":
        assert any(f"_vi_s{ports.pk}'" in params for _sql, params in sent)
    assert find("cang", "vi", section=sections["culture"], **spans) == []


def test_rows_changed_behind_the_index_s_back_are_never_shown(find, corpus):
    from datetime import timedelta

    from django.utils import timezone

    from cangxanh.news.models import ArticleTranslation, Status

    vi = corpus["vi-danang"]
    # Written directly, not through the workflow: the index still has the entry,
    # but the page's rows are read through published().
    ArticleTranslation.objects.filter(pk=vi.pk).update(
        published_at=timezone.now() + timedelta(days=1)
    )
    assert find("da nang", "vi") == []
    ArticleTranslation.objects.filter(pk=vi.pk).update(
        status=Status.DRAFT, published_at=timezone.now() - timedelta(days=1)
    )
    assert find("da nang", "vi") == []


def test_the_results_count_and_pages(find, corpus):
    results = engine.search(parse_query("cang"), engine.Filters(language="vi"), per_page=2)
    assert results.total == 3
    assert results.page.paginator.num_pages == 2
    second = engine.search(parse_query("cang"), engine.Filters(language="vi"), per_page=2, page="2")
    first_keys = [h.id for h in results.hits]
    second_keys = [h.id for h in second.hits]
    assert len(first_keys) == 2 and len(second_keys) == 1
    assert not set(first_keys) & set(second_keys)
    beyond = engine.search(
        parse_query("cang"), engine.Filters(language="vi"), per_page=2, page="99"
    )
    assert beyond.page.number == 2 and beyond.page_requested == 99


def test_beyond_the_limit_the_newest_are_the_results_ranked_among_themselves(
    find, corpus, monkeypatch
):
    # "cang" is in three Vietnamese articles: vi-unaccented (May), vi-danang (March),
    # vi-haiphong (January). With room for two, the two newest are the results, and
    # among them the title decides (vi-danang has "cảng" in its title).
    monkeypatch.setattr(engine, "LIMIT", 2)
    results = engine.search(parse_query("cang"), engine.Filters(language="vi"))
    assert results.total == 2 and results.more
    assert find("cang", "vi") == ["vi-danang", "vi-unaccented"]
    monkeypatch.setattr(engine, "LIMIT", 3)
    results = engine.search(parse_query("cang"), engine.Filters(language="vi"))
    assert results.total == 3 and not results.more
    everything = find("cang", "vi")
    assert everything[0] == "vi-danang"
    assert set(everything) == {"vi-danang", "vi-haiphong", "vi-unaccented"}


@pytest.mark.parametrize(
    ("q", "has", "decoy"),
    [
        # Every word, but not in that order: on PostgreSQL the GIN index cannot tell.
        (
            '"năng lượng tái tạo"',
            "Điện gió là năng lượng tái tạo của thành phố.",
            "Năng lượng mặt trời giúp tái tạo rừng ngập mặn.",
        ),
        # Both pairs of the three words side by side (tàu cao, cao tốc), never all three.
        (
            "tau cao toc",
            "Tàu cao tốc ra đảo Cát Bà chạy mỗi giờ.",
            "Con tàu cao nhất cập cảng gần đường cao tốc.",
        ),
    ],
)
def test_rows_with_the_words_out_of_order_take_no_place_in_the_limit(
    corpus, sections, monkeypatch, q, has, decoy
):
    from cangxanh.news.models import Article, ArticleTranslation, Status
    from cangxanh.search.index import index_rebuild

    from .conftest import publish_time

    made = {}
    for name, body, day in [
        ("has", has, "2024-03-01"),
        ("decoy-1", decoy, "2024-06-01"),
        ("decoy-2", decoy, "2024-06-02"),
    ]:
        article = Article.objects.create(section=sections["ports"], original_language="vi")
        made[name] = ArticleTranslation.objects.create(
            article=article,
            language="vi",
            title=f"Tin số {name}",
            lead="Bản tin của văn phòng.",
            body=f"<p>{body}</p>",
            status=Status.PUBLISHED,
            published_at=publish_time(day),
        ).pk
    index_rebuild()
    for limit in (1, 2, 3):
        monkeypatch.setattr(engine, "LIMIT", limit)
        results = engine.search(parse_query(q), engine.Filters(language="vi"))
        assert [hit.id for hit in results.hits] == [made["has"]], limit
        assert results.total == 1 and not results.more


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_words_apart_question_rides_with_the_hits(corpus, monkeypatch):
    # One hit a page: the keys score it, so the question waits for the hits' message
    # and goes after them, its planner settings just before it (for the rest of that
    # message only): the same answer and hits as asked on its own.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    from cangxanh.search import backends
    from cangxanh.search.backends import SETTINGS

    def search():
        with statements() as sent:
            results = engine.search(
                parse_query("hai phong"), engine.Filters(language="vi"), per_page=1
            )
        return results, [sql for sql, _params in sent]

    assert not connection.in_atomic_block
    search()  # the section index and the like, read once
    carried, sent = search()
    assert carried.mode == "together" and carried.apart_more and carried.hits
    (message,) = [sql for sql in sent if "EXISTS" in sql]
    hits, settings, question = (
        message.index("news_articletranslation"),
        message.index(SETTINGS),
        message.index("EXISTS"),
    )
    assert hits < settings < question and message.startswith("SELECT")
    assert not any("ts_rank_cd" in sql and "ANY(%s::bigint[])" in sql for sql in sent)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    # None handed over: the question asked on its own, after the hits.
    monkeypatch.setattr(backends.PostgreSQLBackend, "waiting", backends.SQLiteBackend.waiting)
    alone, sent_alone = search()
    assert [h.id for h in alone.hits] == [h.id for h in carried.hits]
    assert alone.apart_more == carried.apart_more and len(sent_alone) == len(sent) + 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_each_postgresql_statement_carries_its_planner_settings(corpus):
    # The search page reads in autocommit: no BEGIN, no ROLLBACK, the settings sent
    # with each statement and gone after it, the same results.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    from cangxanh.search.backends import SETTINGS

    from .conftest import keys

    assert not connection.in_atomic_block
    with statements() as sent:
        results = engine.search(parse_query("hai phong"), engine.Filters(language="vi"))
        found = keys(results, corpus)
    assert results.mode == "together" and results.apart_more
    assert set(found) == {"vi-haiphong", "vi-unaccented"}
    searches = [sql for sql, _params in sent if "search_searchentry" in sql]
    assert searches and all(sql.startswith(SETTINGS + ";") for sql in searches)
    assert not any("SAVEPOINT" in sql for sql in sent)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def test_postgresql_looks_first_where_the_same_search_last_filled_its_limit(corpus):
    # A search asked again (its next page, a popular query) starts with the window
    # in which it last found its newest matches: one statement instead of two, the
    # same keys; and a hint the archive has outgrown still finds every match.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's windows of time slices")
    from cangxanh.search import backends

    backends._SPAN_HINTS.clear()
    where = engine.scope(engine.Filters(language="vi"))
    plan = engine.plan(parse_query("cang"), together=False, lang="vi")

    def keys_and_statements(limit):
        with statements() as sent:
            found = backends.backend().keys(where, plan, limit)  # a new backend: a new search
        return found, len([sql for sql, _params in sent if "search_searchentry" in sql])

    first, sent_first = keys_and_statements(2)
    again, sent_again = keys_and_statements(2)
    assert len(first) == 2 and again == first
    assert sent_first >= 2 and sent_again == 1
    assert keys_and_statements(3)[0][:2] == first  # another limit: its own hint


def test_postgresql_reads_each_name_of_an_either_in_its_own_statement(corpus, monkeypatch):
    # A plan with one of several names (an Either, as the city's names make): one
    # SELECT per name, merged (UNION), finds what the one statement with OR found,
    # with the same tiers, newest first, and the newest of all names within a limit.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statements")
    from cangxanh.search import backends
    from cangxanh.search.backends import Either, Match

    where = engine.scope(engine.Filters())
    # 海防: the Chinese and Japanese articles; cang: three Vietnamese ones.
    plan = (Either((Match("folded", ("海防",)), Match("folded", ("cang",)))),)
    order = [(Match("title", ("cang",)),)]
    assert len(backends.PostgreSQLBackend._branches(plan)) == 2

    def read(limit):
        reader = backends.backend()
        with statements() as sent:
            found = reader.keys(where, plan, limit, order)
        return found, reader._flags[2], [sql for sql, _params in sent]

    backends._SPAN_HINTS.clear()
    merged, merged_tiers, sent = read(10)
    assert any(" UNION " in sql for sql in sent)
    monkeypatch.setattr(backends, "MAX_BRANCHES", 1)  # the one statement, with OR
    backends._SPAN_HINTS.clear()
    single, single_tiers, sent = read(10)
    assert not any(" UNION " in sql for sql in sent)
    assert len(merged) == 5 and merged == single and merged == sorted(merged, reverse=True)
    assert merged_tiers == single_tiers and sum(t[0] for t in merged_tiers.values()) == 1
    monkeypatch.setattr(backends, "MAX_BRANCHES", 8)
    backends._SPAN_HINTS.clear()
    assert read(3)[0] == merged[:3]  # the newest of both names, not the first name's


def test_postgresql_scores_no_name_of_an_either_that_no_found_row_has(corpus):
    # A name no found row has counts 0 in every row: its ts_rank_cd is left out of the
    # scores' statement, and the scores are the same doubles as with it.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statements")
    from cangxanh.search import backends
    from cangxanh.search.backends import Either, Match

    where = engine.scope(engine.Filters())
    plan = (Either((Match("folded", ("海防",)), Match("folded", ("zeppelin",)))),)
    reader = backends.backend()
    keys = reader.keys(where, plan, 100, [])
    assert keys

    def scores():
        with statements() as sent, reader._cursor() as cursor:
            return reader._scores(cursor, plan, keys), sent[-1][1]

    skipped, params = scores()
    assert "'zeppelin'" not in params and "'海防'" in params
    reader._names = None  # as if keys() had not said which names it found
    every, params = scores()
    assert "'zeppelin'" in params
    assert skipped == every and len(every) == len(keys)
    assert all(score > 0 for _key, score in every)


@pytest.mark.parametrize("q", ["hai phong", "da nang", "cảng biển", "van tai bien"])
def test_postgresql_asks_about_the_words_apart_in_the_page_s_next_message(corpus, q, monkeypatch):
    # The words-apart question (`others`) waits for the page's next statement and goes
    # in its message: one round trip less, and the same answer as asked on its own.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statements")
    from cangxanh.search import backends

    def search():
        with statements() as sent:
            results = engine.search(parse_query(q), engine.Filters(language="vi"))
        return results, [sql for sql, _params in sent]

    later, sent_later = search()
    # Asked on its own, at once, as SQLite does.
    monkeypatch.setattr(
        backends.PostgreSQLBackend, "others_later", backends.SQLiteBackend.others_later
    )
    now, sent_now = search()
    assert later.mode == now.mode == "together"
    assert later.apart_more == now.apart_more
    assert [h.id for h in later.hits] == [h.id for h in now.hits]
    assert len(sent_later) == len(sent_now) - 1
    exists = [sql for sql in sent_later if "EXISTS" in sql]
    # With the page's scoring when there is one, else with its hits.
    assert len(exists) == 1 and ("ts_rank_cd" in exists[0] or "news_article" in exists[0])
    # hai … phong and cảng … biển stand apart in some articles, the others nowhere.
    assert later.apart_more == (q in ("hai phong", "cảng biển"))


@pytest.mark.parametrize(
    "q, lang",
    [
        ("cang", "vi"),  # one word: no idf
        ("lach huyen", "vi"),  # the words together (pairs)
        ('"Lạch Huyện" cảng', "vi"),  # a phrase as written and a word: two idfs
        ("港", "zh-hans"),  # a character alone, and among the words
    ],
)
def test_postgresql_scores_the_first_tier_with_the_keys(corpus, q, lang, monkeypatch):
    # The keys' statements bring what bm25 needs of their first tier's rows (every tier
    # true): when that tier fills the page, no scoring statement follows, and the
    # scores are the very doubles `_scores` computes, the page the same.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statements")
    from cangxanh.search import backends

    query, filters = parse_query(q), engine.Filters(language=lang)

    def search(per_page=1):  # one hit a page: the first tier fills it on this small corpus
        backends._SPAN_HINTS.clear()
        with statements() as sent:
            results = engine.search(query, filters, per_page=per_page)
        return [h.id for h in results.hits], [sql for sql, _params in sent]

    search()  # the phrases' document frequencies, counted once per index generation
    scored, sent = search()
    # Ten a page: the first tier's scores from the keys, the next tiers' read, merged.
    ten, _sent = search(10)
    keys = backends.PostgreSQLBackend.keys

    def unscored(self, *args, scores=False, **kwargs):
        return keys(self, *args, **kwargs)

    monkeypatch.setattr(backends.PostgreSQLBackend, "keys", unscored)
    apart, sent_apart = search()
    assert scored == apart and scored
    assert ten == search(10)[0] and ten[:1] == scored
    assert not [sql for sql in sent if "ANY(%s::bigint[])" in sql and "ts_rank_cd" in sql]
    assert [sql for sql in sent_apart if "ANY(%s::bigint[])" in sql and "ts_rank_cd" in sql]
    assert len(sent) == len(sent_apart) - 1
    assert not any(sql.strip().endswith("FROM search_totals") for sql in sent)
    # The same doubles, row by row.
    plan = engine.plan(query, together=query.run is not None, lang=lang)
    tiers = engine.tiers(query, together=query.run is not None, lang=lang)
    reader = backends.backend()
    found = keys(reader, engine.scope(filters), plan, 1001, tiers, scores=True)
    known = reader._known[2]
    assert found and known and set(known) <= set(found)
    every = backends.phrases(plan)
    with reader._cursor() as cursor:
        from_keys = reader._bm25(cursor, every, every, known)
        alone = reader._scores(cursor, plan, list(known))
    assert sorted(from_keys) == sorted(alone)


@pytest.mark.parametrize("q", ["hai phong", "cảng biển", "da nang", "van tai bien"])
@pytest.mark.parametrize("limit", [1, 2, 1001])
@pytest.mark.parametrize("when", ["now", "then"])
def test_postgresql_answers_the_words_apart_question_as_their_keys_do(corpus, q, limit, when):
    # `others` asks the newest slices first, then the rest of the keys' span, then the
    # rest of the scope (by the language's facet when that is long): the answer is
    # still the definition's, from the newest matches of the words together and apart.
    # "then": the scope ends at the newest match apart, so the newest slices hold it.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statements")
    from dataclasses import replace

    from cangxanh.search import backends

    query = parse_query(q)
    where = engine.scope(engine.Filters(language="vi"))
    strict = engine.plan(query, together=True, lang="vi")
    loose = engine.plan(query, together=False, lang="vi")
    reader = backends.backend()
    if when == "then":
        newest = reader.keys(where, loose, 1)
        assert newest
        where = replace(where, key_to=newest[0])
    keys = reader.keys(where, strict, limit)
    found = reader.keys(where, loose, limit)
    expected = bool(set(found[: len(keys)]) - set(keys)) or len(found) > len(keys)
    if not keys:
        assert q in ("da nang", "van tai bien") and not reader.others(where, loose, keys, limit)
        return
    assert reader.others(where, loose, keys, limit) == expected

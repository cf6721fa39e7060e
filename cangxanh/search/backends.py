"""The two full-text backends behind one small interface.

`engine.py` says what to look for as a *plan*: conditions that must all hold,
each a `Match`, these tokens one after another in one column, or an `Either`
of them (one of the city's names: search/synonyms.py). A backend turns
a plan into its database's own query within a `Scope` (language, section,
publication times as `key` bounds):

- SQLite: an FTS5 MATCH expression on `search_fts`, the scope as facet tokens
  (l_vi, s_3) and a rowid range (the rowid is the entry's key), ranked by bm25
  with the title weighted ten times the body;
- PostgreSQL: `@@` on the generated tsvector columns (one GIN index), phrases
  with `<->`, the scope as facet and time-slice lexemes (meta_tsv), ranked by
  the same bm25 as FTS5's, from the same numbers: the same rows in the same
  order as on SQLite.

Columns: "folded" is the title and the body (folded), "title" the title alone,
"exact" everything with its accents, "chars" every CJK or Hangul character,
"pairs" the folded tokens two by two (a two-word phrase is one token there).
Tokens only ever come from the analyzer, and each backend quotes them for its
syntax: nothing a reader types reaches FTS5 or tsquery as syntax.

Two reads, the same on both databases: `keys`, the newest matches (the engine
keeps the newest 1,000 as the results), and `ranked`, a page of them in order:
every tier first (a plan the row matches or not, in order of importance), then
the backend's relevance, then the newest (`key`). And `others`: whether the
words apart have matches the words together do not (the page's offer).
"""

import heapq
import itertools
import math
import threading
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace

from django.db import connection, transaction

from .analyzer import PAIR
from .models import ID_BITS, id_of


@dataclass(frozen=True)
class Match:
    column: str  # folded | title | exact | chars | pairs
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Either:
    """At least one of these matches: a name of the city and its other names
    (search/synonyms.py). Each is a phrase of its own for the relevance."""

    matches: tuple[Match, ...]


Plan = tuple[Match | Either, ...]  # every match must hold


@dataclass
class _Checked:
    """A plan as PostgreSQLBackend._checked asks it: `where` for the GIN index, then
    `checks` on the row `c` (vector name, SQL on c.v_<name>) in the order of the keys,
    with `columns` (on the row `e`) that they read too."""

    where: str
    params: list
    columns: list[str]
    column_params: list
    checks: list[tuple[str, str]]
    check_params: list


def phrases(plan: Plan) -> list[Match]:
    """Every phrase of a plan, in order, as FTS5's bm25 counts them (each of an Either too)."""
    return [m for item in plan for m in (item.matches if isinstance(item, Either) else (item,))]


@dataclass(frozen=True)
class Scope:
    key_from: int  # inclusive bounds of SearchEntry.key
    key_to: int
    language: str | None = None
    section: int | None = None  # the section or any of its subsections
    kind: str | None = None  # one kind of content (news.kinds); None: every kind


def facet_language(code: str) -> str:
    return "l_" + code.replace("-", "")


def facet_section(pk: int) -> str:
    return f"s_{pk}"


def facet_kind(code: str) -> str:
    # Two underscores: a pair of words (hai_phong) never has them, so no text matches it.
    return f"k__{code}"


class SQLiteBackend:
    # Columns: title, body, exact, chars, pairs, facets.
    RELEVANCE = "bm25(search_fts, 10.0, 1.0, 1.0, 1.0, 1.0, 0.0)"

    def _match(self, match: Match | Either) -> str:
        if isinstance(match, Either):
            return " OR ".join(self._match(m) for m in match.matches)
        # Tokens hold letters, digits and marks only; doubling quotes is belt and braces.
        phrase = '"' + " ".join(t.replace('"', '""') for t in match.tokens) + '"'
        if match.column == "title":
            return f"title : {phrase}"
        # No column filter, on purpose: each kind of token can only be found where
        # it belongs (a folded word without marks in the folded columns, and in the
        # exact one only where it is written the same; a word with marks, a pair, a
        # single CJK character, a facet only in their own column), so the result is
        # the same, and FTS5 need not read the columns of every row, which bm25's
        # document frequencies would otherwise pay for over the whole index.
        return phrase

    def expression(self, scope: Scope, plan: Plan, include: Plan = ()) -> str:
        parts = []
        if scope.language:
            parts.append(f'"{facet_language(scope.language)}"')
        if scope.section:
            parts.append(f'"{facet_section(scope.section)}"')
        if scope.kind:
            parts.append(f'"{facet_kind(scope.kind)}"')
        parts += [self._match(m) for m in (*plan, *include)]
        return " AND ".join(f"({part})" for part in parts)

    def reading(self):
        """Reads need no session of their own here (see PostgreSQLBackend.reading)."""
        return nullcontext()

    def bulk(self):
        """A full rebuild needs nothing more here (see PostgreSQLBackend.bulk)."""
        return nullcontext()

    def _run(self, sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def keys(
        self, scope: Scope, plan: Plan, limit: int, tiers: list[Plan] = (), scores: bool = False
    ) -> list[int]:
        """The keys of the newest `limit` matches, newest first (`tiers`: see ranked;
        `scores`: see PostgreSQLBackend.keys, nothing more to read here).

        FTS5 walks its lists in rowid (key) order and stops at the limit, so this
        costs the same for a word in ten articles or in fifty thousand.
        """
        rows = self._run(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid BETWEEN %s AND %s "
            "ORDER BY rowid DESC LIMIT %s",
            [self.expression(scope, plan), scope.key_from, scope.key_to, limit],
        )
        return [row[0] for row in rows]

    def others(self, scope: Scope, loose: Plan, keys: list[int], limit: int) -> bool:
        """Whether the newest `limit` matches of `loose` (the words apart) are other than,
        or more than, `keys` (the newest `limit` matches of the words together)."""
        found = self.keys(scope, loose, limit)
        return bool(set(found[: len(keys)]) - set(keys)) or len(found) > len(keys)

    def others_later(self, scope: Scope, loose: Plan, keys: list[int], limit: int):
        """`others`, answered when called (see PostgreSQLBackend.others_later): here at once."""
        answer = self.others(scope, loose, keys, limit)
        return lambda: answer

    def waiting(self, connection) -> list:
        """No statement waits for a message here (see PostgreSQLBackend.waiting)."""
        return []

    def ranked(
        self,
        scope: Scope,
        plan: Plan,
        tiers: list[Plan],
        offset: int,
        limit: int,
        keys: list[int] | None = None,  # the window's keys: FTS5 finds them as fast itself
    ) -> list[int]:
        order, params = [], []
        for tier in tiers:
            # The tier within this search's rows: a small set, made once.
            order.append(
                "(rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "AND rowid BETWEEN %s AND %s)) DESC"
            )
            params += [self.expression(scope, plan, tier), scope.key_from, scope.key_to]
        order += [self.RELEVANCE, "rowid DESC"]
        rows = self._run(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid BETWEEN %s AND %s "
            f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s",
            [self.expression(scope, plan), scope.key_from, scope.key_to, *params, limit, offset],
        )
        return [id_of(row[0]) for row in rows]

    def optimize(self) -> None:
        """After a full rebuild: merge the index's segments into one, and fold the
        write-ahead log back into the database, so reads need not look through it."""
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _lexeme(token: str, weight: str = "") -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:{weight}" if weight else quoted


def _phrase(tokens) -> str:
    return " <-> ".join(_lexeme(t) for t in tokens)


def _title_query(match: Match | Either) -> str:
    if isinstance(match, Either):
        return "(" + " | ".join(_title_query(m) for m in match.matches) + ")"
    return f"({_phrase(match.tokens)})"


# A key is the publication time in seconds shifted left by ID_BITS: shifted right
# by this much it is its time slice of 2**21 seconds (about 24 days), which
# meta_tsv names w<slice>, eight slices x<slice // 8>, 64 y<slice // 64> (about
# four years; migration 0003).
SLICE_SHIFT = ID_BITS + 21
FIRST_SLICES = 2  # the newest matches are first looked for in the last two slices
MAX_SLICES = 512  # a longer scope (none given, "since ever") is not named by its slices
OTHERS_SLICES = 64  # the words-apart question names fewer slices than this (`others`)

# ts_rank_cd's weights {D, C, B, A} on folded_tsv count one word as FTS5's bm25
# does, divided by 16: in the title (A) 10 + 1 for the exact column, in the body
# (B) 1 + 1, and written with marks (C, D) the exact column does not have it.
# Powers of two: the sums are exact.
FOLDED_FREQUENCY = "{0.0625,0.625,0.125,0.6875}"
COUNT = "{1,1,1,1}"  # a phrase's occurrences (ts_rank_cd counts each one once)

# The index's generation, rows and tokens (bm25's average length) beside a row that
# will be scored, read by the row's own statement: one snapshot. Each is read once
# (an InitPlan), not once a row as a join with search_totals could be.
ROW_TOTALS = tuple(
    f"(SELECT {column} FROM search_totals)" for column in ("generation", "entries", "tokens")
)

# A search statement's planner settings, for its transaction only (see
# PostgreSQLBackend.reading).
SETTINGS = (
    "SELECT set_config('enable_seqscan', 'off', true),"
    " set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true)"
)

# Rows matching each phrase in the whole index (bm25's document frequencies), for
# one generation of the index (search_totals.generation, new at every change):
# counting a common word reads all its rows, so each process counts it once per
# generation. Only a search with two phrases or more needs them.
_frequencies: dict[tuple, int] = {}


# How many slices back from its scope's end the newest `limit` matches of a plan
# reached, the last time this process looked (a search asked again: its next page, a
# popular query): the first window is that wide, so such a search takes one
# statement instead of two or three. Only where to look first: the windows still go
# on, or stop, by what they find, so a hint the archive has outgrown costs a window
# more and never changes a result.
_SPAN_HINTS: dict[tuple, int] = {}
SPAN_HINTS = 1024
_span_lock = threading.Lock()

# A plan with one of several names (an Either) is read as one statement per name,
# their newest rows merged, up to this many statements' worth (see `_branches`).
MAX_BRANCHES = 8


def _span_key(scope: Scope, plan: Plan, limit: int) -> tuple:
    # Not the scope's end: it is "now", a new second at every search.
    where = (scope.key_from, scope.language, scope.section, scope.kind)
    return (connection.settings_dict["NAME"], plan, limit, where)


def bm25_idf(entries: int, hits: int) -> float:
    """FTS5's inverse document frequency (sqlite/ext/fts5/fts5_aux.c)."""
    idf = math.log((entries - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


class PostgreSQLBackend:
    """The same reads as the SQLite backend's, with the same results, on tsvector columns.

    - `keys`: the newest matches, one window of time slices after another
      (meta_tsv: w<slice>_<language>, facets s_3 k__news beside them), each one
      scan of the GIN index over meta_tsv and the four vectors: a common word
      costs the rows of its last few weeks, a rare one its own few rows.
    - `ranked`: FTS5's bm25 computed with the same numbers in the same order of
      operations, so rows rank exactly as on SQLite: each phrase's weighted
      occurrences (ts_rank_cd on the row's folded words, see FOLDED_FREQUENCY),
      the row's token count (fts_length), the index's rows and tokens
      (search_totals) and, with two phrases or more, each phrase's rows. The
      tiers come first and cost no vector: the title's words are in a small
      vector kept in the row (title_tsv), the others are the GIN index's answer.
      Only the tiers that reach the requested page are scored.
    """

    TABLE = "search_searchentry"
    VECTORS = {"folded": "folded_tsv", "exact": "exact_tsv", "chars": "chars_tsv"}

    def __init__(self):
        self._spans: dict[Scope, int] = {}  # slices a keys() in a scope filled its limit in
        self._flags = None  # (plan, tiers, {key: tiers}) of the last keys() with tiers
        # (plan, names, keys) of the last keys() of a plan with an Either: the names
        # some row it found has, and the rows (see `_scores`).
        self._names = None
        # Statements waiting to go with the next one (`others_later`): (sql, params,
        # where their answer's row goes).
        self._pending: list[tuple[str, list, dict]] = []
        # (plan, tiers, {key: what `_bm25` needs}) of the last keys() that scored the
        # rows of its first tier as it read them.
        self._known = None

    def _parts(
        self, match: Match, alias: str, later: bool = False
    ) -> tuple[list[tuple[str, str]], list[str], list]:
        """A match as (vector, tsquery) conditions the GIN index answers exactly, and
        filters read from the row (SQL and their parameters). With `later`, a phrase
        whose order the index cannot tell is asked as all of its tokens, and nothing
        checks their order here (`_checked` does, after the sort)."""
        if later and self._order_later(match):
            column = "pairs_tsv" if match.column == "pairs" else self.VECTORS[match.column]
            return [(column, " & ".join(_lexeme(t) for t in match.tokens))], [], []
        if match.column == "title":
            return [], [f"ts_match_vq({alias}.title_tsv, %s::tsquery)"], [_phrase(match.tokens)]
        if match.column == "pairs":
            if len(match.tokens) == 1:
                return [("pairs_tsv", _lexeme(match.tokens[0]))], [], []
            # Pairs side by side: the GIN index has rows with all of them, and the
            # words say which have them in a row: the title's small vector first,
            # then the folded words (smaller than the pairs'). Function calls, so
            # that the index is not asked.
            words = _phrase(self._words(match))
            return (
                [("pairs_tsv", " & ".join(_lexeme(p) for p in match.tokens))],
                [
                    f"(ts_match_vq({alias}.title_tsv, %s::tsquery)"
                    f" OR ts_match_vq({alias}.folded_tsv, %s::tsquery))"
                ],
                [words, words],
            )
        return [(self.VECTORS[match.column], _phrase(match.tokens))], [], []

    @staticmethod
    def _words(match: Match) -> tuple[str, ...]:
        """The folded words a pairs match stands for (hai_phong: hai, phong)."""
        return (match.tokens[0].split(PAIR)[0], *(p.split(PAIR)[1] for p in match.tokens))

    @staticmethod
    def _order_later(match: Match) -> bool:
        """Whether `_checked` checks this match's order after the sort: a phrase of pairs
        (three words or more) or of exact words."""
        return match.column in ("pairs", "exact") and len(match.tokens) > 1

    def condition(self, plan: Plan, alias: str = "e", later: bool = False) -> tuple[str, list]:
        """SQL for `plan`: its matches on each vector merged into one tsquery (with
        `later`, see `_parts`)."""
        merged: dict[str, list[str]] = {}
        filters, filter_params = [], []
        for match in plan:
            if isinstance(match, Either):
                # Each name on its own vector: the GIN index answers each, OR joins them.
                either = [self.condition((m,), alias) for m in match.matches]
                filters.append("(" + " OR ".join(f"({sql})" for sql, _ in either) + ")")
                filter_params += [p for _, params in either for p in params]
                continue
            indexed, more, params = self._parts(match, alias, later)
            for vector, query in indexed:
                merged.setdefault(vector, []).append(f"({query})")
            filters += more
            filter_params += params
        parts = [f"{alias}.{vector} @@ %s::tsquery" for vector in merged]
        params = [" & ".join(queries) for queries in merged.values()]
        return " AND ".join([*parts, *filters]) or "TRUE", params + filter_params

    def _checked(self, plan: Plan) -> _Checked | None:
        """The plan with its phrases' order left to be checked after the sort, where
        the GIN index cannot say it: a phrase of pairs (three words or more) and a
        phrase of exact words. The index is asked for all of their tokens, which it
        answers without reading a row's vectors; the order is then checked on the
        newest rows only, one by one, until the window's limit is reached (`keys`),
        instead of on every row the index found. None when nothing is left to check
        (or the plan still has an Either: `condition` answers it)."""
        if any(isinstance(m, Either) for m in plan) or not any(map(self._order_later, plan)):
            return None
        columns, column_params, checks, check_params = [], [], [], []
        for number, match in enumerate(plan):
            if not self._order_later(match):
                continue
            if match.column == "exact":
                checks.append(("exact", "ts_match_vq(c.v_exact, %s::tsquery)"))
                check_params.append(_phrase(match.tokens))
                continue
            # The title's small vector first, read in the row: the words only when the
            # title does not have them.
            words = _phrase(self._words(match))
            columns.append(f"ts_match_vq(e.title_tsv, %s::tsquery) AS h{number}")
            column_params.append(words)
            checks.append(("folded", f"(c.h{number} OR ts_match_vq(c.v_folded, %s::tsquery))"))
            check_params.append(words)
        where, params = self.condition(plan, later=True)
        return _Checked(where, params, columns, column_params, checks, check_params)

    def _meta(self, scope: Scope, first: int | None, last: int, alias: str = "e"):
        """meta_tsv's condition: the scope's facets, and its slices first..last when given,
        in as few lexemes as say them (eight aligned slices are one x<n>), of the
        scope's language when it has one (w855_vi: that language's rows only), and
        of its section too when it has both (w855_vi_s3: that language's rows in
        section 3 or a section under it; migration 0004)."""
        parts, own = [], ""
        if scope.language:
            own = "_" + facet_language(scope.language)[2:]
            if first is None:
                parts.append(_lexeme(facet_language(scope.language)))
        if scope.section:
            if own and first is not None:
                own += f"_s{scope.section}"
            else:
                parts.append(_lexeme(facet_section(scope.section)))
        if scope.kind:
            parts.append(_lexeme(facet_kind(scope.kind)))
        if first is not None:
            slices, current = [], last
            while current >= first:
                for size, name in ((64, "y"), (8, "x"), (1, "w")):
                    if current % size == size - 1 and current - size + 1 >= first:
                        slices.append(_lexeme(f"{name}{current // size}{own}"))
                        current -= size
                        break
            parts.append("(" + " | ".join(slices) + ")")
        if not parts:
            return "", []
        return f"{alias}.meta_tsv @@ %s::tsquery AND ", [" & ".join(parts)]

    @contextmanager
    def reading(self):
        """Several reads with the planner told what it cannot see.

        PostgreSQL prices `@@` as if a vector cost nothing to read, and would rather
        walk the key index and read every row's vectors than scan GIN: these reads
        are only ever answered well through the GIN index (and `key + 0` keeps the
        key index out of the windows). Outside a transaction (the search page),
        each statement goes with its settings in one message (`_execute`): one
        round trip, run as one implicit transaction, the settings gone with it; no
        BEGIN, no ROLLBACK. Inside one (a test, a caller's atomic block), a
        savepoint holds them and is rolled back at the end: nothing was written,
        and the settings go with it.
        """
        if getattr(connection, "search_reading", False):
            yield
            return
        if not connection.in_atomic_block:
            connection.search_reading = "inline"
            try:
                yield
            finally:
                connection.search_reading = False
            return
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(SETTINGS)
            connection.search_reading = True
            try:
                yield
            finally:
                connection.search_reading = False
                transaction.set_rollback(True)

    @contextmanager
    def _cursor(self):
        with self.reading(), connection.cursor() as cursor:
            yield cursor

    def _execute(self, cursor, sql: str, params: list) -> None:
        """Run a search statement, with its planner settings in the same message when
        no transaction holds them (see `reading`), and before it the statements
        waiting for a message to go in (`others_later`), whose answers are kept."""
        pending, self._pending = self._pending, []
        before = "".join(f"{waiting}; " for waiting, _params, _answer in pending)
        params = [*(p for _sql, waiting, _answer in pending for p in waiting), *params]
        if getattr(connection, "search_reading", False) == "inline":
            cursor.execute(f"{SETTINGS}; {before}{sql}", params)
            cursor.nextset()
        else:
            cursor.execute(f"{before}{sql}", params)
        for _sql, _params, answer in pending:
            answer["row"] = cursor.fetchone()
            cursor.nextset()

    def keys(
        self, scope: Scope, plan: Plan, limit: int, tiers: list[Plan] = (), scores: bool = False
    ) -> list[int]:
        """The keys of the newest `limit` matches, newest first.

        Windows of time slices, newest first: the first two slices (or the slices
        the last call in this scope filled its limit in: the engine looks for the
        words together, then apart, which has at least as many rows), then as
        long as the matches found so far say the rest needs (a tenth more), at
        least twice the last; the rest at once when there were none (a rare
        word's own few rows cost less than more windows). With `tiers`, each
        row's tiers come with it, for `ranked`.

        With `scores` (the results' keys, whose page will be ranked), the rows of
        the first tier, every tier true (all rows when there are no tiers), come
        with what their bm25 needs (`_scoring`), read while the statement
        has them: when that tier fills the page, as it does for most searches,
        `ranked` sends no statement of its own.
        """
        if limit <= 0 or scope.key_to < scope.key_from:
            return []
        chosen = self._branches(plan)
        checked = [self._checked(branch) for branch in chosen]
        branches = [
            self.condition(branch) if check is None else (check.where, check.params)
            for branch, check in zip(chosen, checked, strict=True)
        ]
        # One statement per window without an Either's names: the rows' vectors can
        # be scored on their way out. (Merged names: `ranked` scores them. Tried in
        # the merged statement, by key, it was no faster than on their own; nor in
        # each name's statement before the merge: every row's vector is read anyway,
        # by the check or by the scoring, and grouping by the scores costs the rest.)
        scoring = scores and len(branches) == 1
        known: dict[int, tuple] = {}  # key: what `_bm25` needs of the row
        found: list[tuple] = []
        matched = 0  # with branches: bit n set when the n-th found a row
        top, last = scope.key_to, scope.key_to >> SLICE_SHIFT
        oldest = scope.key_from >> SLICE_SHIFT
        remembered = _span_key(scope, plan, limit)
        hint = self._spans.get(scope) or _SPAN_HINTS.get(remembered)
        span = hint or FIRST_SLICES
        with self._cursor() as cursor:
            while True:
                first = max(last - span + 1, oldest)
                named = last - first < MAX_SLICES  # else: everything older, no slices
                low = first << SLICE_SHIFT if first > oldest else scope.key_from
                meta, more = self._meta(scope, first if named else None, last)
                window = replace(scope, key_from=low, key_to=top)
                flags, flag_params = self._tiers(window, plan, tiers)
                columns = [f"{flag} AS t{n}" for n, flag in enumerate(flags)]
                wanted = limit - len(found)
                carry, carry_params = [], []
                if scoring:
                    checking = {name for name, _sql in checked[0].checks} if checked[0] else set()
                    carry, carry_params, wrap, wrap_params = self._scoring(
                        window, plan, flags, checking
                    )
                selects, every = [], []
                for number, ((where, params), check) in enumerate(
                    zip(branches, checked, strict=True)
                ):
                    which = [f"{1 << number} AS b"] if len(branches) > 1 else []
                    selects.append(self._select(meta + where, [*columns, *which, *carry], check))
                    every += [
                        *flag_params,
                        *carry_params,
                        *(check.column_params if check else ()),
                        *more,
                        *params,
                        low,
                        top,
                        *(check.check_params if check else ()),
                        wanted,
                    ]
                width = 1 + len(flags)  # a row's key and flags
                if scoring:
                    self._execute(cursor, wrap(selects[0]), [*wrap_params, *every])
                    rows = cursor.fetchall()
                    found += rows
                    known.update((row[0], row[width:]) for row in rows if row[width] is not None)
                elif len(selects) == 1:
                    self._execute(cursor, selects[0], every)
                    found += cursor.fetchall()
                else:
                    # Each name's newest, merged: a row with two names is one row, and
                    # says which of them found it.
                    union = " UNION ALL ".join(f"({select})" for select in selects)
                    named_flags = ", ".join(f"u.t{n}" for n in range(len(flags)))
                    self._execute(
                        cursor,
                        f"SELECT u.key, {named_flags}, bit_or(u.b) FROM ({union}) u "
                        f"GROUP BY u.key, {named_flags} ORDER BY u.key DESC LIMIT %s",
                        [*every, wanted],
                    )
                    rows = cursor.fetchall()
                    found += [row[:-1] for row in rows]
                    for bits in {row[-1] for row in rows}:
                        matched |= bits
                if first == oldest or len(found) >= limit:
                    break
                top, last = low - 1, first - 1
                if found:
                    # Matches per second so far (the newest slice is only partly
                    # past): the time the rest needs, and a tenth more.
                    seconds = ((scope.key_to - top) >> ID_BITS) * 1.1
                    needed = seconds * (limit - len(found)) / len(found)
                    span = max(2 * span, math.ceil(needed / (1 << (SLICE_SHIFT - ID_BITS))))
                else:
                    span = last - oldest + 1
        if len(found) >= limit:
            self._spans[scope] = (scope.key_to >> SLICE_SHIFT) - first + 1
            with _span_lock:  # threads of one process share the hints
                _SPAN_HINTS.pop(remembered, None)
                _SPAN_HINTS[remembered] = self._spans[scope]
                if len(_SPAN_HINTS) > SPAN_HINTS:
                    del _SPAN_HINTS[next(iter(_SPAN_HINTS))]  # the longest unused
        if tiers:
            self._flags = (plan, tuple(tiers), {row[0]: row[1:width] for row in found})
        self._known = (plan, tuple(tiers), known) if scoring else None
        if len(branches) > 1:
            names = {m for n, branch in enumerate(chosen) if matched >> n & 1 for m in branch}
            self._names = (plan, names, {row[0] for row in found})
        return [row[0] for row in found]

    @staticmethod
    def _branches(plan: Plan) -> list[Plan]:
        """The plan as plans without an Either, one per choice of names: rows with
        (A or B) and C are those with A and C and those with B and C.

        Asked as one statement, `(A AND verified) OR B` puts the whole OR in the
        filter that every row the index found goes through again: the pairs' large
        vector is read for each, to learn which side let it in. One statement per
        choice reads only what its own words need. Beyond MAX_BRANCHES choices (a
        query of several names), the one statement."""
        options = [m.matches if isinstance(m, Either) else (m,) for m in plan]
        if math.prod(len(o) for o in options) in range(2, MAX_BRANCHES + 1):
            return [tuple(choice) for choice in itertools.product(*options)]
        return [plan]

    def others(self, scope: Scope, loose: Plan, keys: list[int], limit: int) -> bool:
        """What SQLiteBackend.others answers, from one row. The words together are
        among the words apart, so the newest matches apart differ from `keys` exactly
        when a match apart is not one of them: newer than the last of them, or
        older when they are fewer than `limit`. The GIN index finds the rows with
        the words in the slices of `keys` (few rows: a common word's weeks), and
        only when none is another, in the rest of the scope; the first row (in the
        table's order) not in `keys` is the answer: no sort, no vector read but
        the phrases' own.
        """
        if not keys:
            return bool(self.keys(scope, loose, 1))
        sql, every = self._others_sql(scope, loose, keys, limit)
        with self._cursor() as cursor:
            self._execute(cursor, sql, every)
            return cursor.fetchone()[0]

    def others_later(self, scope: Scope, loose: Plan, keys: list[int], limit: int):
        """`others`, its statement sent in the same message as this reader's next one
        (the page's scoring, usually): one round trip less. Returns a function that
        gives the answer, reading it on its own if no statement has carried it."""
        if not keys:
            answer = self.others(scope, loose, keys, limit)
            return lambda: answer
        sql, params = self._others_sql(scope, loose, keys, limit)
        waiting = (sql, params, {})

        def answer() -> bool:
            if "row" not in waiting[2]:
                self._pending = [p for p in self._pending if p is not waiting]
                with self._cursor() as cursor:
                    self._execute(cursor, sql, params)
                    waiting[2]["row"] = cursor.fetchone()
            return waiting[2]["row"][0]

        self._pending.append(waiting)
        return answer

    def waiting(self, connection) -> list[tuple[str, list, dict | None]]:
        """The statements waiting for a message (`others_later`), handed to a caller
        that is sending one (the page's hits: `core.compiled.together`), after its
        own statements: the planner settings first, which then hold for the rest of
        that message only. Inside a caller's transaction that `reading` holds no
        savepoint for, nothing: the settings would outlast the message."""
        if not self._pending:
            return []
        reading = getattr(connection, "search_reading", False)
        if reading is not True and connection.in_atomic_block:
            return []
        pending, self._pending = self._pending, []
        return pending if reading is True else [(SETTINGS, [], None), *pending]

    def _others_sql(self, scope: Scope, loose: Plan, keys: list[int], limit: int):
        where, params = self.condition(loose)
        parts, every = [], []
        # The newest slices first: a match apart is most often recent, and there the
        # GIN index has two slices to look through. Then the rest of the keys' span,
        # and the rest of the scope when they are fewer than the limit: by the
        # language's facet when their slices would be many (the index would walk
        # each slice's list for each row with the words).
        recent = ((scope.key_to >> SLICE_SHIFT) - FIRST_SLICES + 1) << SLICE_SHIFT
        spans = [replace(scope, key_from=max(keys[-1], recent))]
        if recent > keys[-1]:
            spans.append(replace(scope, key_from=keys[-1], key_to=recent - 1))
        if len(keys) < limit and scope.key_from < keys[-1]:
            spans.append(replace(scope, key_to=keys[-1] - 1))
        for span in spans:
            first, last = span.key_from >> SLICE_SHIFT, span.key_to >> SLICE_SHIFT
            meta, more = self._meta(span, first if last - first < OTHERS_SLICES else None, last)
            # Only the keys in the span, if any: the planner estimates `<> ALL` element by
            # element (a thousand keys cost it half a millisecond).
            inside = [key for key in keys if span.key_from <= key <= span.key_to]
            parts.append(
                f"EXISTS (SELECT FROM {self.TABLE} e WHERE {meta}{where} "
                "AND e.key + 0 BETWEEN %s AND %s"
                + (" AND e.key <> ALL(%s::bigint[]))" if inside else ")")
            )
            every += [*more, *params, span.key_from, span.key_to]
            if inside:
                every.append("{" + ",".join(map(str, inside)) + "}")
        # OR stops at the first true: the rest of the scope only when needed.
        return f"SELECT {' OR '.join(parts)}", every

    def _select(self, where: str, outputs: list[str], check: _Checked | None) -> str:
        """A window's statement for one branch: its newest rows (the key, then `outputs`:
        SQL "… AS name" on the row `e`) up to a limit, the last parameter. With
        `check`, the index's rows are sorted first (their vectors unread) and checked
        one by one, newest first, until the limit: the rows past it are never read.
        A vector the checks read and the statement carries (or two checks read) is
        read once: a copy that all share (setweight with no lexemes copies it)."""
        listed = ", ".join(["e.key", *outputs])
        rows = (
            f"FROM {self.TABLE} e WHERE {where} AND e.key + 0 BETWEEN %s AND %s ORDER BY e.key DESC"
        )
        if check is None:
            return f"SELECT {listed} {rows} LIMIT %s"
        names = ["key", *(output.rsplit(" AS ", 1)[1] for output in outputs)]
        uses = Counter(name for name, _sql in check.checks)
        vectors = [f"e.{name}_tsv AS v_{name}" for name in sorted(uses) if f"v_{name}" not in names]
        more = [*check.columns, *vectors]
        inner = f"SELECT {', '.join([listed, *more])} {rows} OFFSET 0"
        copied = {f"v_{name}" for name in uses if uses[name] > 1 or f"v_{name}" in names}
        if copied:
            every = [*names, *(column.rsplit(" AS ", 1)[1] for column in more)]
            copies = ", ".join(
                f"setweight(i.{name}, 'A', '{{}}'::text[]) AS {name}"
                if name in copied
                else f"i.{name}"
                for name in every
            )
            inner = f"SELECT {copies} FROM ({inner}) i OFFSET 0"
        checks = " AND ".join(sql for _name, sql in check.checks)
        return f"SELECT {', '.join(f'c.{name}' for name in names)} FROM ({inner}) c WHERE {checks} LIMIT %s"

    def _window_rows(self, scope: Scope, matches: Plan, plan: Plan = ()) -> tuple[str, list]:
        """SQL for the keys of the scope's rows with these matches, from the GIN index
        alone: over the scope's slices, or with the plan's own (rare) words in a long
        scope."""
        first, last = scope.key_from >> SLICE_SHIFT, scope.key_to >> SLICE_SHIFT
        narrow = last - first < MAX_SLICES
        meta, more = self._meta(scope, first if narrow else None, last, "k")
        where, more_where = self.condition(matches if narrow else (*matches, *plan), "k")
        return (
            f"SELECT k.key FROM {self.TABLE} k WHERE {meta}{where} AND k.key + 0 BETWEEN %s AND %s",
            [*more, *more_where, scope.key_from, scope.key_to],
        )

    def _scoring(self, window: Scope, plan: Plan, flags: list[str], checked: set[str]):
        """What a window's statement adds to score its rows of the first tier (every
        flag true) as they leave it: (columns its SELECT carries, their parameters,
        a function that wraps that SELECT, the wrapper's parameters). The wrapped
        statement's rows are (key, flags…, then what `_bm25` needs: NULLs beyond the
        first tier).

        The SELECT carries the vectors unread (a TOAST pointer costs nothing to
        sort); past its LIMIT, only the first tier's are read, once each. The vectors
        in `checked` are copies already, read once (`_select`)."""
        columns, params, uses = self._frequencies(phrases(plan))
        first = " AND ".join(f"w.t{n}" for n in range(len(flags)))
        read, carry_params, lone = sorted(set(uses) - {"lone"}), [], None
        if self._lone_read(uses):
            # The window's rows with the character alone among the words: the GIN index's.
            sql, carry_params = self._window_rows(window, (self._lone(phrases(plan)),), plan)
            read, lone = [*read, "folded"], f"e.key IN ({sql}) AS lone"
        carry = ["e.fts_length::float8 AS d", *(f"e.{name}_tsv AS v_{name}" for name in read)]
        if lone:
            carry.append(lone)
        vectors = self._copies(uses, lambda name: f"w.v_{name}", "w.lone", first, checked)
        named = ", ".join(f"w.t{n}" for n in range(len(flags)))
        outer = ", ".join(f"s.t{n}" for n in range(len(flags)))

        # Only the first tier's rows have more than their key and flags: NULLs cost the
        # reader nothing to convert.
        scored = ", ".join(
            f"CASE WHEN s.first THEN {column} END" for column in (*ROW_TOTALS, "s.d")
        )

        def wrap(select: str) -> str:
            return (
                f"SELECT s.key, {outer}, {scored}, {', '.join(columns)} FROM "
                f"(SELECT w.key, {named}, {first} AS first, w.d, {', '.join(vectors)} "
                f"FROM ({select}) w OFFSET 0) s"
            )

        return carry, carry_params, wrap, params

    def _tiers(self, scope: Scope, plan: Plan, tiers: list[Plan]) -> tuple[list[str], list]:
        """Each tier as SQL on the row `e`, costing no read of its large vectors: the
        title's words in its small vector, the others from the GIN index."""
        columns, params = [], []
        for tier in tiers:
            if all(m.column == "title" for m in phrases(tier)):
                columns.append("ts_match_vq(e.title_tsv, %s::tsquery)")
                params.append(" & ".join(_title_query(m) for m in tier))
            else:
                sql, more = self._window_rows(scope, tier, plan)
                columns.append(f"e.key IN ({sql})")
                params += more
        return columns or ["TRUE"], params

    def _frequency(self, cursor, generation: int, match: Match, settled=False) -> int | None:
        """Rows with the phrase anywhere in the index; None if the index moved on
        (unless `settled`: then the newest count serves)."""
        cache = (connection.settings_dict["NAME"], generation, match)
        if cache in _frequencies:
            return _frequencies[cache]
        where, params = self.condition((match,))
        if match.column == "chars":  # FTS5 finds a lone character among the words too
            where = f"({where} OR e.folded_tsv @@ %s::tsquery)"
            params = [*params, _lexeme(match.tokens[0])]
        self._execute(
            cursor,
            "SELECT (SELECT generation FROM search_totals), count(*) "
            f"FROM {self.TABLE} e WHERE {where}",
            params,
        )
        now, hits = cursor.fetchone()
        if now != generation:
            return hits if settled else None
        if any(key[1] != generation for key in _frequencies):
            _frequencies.clear()  # counts of an older index
        _frequencies[cache] = hits
        return hits

    def _frequencies(self, plan: list[Match]) -> tuple[list[str], list, Counter]:
        """Each phrase's weighted occurrences in the row `s`, as columns f0, f1…, their
        parameters, and the vectors they read (how many times each; "lone": a
        character alone among the words, see `_frequency_sql`)."""
        columns, params, uses = [], [], Counter()
        for number, match in enumerate(plan):
            sql, more, needs = self._frequency_sql(match)
            columns.append(f"{sql} AS f{number}")
            params += more
            uses.update(needs)
        return columns, params, uses

    @staticmethod
    def _lone_read(uses: Counter) -> bool:
        """Whether the words are read for a character alone among them, and only there."""
        return "lone" in uses and "folded" not in uses

    def _copies(
        self, uses: Counter, source, lone: str, when: str = "", copied: set[str] = frozenset()
    ) -> list[str]:
        """The vectors the row `s` has (`_frequencies`), each as SQL "… AS name" over
        `source(name)`, the stored one. Each is read once: used twice, a copy that both
        functions share. A character alone among the words (a one-character run) is
        rare: the words are read only where `lone` holds (the GIN index's answer).
        With `when`, only in the rows where it holds (else NULL). Those in `copied` are
        copies already."""
        copies = []
        for name in sorted(set(uses) - {"lone"}):
            vector = source(name)
            if uses[name] > 1 and name not in copied:
                vector = f"setweight({vector}, 'A', '{{}}'::text[])"
            copies.append((vector, name, when))
        if self._lone_read(uses):
            condition = f"{when} AND {lone}" if when else lone
            copies.append(
                (f"setweight({source('folded')}, 'A', '{{}}'::text[])", "folded", condition)
            )
        return [
            f"CASE WHEN {condition} THEN {vector} END AS {name}"
            if condition
            else f"{vector} AS {name}"
            for vector, name, condition in copies
        ]

    @staticmethod
    def _lone(plan: list[Match]) -> Match:
        """The single character of a plan, as a word of its own."""
        return next(Match("folded", m.tokens) for m in plan if m.column == "chars")

    def _frequency_sql(self, match: Match) -> tuple[str, list, set[str]]:
        """The phrase's weighted occurrences in a row as FTS5's bm25 counts them, and the
        row's vectors that takes."""
        if match.column == "folded" and len(match.tokens) == 1:
            sql = f"round(ts_rank_cd('{FOLDED_FREQUENCY}', s.folded, %s::tsquery)::float8 * 16)"
            return sql, [_lexeme(match.tokens[0])], {"folded"}
        if match.column == "chars":  # the character alone, and any lone one among the words
            word, params, _vectors = self._frequency_sql(Match("folded", match.tokens))
            sql = f"(coalesce({word}, 0) + round(ts_rank_cd('{COUNT}', s.chars, %s::tsquery)::float8))"
            return sql, [*params, _lexeme(match.tokens[0])], {"lone", "chars"}
        if match.column == "pairs":  # each pair once: the words side by side in the row
            sql = f"round(ts_rank_cd('{COUNT}', s.folded, %s::tsquery)::float8)"
            return sql, [_phrase(self._words(match))], {"folded"}
        if match.column == "exact":
            sql = f"round(ts_rank_cd('{COUNT}', s.exact, %s::tsquery)::float8)"
            return sql, [_phrase(match.tokens)], {"exact"}
        raise ValueError(f"no bm25 frequency for {match}")  # the engine makes none

    def ranked(
        self,
        scope: Scope,
        plan: Plan,
        tiers: list[Plan],
        offset: int,
        limit: int,
        keys: list[int] | None = None,
    ) -> list[int]:
        """The page in the order tiers, bm25 (FTS5's, the same doubles), newest.

        The tiers come with the keys (`keys(..., tiers)`), or are read here for
        the window's rows without their large vectors; only the rows of the tiers
        that reach the page are scored (in the bench's queries a third of the
        window or less), each row's vectors read once: by the keys' own statements
        when the first tier fills the page (`keys(..., scores=True)`), else here.
        """
        if keys is None:
            keys = self.keys(scope, plan, 1 << 31, tiers, scores=True)
        if not keys or limit <= 0:
            return []
        with self._cursor() as cursor:
            known = self._flags and self._flags[:2] == (plan, tuple(tiers))
            flags = self._flags[2] if known else {}
            if not tiers:
                flags = dict.fromkeys(keys, ())
            elif not all(key in flags for key in keys):
                columns, params = self._tiers(scope, plan, tiers)
                self._execute(
                    cursor,
                    f"SELECT e.key, {', '.join(columns)} FROM {self.TABLE} e "
                    "WHERE e.key = ANY(%s::bigint[])",
                    [*params, "{" + ",".join(map(str, keys)) + "}"],
                )
                flags = {row[0]: row[1:] for row in cursor.fetchall()}
            sizes = Counter(flags[key] for key in keys)
            start, skipped, wanted = 0, 0, set()
            for group in sorted(sizes, reverse=True):  # (True, ...) first, as DESC
                if start + sizes[group] <= offset:
                    skipped += sizes[group]
                elif start < offset + limit:
                    wanted.add(group)
                start += sizes[group]
            candidates = [key for key in keys if flags[key] in wanted]
            if not candidates:
                return []
            # The first tier's rows as the keys read them; the others read here.
            known = (
                self._known[2] if self._known and self._known[:2] == (plan, tuple(tiers)) else {}
            )
            for attempt in range(3):  # the index may change between two reads: again
                rows = {key: known[key] for key in candidates if key in known}
                every = counted = phrases(plan)
                missing = [key for key in candidates if key not in rows]
                if missing:
                    # Beside the keys' rows, every phrase counted as they count them.
                    every, counted, more = self._score_rows(cursor, plan, missing, not rows)
                    rows.update(more)
                scores = self._bm25(cursor, every, counted, rows, settled=attempt == 2)
                if scores is not None:
                    break
                known = {}  # read apart, in two generations of the index: all of them anew
        # Tiers first (True before False), then bm25, then the newest: only the page's
        # rows need their places, so the smallest few are taken, not all sorted.
        first = {group: tuple(not f for f in group) for group in wanted}
        page = heapq.nsmallest(
            offset - skipped + limit,
            scores,
            key=lambda row: (first[flags[row[0]]], -row[1], -row[0]),
        )
        return [id_of(key) for key, _score in page[offset - skipped :]]

    def _scores(self, cursor, plan: Plan, keys, settled=False) -> list[tuple[int, float]] | None:
        """(key, bm25) for these rows; None if the index changed meanwhile (unless
        `settled`: then the newest counts serve)."""
        every, counted, rows = self._score_rows(cursor, plan, keys)
        return self._bm25(cursor, every, counted, rows, settled)

    def _score_rows(self, cursor, plan: Plan, keys, skip=True) -> tuple[list, list, dict]:
        """What `_bm25` needs of these rows, read in one statement: (the plan's phrases,
        those read, {key: (generation, entries, tokens, length, frequencies…)}); with
        `skip`, an Either's names that no row has are not read."""
        # A name of an Either that no found row has (its own statement in `keys` found
        # none there) counts 0 in every row: its term adds 0.0 to the sum, so it is left
        # out, and its ts_rank_cd is not computed for each row. The sum's doubles stay
        # FTS5's: x + 0.0 is x, and the other names keep their own idf.
        names = None
        if (
            skip
            and self._names
            and self._names[0] == plan
            and all(k in self._names[2] for k in keys)
        ):
            names = self._names[1]
        every = phrases(plan)  # each name of an Either counts as FTS5 counts it: a phrase
        counted = [m for m in every if m in names] if names is not None else every
        columns, params, uses = self._frequencies(counted)
        array = "{" + ",".join(map(str, keys)) + "}"
        lone = (
            f"e.key IN (SELECT k.key FROM {self.TABLE} k WHERE k.folded_tsv @@ %s::tsquery "
            "AND k.key = ANY(%s::bigint[]))"
        )
        copy_params = (
            [_lexeme(self._lone(counted).tokens[0]), array] if self._lone_read(uses) else []
        )
        copies = "".join(f", {c}" for c in self._copies(uses, lambda name: f"e.{name}_tsv", lone))
        self._execute(
            cursor,
            f"SELECT s.key, {', '.join(ROW_TOTALS)}, s.d, {', '.join(columns)} "
            f"FROM (SELECT e.key, e.fts_length::float8 AS d{copies} FROM {self.TABLE} e "
            "WHERE e.key = ANY(%s::bigint[]) OFFSET 0) s",
            [*params, *copy_params, array],
        )
        return every, counted, {row[0]: row[1:] for row in cursor.fetchall()}

    def _bm25(self, cursor, every: list[Match], counted: list[Match], rows, settled=False):
        """[(key, bm25)] of rows {key: (generation, entries, tokens, length, frequencies
        of `counted`…)}: FTS5's bm25 from the index's totals as the row's statement saw
        them, term by term in FTS5's order of operations, so the doubles are SQLite's.
        None if the rows were read in different generations of the index, or a
        phrase's rows could not be counted in theirs (unless `settled`)."""
        generations = {row[:3] for row in rows.values()}
        if not generations:
            return []
        if len(generations) != 1:
            return None  # the index changed between two of the statements
        generation, entries, tokens = generations.pop()
        weights = [1.0] * len(counted)  # one phrase: one factor for all rows, one order
        if len(every) > 1:
            hits = {m: self._frequency(cursor, generation, m, settled) for m in counted}
            if None in hits.values():
                return None
            weights = [bm25_idf(entries, hits[m]) for m in counted]
        average = float(tokens) / float(entries)
        scores = []
        for key, (_generation, _entries, _tokens, length, *frequencies) in rows.items():
            score = None
            norm = 1.2 * (1.0 - 0.75 + 0.75 * length / average)
            for weight, f in zip(weights, frequencies, strict=True):
                term = weight * ((f * (1.2 + 1.0)) / (f + norm))
                score = term if score is None else score + term
            scores.append((key, score))
        return scores

    @contextmanager
    def bulk(self):
        """Inside a rebuild's transaction: the GIN index takes new entries in batches
        of 64 MB instead of its usual 256 kB (four times faster to fill; `optimize`
        merges what is left), back to 256 kB when the transaction commits."""
        with connection.cursor() as cursor:
            cursor.execute("ALTER INDEX search_gin SET (gin_pending_list_limit = 65536)")
            yield
            cursor.execute("ALTER INDEX search_gin SET (gin_pending_list_limit = 256)")

    def optimize(self) -> None:
        """After a full rebuild: the GIN pending list merged, statistics, and (outside
        a transaction) the visibility map, so scans read only the rows they need."""
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("SELECT gin_clean_pending_list('search_gin'::regclass)")
                cursor.execute("ANALYZE search_searchentry")
            else:
                cursor.execute("VACUUM (ANALYZE) search_searchentry")


def backend() -> SQLiteBackend | PostgreSQLBackend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")

"""The two full-text backends behind one small interface.

`engine.py` says what to look for as a *plan*: conditions that must all hold,
each a `Match`, these tokens one after another in one column. A backend turns
a plan into its database's own query within a `Scope` (language, section,
publication times as `key` bounds):

- SQLite: an FTS5 MATCH expression on `search_fts`, the scope as facet tokens
  (l_vi, s_3) and a rowid range (the rowid is the entry's key), ranked by bm25
  with the title weighted ten times the body;
- PostgreSQL: `@@` on the generated tsvector columns (GIN indexes), phrases
  with `<->`, the title as weight A, the scope as plain columns, ranked by
  ts_rank_cd.

Columns: "folded" is the title and the body (folded), "title" the title alone,
"exact" everything with its accents, "chars" every CJK or Hangul character,
"pairs" the folded tokens two by two (a two-word phrase is one token there).
Tokens only ever come from the analyzer, and each backend quotes them for its
syntax: nothing a reader types reaches FTS5 or tsquery as syntax.

Two reads, the same on both databases: `keys`, the newest matches (the engine
keeps the newest 1,000 as the results), and `ranked`, a page of them in order:
every tier first (a plan the row matches or not, in order of importance), then
the backend's relevance, then the newest (`key`).
"""

from dataclasses import dataclass

from django.db import connection, transaction

from .models import id_of


@dataclass(frozen=True)
class Match:
    column: str  # folded | title | exact | chars | pairs
    tokens: tuple[str, ...]


Plan = tuple[Match, ...]  # every match must hold


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

    def _match(self, match: Match) -> str:
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

    def _run(self, sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def keys(self, scope: Scope, plan: Plan, limit: int) -> list[int]:
        """The keys of the newest `limit` matches, newest first.

        FTS5 walks its lists in rowid (key) order and stops at the limit, so this
        costs the same for a word in ten articles or in fifty thousand.
        """
        rows = self._run(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid BETWEEN %s AND %s "
            "ORDER BY rowid DESC LIMIT %s",
            [self.expression(scope, plan), scope.key_from, scope.key_to, limit],
        )
        return [row[0] for row in rows]

    def ranked(
        self, scope: Scope, plan: Plan, tiers: list[Plan], offset: int, limit: int
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


class PostgreSQLBackend:
    VECTORS = {
        "folded": "e.folded_tsv",
        "title": "e.folded_tsv",
        "exact": "e.exact_tsv",
        "chars": "e.chars_tsv",
        "pairs": "e.pairs_tsv",
    }

    def _tsquery(self, match: Match) -> str:
        weight = "A" if match.column == "title" else ""
        return " <-> ".join(_lexeme(t, weight) for t in match.tokens)

    def condition(self, plan: Plan) -> tuple[str, list]:
        """SQL for `plan`, matches on one vector merged into one tsquery (one GIN scan)."""
        merged: dict[str, list[str]] = {}
        for match in plan:
            merged.setdefault(self.VECTORS[match.column], []).append(f"({self._tsquery(match)})")
        parts, params = [], []
        for vector, queries in merged.items():
            parts.append(f"{vector} @@ %s::tsquery")
            params.append(" & ".join(queries))
        return " AND ".join(parts) or "TRUE", params

    def _where(self, scope: Scope, plan: Plan) -> tuple[str, list]:
        parts, params = ["e.key BETWEEN %s AND %s"], [scope.key_from, scope.key_to]
        if scope.language:
            parts.append("e.language = %s")
            params.append(scope.language)
        if scope.section:
            parts.append("(e.section = %s OR e.section_parent = %s)")
            params += [scope.section, scope.section]
        if scope.kind:
            parts.append("e.kind = %s")
            params.append(scope.kind)
        sql, more = self.condition(plan)
        return " AND ".join([*parts, sql]), params + more

    def _relevance(self, plan: Plan) -> tuple[str, list[str]]:
        folded = [f"({self._tsquery(m)})" for m in plan if m.column in ("folded", "title")]
        if folded:
            # Weights are {D, C, B, A}: the title (A) ten times the body (B).
            return (
                "ts_rank_cd('{0, 0, 0.1, 1.0}', e.folded_tsv, %s::tsquery)",
                [" & ".join(folded)],
            )
        for column in ("pairs", "exact", "chars"):
            vector = self.VECTORS[column]
            queries = [f"({self._tsquery(m)})" for m in plan if m.column == column]
            if queries:
                return f"ts_rank_cd({vector}, %s::tsquery)", [" & ".join(queries)]
        return "", []

    def _run(self, sql: str, params: list) -> list:
        # PostgreSQL prices `@@` as if a tsvector cost nothing to read, and so
        # prefers reading the whole table (or walking the key index) to the GIN
        # index: for a word in thousands of rows that is a hundred times slower.
        # These statements are only ever answered well through the indexes.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, params)
            return cursor.fetchall()

    def keys(self, scope: Scope, plan: Plan, limit: int) -> list[int]:
        where, params = self._where(scope, plan)
        rows = self._run(
            f"SELECT e.key FROM search_searchentry e WHERE {where} ORDER BY e.key DESC LIMIT %s",
            [*params, limit],
        )
        return [row[0] for row in rows]

    def ranked(
        self, scope: Scope, plan: Plan, tiers: list[Plan], offset: int, limit: int
    ) -> list[int]:
        where, params = self._where(scope, plan)
        order, order_params = [], []
        for tier in tiers:
            sql, more = self.condition(tier)
            order.append(f"({sql}) DESC")
            order_params += more
        relevance, more = self._relevance(plan)
        if relevance:
            order.append(f"{relevance} DESC")
            order_params += more
        order.append("e.key DESC")
        rows = self._run(
            f"SELECT e.translation_id FROM search_searchentry e WHERE {where} "
            f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s",
            [*params, *order_params, limit, offset],
        )
        return [row[0] for row in rows]

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")


def backend() -> SQLiteBackend | PostgreSQLBackend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")

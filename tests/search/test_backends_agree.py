"""SQLite and PostgreSQL show the same results, in the same order, for the bench's queries.

The design, in two checks over one fixed archive (tests/search/agree.py: 1,200
translations made by bench/search_corpus.py from a fixed seed and clock, the
window `engine.LIMIT` lowered to 40 so that most queries have more matches than
it, as they have more than 1,000 in the bench; each query's answer is its mode,
count, "more" flags, every result in order and the page the bench asks for):

1. The other backend, for real: this test's database answers in this process;
   the other backend answers in a subprocess that migrates a scratch database,
   makes the same archive and runs the same queries (`python -m
   tests.search.agree`). On PostgreSQL the other is SQLite, in a temporary
   folder, so the PostgreSQL leg always compares; on SQLite it is a scratch
   database on the PostgreSQL server at CANGXANH_TEST_POSTGRES (a URL; by
   default postgres@127.0.0.1:5432) when one answers, skipped otherwise.
2. A reference, on either backend alone: the backend swapped for a plain-Python
   one over the same index rows (FTS5's matching of phrases in columns, the
   facets, newest first, and FTS5's bm25 with its own formula and numbers), and
   the answers compared. Both backends must equal it, so this check means as
   much on SQLite as on PostgreSQL, server or not.

Either fails on any difference in any query's set or order.
"""

import json
import math
import os
import socket
import subprocess
import sys
import uuid
from contextlib import nullcontext
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from cangxanh.search import engine
from cangxanh.search.backends import Either, Match, Plan, Scope, phrases
from cangxanh.search.models import SearchEntry, id_of

from . import agree

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def archive(site_identity, monkeypatch):
    monkeypatch.setattr(engine, "LIMIT", agree.LIMIT)
    agree.build()


def _postgres_server() -> str | None:
    url = os.environ.get("CANGXANH_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 5432), timeout=1):
            return url
    except OSError:
        return None


def _other_backend(tmp_path) -> dict:
    """The answers of the backend this test does not run on, from its own process."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_", "CANGXANH_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
            "CANGXANH_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(agree.ROOT),
        }
    )
    scratch = None
    if connection.vendor == "postgresql":
        env["CANGXANH_SQLITE_PATH"] = str(tmp_path / "agree.sqlite3")
    else:
        server = _postgres_server()
        if server is None:
            pytest.skip("no PostgreSQL server answers: only the reference check ran on SQLite")
        import psycopg

        scratch = f"cangxanh_agree_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{scratch}"))
    out = tmp_path / "answers.json"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.search.agree", str(out)],
            cwd=agree.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    finally:
        if scratch is not None:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(out.read_text())


def _differences(ours: dict, theirs: dict) -> list[str]:
    return [
        f"{name}: {field} {ours[name][field]!r} != {theirs[name][field]!r}"
        for name in ours
        for field in ours[name]
        if ours[name][field] != theirs[name][field]
    ]


def test_the_other_backend_gives_the_same_results(archive, tmp_path):
    ours = agree.answers()
    theirs = _other_backend(tmp_path)
    assert set(ours) == set(theirs)
    # Not trivially equal: the window is full for most queries, pages differ.
    assert sum(answer["more"] for answer in ours.values()) >= 10
    assert _differences(ours, theirs) == []


# --- the reference ---------------------------------------------------------------

WEIGHTS = (10.0, 1.0, 1.0, 1.0, 1.0)  # title, body, exact, chars, pairs (facets: 0)


def _occurrences(columns: list[list[str]], tokens: tuple[str, ...], column: int) -> int:
    words, size = columns[column], len(tokens)
    return sum(1 for i in range(len(words) - size + 1) if tuple(words[i : i + size]) == tokens)


class Reference:
    """The backends' reads (`keys`, `ranked`) in plain Python over the index rows."""

    def __init__(self):
        self.rows = []
        for key, language, section, parent, kind, *texts in SearchEntry.objects.values_list(
            "key", "language", "section", "section_parent", "kind", "title", "body", "exact",
            "chars", "pairs",
        ):  # fmt: skip
            columns = [text.split() for text in texts]
            length = sum(len(words) for words in columns) + 3 + (parent is not None)
            self.rows.append((key, language, section, parent, kind, columns, length))
        self.tokens = sum(row[-1] for row in self.rows)

    def _columns(self, match: Match) -> tuple[int, ...]:
        return (0,) if match.column == "title" else (0, 1, 2, 3, 4)

    def _has(self, columns, match: Match | Either) -> bool:
        if isinstance(match, Either):
            return any(self._has(columns, m) for m in match.matches)
        return any(_occurrences(columns, match.tokens, c) for c in self._columns(match))

    def _found(self, scope: Scope, plan: Plan) -> list[tuple]:
        return [
            row
            for row in self.rows
            if scope.key_from <= row[0] <= scope.key_to
            and scope.language in (None, row[1])
            and scope.section in (None, row[2], row[3])
            and scope.kind in (None, row[4] or "news")
            and all(self._has(row[5], match) for match in plan)
        ]

    def reading(self):
        return nullcontext()

    def keys(self, scope: Scope, plan: Plan, limit: int, tiers=(), scores=False) -> list[int]:
        return sorted((row[0] for row in self._found(scope, plan)), reverse=True)[:limit]

    def others(self, scope: Scope, loose: Plan, keys: list[int], limit: int) -> bool:
        found = self.keys(scope, loose, limit)
        return bool(set(found[: len(keys)]) - set(keys)) or len(found) > len(keys)

    def others_later(self, scope: Scope, loose: Plan, keys: list[int], limit: int):
        answer = self.others(scope, loose, keys, limit)
        return lambda: answer

    def waiting(self, connection) -> list:
        return []

    def ranked(self, scope, plan, tiers, offset, limit, keys=None) -> list[int]:
        entries, average = len(self.rows), self.tokens / len(self.rows)
        idf, counted = [], phrases(plan)  # each name of an Either is a phrase of its own
        for match in counted:
            hits = sum(1 for row in self.rows if self._has(row[5], match))
            value = math.log((entries - hits + 0.5) / (hits + 0.5))
            idf.append(value if value > 0.0 else 1e-6)

        def order(row):
            score = 0.0
            for match, factor in zip(counted, idf, strict=True):
                f = sum(
                    WEIGHTS[c] * _occurrences(row[5], match.tokens, c) for c in self._columns(match)
                )
                score += factor * (
                    (f * (1.2 + 1.0)) / (f + 1.2 * (1 - 0.75 + 0.75 * row[6] / average))
                )
            flags = tuple(not all(self._has(row[5], m) for m in tier) for tier in tiers)
            return (*flags, -score, -row[0])

        ranked = sorted(self._found(scope, plan), key=order)
        return [id_of(row[0]) for row in ranked[offset : offset + limit]]


def test_results_follow_the_reference(archive, monkeypatch):
    ours = agree.answers()
    reference = Reference()
    monkeypatch.setattr(engine, "backend", lambda: reference)
    assert _differences(ours, agree.answers()) == []

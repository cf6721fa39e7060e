# PostgreSQL only (SQLite's FTS5 index already holds all of this): what makes a
# search on PostgreSQL cost what it costs on SQLite, and rank the same rows in
# the same order (cangxanh/search/backends.py reads it).
#
# - meta_tsv: the facets FTS5 has (l_vi, s_3, k__news) and the entry's time
#   slice (w856: the key's time in slices of 2^21 seconds, about 24 days; x107:
#   eight of them; y13: 64), for every language and the row's own (w856_vi),
#   so that one GIN scan finds the newest matches of a language in the last
#   few slices without reading the older ones.
# - one GIN index over meta_tsv and the four vectors instead of four: a search's
#   conditions are one index scan, led by its rarest word or slice.
# - folded_tsv weighs each position by where it stands and whether the word had
#   marks (A title, C title with marks, B body, D body with marks): with
#   fts_length (FTS5's token count of the row) and search_totals (rows and
#   tokens of the whole index, kept by statement triggers as FTS5 keeps them),
#   that is everything bm25 needs.
# - title_tsv: the title's words alone, small and kept in the row, so that "the
#   words are in the title" costs no read of the large vectors.

from django.db import migrations

FOLDED = r"""CREATE FUNCTION search_folded_tsvector(title text, body text, exact text, size integer)
    RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        -- title ¶ lead ¶ body position by position beside the exact words (the
        -- positions of search_tsvector(title) || search_tsvector(body, gap 1));
        -- size: the title's words.
        SELECT coalesce(string_agg(
            '''' || f || ''':' || n::text || CASE
                WHEN n <= size THEN CASE WHEN f = x THEN 'A' ELSE 'C' END
                ELSE CASE WHEN f = x THEN 'B' ELSE 'D' END
            END, ' ')::tsvector, ''::tsvector)
        FROM unnest(
            string_to_array(CASE WHEN title = '' THEN '¶ ' ELSE title || ' ¶ ' END || body, ' '),
            string_to_array(exact, ' ')
        ) WITH ORDINALITY AS t(f, x, n)
        WHERE f <> '' AND f <> '¶' AND strpos(f, '''') = 0 AND strpos(f, '\') = 0
    $$"""
COUNT = """CREATE FUNCTION search_token_count(words text)
    RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE WHEN words = '' THEN 0
            ELSE length(words) - length(replace(words, ' ', '')) + 1 END
    $$"""
# FTS5's ascii tokenizer splits on spaces only here, and ¶ is a token to it.
LENGTH = (
    "search_token_count(title) + search_token_count(body) + search_token_count(exact)"
    " + search_token_count(chars) + search_token_count(pairs)"
    " + 3 + (section_parent IS NOT NULL)::integer"
)
# Facets, and the time slice at three sizes (w: 2^21 seconds; x: eight of them; y:
# 64), for every language and for the row's own (w856_vi).
META = (
    "array_to_tsvector(ARRAY['l_' || replace(language, '-', ''), 's_' || section::text,"
    " 'k__' || coalesce(kind, 'news'),"
    " 'w' || (key >> 45)::text, 'x' || (key >> 48)::text, 'y' || (key >> 51)::text,"
    " 'w' || (key >> 45)::text || '_' || replace(language, '-', ''),"
    " 'x' || (key >> 48)::text || '_' || replace(language, '-', ''),"
    " 'y' || (key >> 51)::text || '_' || replace(language, '-', '')]"
    " || CASE WHEN section_parent IS NULL THEN '{}'::text[]"
    " ELSE ARRAY['s_' || section_parent::text] END)"
)
TOTALS = [
    """CREATE TABLE search_totals (
        id integer PRIMARY KEY CHECK (id = 1),
        entries bigint NOT NULL,
        tokens bigint NOT NULL,
        generation bigint NOT NULL
    )""",
    # Never reused, not even after a rollback: a process's cached document
    # frequencies are only ever for the index as it stood at that generation.
    "CREATE SEQUENCE search_generation",
    """INSERT INTO search_totals
        SELECT 1, count(*), coalesce(sum(fts_length), 0), nextval('search_generation')
        FROM search_searchentry""",
    """CREATE FUNCTION search_totals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_totals SET entries = entries + (SELECT count(*) FROM new_rows),
            tokens = tokens + (SELECT coalesce(sum(fts_length), 0) FROM new_rows),
            generation = nextval('search_generation');
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_totals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_totals SET entries = entries - (SELECT count(*) FROM old_rows),
            tokens = tokens - (SELECT coalesce(sum(fts_length), 0) FROM old_rows),
            generation = nextval('search_generation');
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_totals_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_totals SET
            tokens = tokens + (SELECT coalesce(sum(fts_length), 0) FROM new_rows)
                - (SELECT coalesce(sum(fts_length), 0) FROM old_rows),
            generation = nextval('search_generation');
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_totals SET entries = 0, tokens = 0,
            generation = nextval('search_generation');
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_totals_insert AFTER INSERT ON search_searchentry
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_totals_insert()""",
    """CREATE TRIGGER search_totals_delete AFTER DELETE ON search_searchentry
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_totals_delete()""",
    """CREATE TRIGGER search_totals_update AFTER UPDATE ON search_searchentry
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_totals_update()""",
    """CREATE TRIGGER search_totals_truncate AFTER TRUNCATE ON search_searchentry
        FOR EACH STATEMENT EXECUTE FUNCTION search_totals_truncate()""",
]

POSTGRESQL_FORWARD = [
    "DROP INDEX IF EXISTS search_pairs_gin",
    "DROP INDEX IF EXISTS search_chars_gin",
    "DROP INDEX IF EXISTS search_exact_gin",
    "DROP INDEX IF EXISTS search_folded_gin",
    FOLDED,
    COUNT,
    "ALTER TABLE search_searchentry DROP COLUMN folded_tsv",
    f"""ALTER TABLE search_searchentry
        ADD COLUMN folded_tsv tsvector GENERATED ALWAYS AS
            (search_folded_tsvector(title, body, exact, search_token_count(title))) STORED,
        ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS
            (search_tsvector(title, 'D', 0)) STORED,
        ADD COLUMN meta_tsv tsvector GENERATED ALWAYS AS ({META}) STORED,
        ADD COLUMN fts_length integer GENERATED ALWAYS AS ({LENGTH}) STORED,
        -- A few hundred bytes at most (a title is 300 characters): kept in the
        -- row, set before the table is written again with the new columns.
        ALTER COLUMN meta_tsv SET STORAGE PLAIN,
        ALTER COLUMN title_tsv SET STORAGE PLAIN""",
    # A small pending list: bulk inserts still go in batches, and a search never
    # reads more than a few pages of entries not yet merged into the index.
    """CREATE INDEX search_gin ON search_searchentry
        USING gin (meta_tsv, folded_tsv, exact_tsv, pairs_tsv, chars_tsv)
        WITH (gin_pending_list_limit = 256)""",
    *TOTALS,
    "ANALYZE search_searchentry",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_totals_truncate ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_totals_update ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_totals_delete ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_totals_insert ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_totals_truncate()",
    "DROP FUNCTION IF EXISTS search_totals_update()",
    "DROP FUNCTION IF EXISTS search_totals_delete()",
    "DROP FUNCTION IF EXISTS search_totals_insert()",
    "DROP TABLE IF EXISTS search_totals",
    "DROP SEQUENCE IF EXISTS search_generation",
    "DROP INDEX IF EXISTS search_gin",
    """ALTER TABLE search_searchentry DROP COLUMN IF EXISTS fts_length,
        DROP COLUMN IF EXISTS meta_tsv, DROP COLUMN IF EXISTS title_tsv,
        DROP COLUMN IF EXISTS folded_tsv""",
    """ALTER TABLE search_searchentry ADD COLUMN folded_tsv tsvector GENERATED ALWAYS AS
        (search_tsvector(title, 'A', 0) || search_tsvector(body, 'B', 1)) STORED""",
    "DROP FUNCTION IF EXISTS search_token_count(text)",
    "DROP FUNCTION IF EXISTS search_folded_tsvector(text, text, text, integer)",
    "CREATE INDEX search_folded_gin ON search_searchentry USING gin (folded_tsv)",
    "CREATE INDEX search_exact_gin ON search_searchentry USING gin (exact_tsv)",
    "CREATE INDEX search_chars_gin ON search_searchentry USING gin (chars_tsv)",
    "CREATE INDEX search_pairs_gin ON search_searchentry USING gin (pairs_tsv)",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_kind"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]

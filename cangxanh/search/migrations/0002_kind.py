# The kind of content (news.kinds) beside language and section, as a column and,
# on SQLite, as a facet token of the full-text index (k__news, k__document).
#
# SQLite: the column is nullable, so it is added with ALTER TABLE and the table
# (with its triggers) stays. The triggers are made again with the new facets,
# and the index is filled again from the entries, so old entries carry k__news
# like new ones. PostgreSQL filters on the column itself.

from django.db import migrations, models

_OLD_FACETS = (
    "'l_' || replace({row}.language, '-', '') || ' s_' || {row}.section"
    " || coalesce(' s_' || {row}.section_parent, '')"
)
_FACETS = _OLD_FACETS + " || ' k__' || coalesce({row}.kind, 'news')"
_COLUMNS = "title, body, exact, chars, pairs, facets"


def _sqlite(facets: str) -> list[str]:
    """Triggers with these facets, and the index filled again from the entries."""
    insert = (
        f"INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES "
        "(new.key, new.title, new.body, new.exact, new.chars, new.pairs, "
        + facets.format(row="new")
        + ");"
    )
    delete = (
        f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) "
        "VALUES ('delete', old.key, old.title, old.body, old.exact, old.chars, old.pairs, "
        + facets.format(row="old")
        + ");"
    )
    return [
        "DROP TRIGGER IF EXISTS search_entry_update",
        "DROP TRIGGER IF EXISTS search_entry_delete",
        "DROP TRIGGER IF EXISTS search_entry_insert",
        "INSERT INTO search_fts(search_fts) VALUES ('delete-all')",
        f"INSERT INTO search_fts(rowid, {_COLUMNS}) SELECT key, title, body, exact, chars, "
        "pairs, " + facets.format(row="search_searchentry") + " FROM search_searchentry",
        f"CREATE TRIGGER search_entry_insert AFTER INSERT ON search_searchentry BEGIN {insert} END",
        f"CREATE TRIGGER search_entry_delete AFTER DELETE ON search_searchentry BEGIN {delete} END",
        "CREATE TRIGGER search_entry_update AFTER UPDATE ON search_searchentry "
        f"BEGIN {delete} {insert} END",
    ]


# Kinds first, while no trigger would see the update with the old facets.
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS search_entry_update",
    "UPDATE search_searchentry SET kind = 'news' WHERE kind IS NULL",
    *_sqlite(_FACETS),
]
# Back: the triggers go before the column (SQLite refuses to drop a column they
# name), and 0001's come back once it is gone.
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_update",
    "DROP TRIGGER IF EXISTS search_entry_delete",
    "DROP TRIGGER IF EXISTS search_entry_insert",
]
SQLITE_BACKWARD = _sqlite(_OLD_FACETS)
POSTGRESQL_FORWARD = [
    "UPDATE search_searchentry SET kind = 'news' WHERE kind IS NULL",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            migrations.RunPython.noop, _run({"sqlite": SQLITE_BACKWARD}), elidable=False
        ),
        migrations.AddField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(blank=True, max_length=20, null=True, verbose_name="kind"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_DROP}),
        ),
    ]

"""Backups: a consistent copy of a serving site, and its restore into an empty install.

A backup is a folder, `cangxanh-<UTC time>/`:

- `database.sqlite3`, made with SQLite's online backup API in one step: one
  read transaction, so one moment of the database, while the workers keep
  reading and writing (WAL); or `database.pgdump`, `pg_dump`'s custom format,
  taken from a snapshot that the manifest's migrations and row counts are read
  from too;
- `media/` and `originals/`: the files of the two storages (MEDIA_ROOT and
  ORIGINALS_ROOT) when they are folders; a storage in a bucket is left to the
  bucket's own versioning, and the manifest says so;
- `manifest.json`: the SHA-256 of every other file, the release, the database
  engine, the applied migrations, the time, and the rows of every table.

The database is copied first and the files after it: a picture saved in
between is a file more, never a row without its file (files are not deleted
when pictures are). Not in a backup: the secret key (a secret, and nothing
stored depends on it), the content version (a counter that only retires
cached pages) and collected static files (made again from the code).

Restoring checks everything before it changes anything: every checksum, the
engine, that this code knows every migration, and that the install is empty.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from . import mapped

FORMAT = 1
MANIFEST = "manifest.json"
# The storages a backup holds, under the folder it keeps each in.
FOLDERS = {"default": "media", "originals": "originals", "documents": "documents"}
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Rows `migrate` writes into every new install: their presence is no content.
MADE_BY_MIGRATE = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
}
CHUNK = 1024 * 1024

Progress = Callable[[Iterable, int], Iterable]


class BackupError(Exception):
    """What stops a backup or a restore, said so that an operator knows what to do."""


@dataclass
class Written:
    folder: Path
    files: int
    bytes: int
    vanished: list[str] = field(default_factory=list)  # deleted while being copied
    skipped: list[str] = field(default_factory=list)  # storages in buckets


@dataclass
class Restored:
    manifest: dict
    files: int
    migrated: int = 0  # migrations of this release the backup lacked
    skipped: list[str] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC)


def _release() -> dict:
    try:
        version = metadata.version("cangxanh")
    except metadata.PackageNotFoundError:
        version = ""
    return {"version": version, "name": settings.RELEASE, "django": django.get_version()}


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _copy(source: Path, target: Path) -> tuple[str, int]:
    """Copy one file; the SHA-256 and the size of the bytes written (read once)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sha, size = hashlib.sha256(), 0
    with open(source, "rb") as reading, open(target, "wb") as writing:
        while chunk := reading.read(CHUNK):
            sha.update(chunk)
            writing.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return sha.hexdigest(), size


def _folder_of(storage) -> Path | None:
    """The folder a storage keeps its files in, or None for a bucket."""
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _describe(storage) -> str:
    kind = f"{type(storage).__module__}.{type(storage).__qualname__}"
    bucket = getattr(storage, "bucket_name", "")
    return f"{kind} {bucket}".strip()


def _files_under(root: Path) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(root):
        for name in names:
            yield Path(folder, name)


def _engine() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


# The database ------------------------------------------------------------------------


def _pg_environment() -> dict:
    """libpq's variables for pg_dump, pg_restore and psql: no password on a command line."""
    config = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGDATABASE", config["NAME"]),
        ("PGUSER", config["USER"]),
        ("PGPASSWORD", config["PASSWORD"]),
        ("PGHOST", config["HOST"]),
        ("PGPORT", config["PORT"]),
    ):
        if value:
            env[variable] = str(value)
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if config.get("OPTIONS", {}).get(option):
            env[variable] = str(config["OPTIONS"][option])
    return env


def _start(command: list[str], **kwargs) -> subprocess.Popen:
    try:
        return subprocess.Popen(command, env=_pg_environment(), **kwargs)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs "
            "(Debian: postgresql-client) of the server's major version or later."
        ) from exc


def _wait(process: subprocess.Popen, errors) -> None:
    if process.wait():
        errors.seek(0)
        said = errors.read().decode(errors="replace").strip()
        raise BackupError(f"{process.args[0]} failed: {said}")


def _run(command: list[str], **kwargs) -> None:
    with tempfile.TemporaryFile() as errors:
        _wait(_start(command, stdout=subprocess.DEVNULL, stderr=errors, **kwargs), errors)


def _counts(cursor, tables: Iterable[str]) -> dict[str, int]:
    rows = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        rows[table] = cursor.fetchone()[0]
    return rows


def _sqlite_dump(target: Path) -> dict:
    """Copy the database in one step of the online backup API, and describe the copy."""
    connection.ensure_connection()
    try:
        with closing(sqlite3.connect(target)) as copy:
            # One step (pages=-1) is one read transaction: one moment of the database,
            # while other processes go on writing to the write-ahead log.
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"The copy of the database failed SQLite's check: {check}")
            tables = [
                name
                for (name,) in copy.execute(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            rows = {
                table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in sorted(tables)
            }
            migrations = copy.execute(
                "SELECT app, name FROM django_migrations ORDER BY id"
            ).fetchall()
            version = copy.execute("SELECT sqlite_version()").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"The database could not be copied: {exc}") from exc
    return {"version": version, "migrations": migrations, "rows": rows}


def _postgresql_dump(target: Path) -> dict:
    """pg_dump from a snapshot, and the migrations and row counts of that same snapshot."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        # The snapshot lives as long as this transaction: pg_dump runs inside it.
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = cursor.fetchall()
        rows = _counts(cursor, connection.introspection.table_names(cursor))
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {"version": version, "migrations": migrations, "rows": rows}


def _postgresql_clear_sql(cursor) -> str:
    """Statements that remove every table, view, sequence and function of our schema."""
    quote = connection.ops.quote_name
    statements = []
    cursor.execute("SELECT viewname FROM pg_views WHERE schemaname = current_schema()")
    statements += [f"DROP VIEW IF EXISTS {quote(n)} CASCADE;" for (n,) in cursor.fetchall()]
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    statements += [f"DROP TABLE IF EXISTS {quote(n)} CASCADE;" for (n,) in cursor.fetchall()]
    cursor.execute(
        "SELECT sequence_name FROM information_schema.sequences "
        "WHERE sequence_schema = current_schema()"
    )
    statements += [f"DROP SEQUENCE IF EXISTS {quote(n)} CASCADE;" for (n,) in cursor.fetchall()]
    cursor.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p "
        "WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS "
        "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
    )
    statements += [f"DROP FUNCTION IF EXISTS {n} CASCADE;" for (n,) in cursor.fetchall()]
    return "\n".join(statements)


def _postgresql_load(dump: Path) -> None:
    """Replace the database's schema with the dump's, in one transaction: a failed
    restore leaves the database as it was."""
    with connection.cursor() as cursor:
        clear = _postgresql_clear_sql(cursor)
    connection.close()
    command = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction"]
    if clear:
        command.append(f"--command={clear}")
    # pg_restore writes the dump as SQL into psql, which runs it after the clearing
    # statements, all in one transaction; nothing is held in memory here.
    with tempfile.TemporaryFile() as errors:
        script = _start(
            ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        try:
            _run([*command, "--file=-"], stdin=script.stdout)
        finally:
            script.stdout.close()
            script.wait()
        _wait(script, errors)


def _sqlite_load(copy: Path) -> None:
    """Copy the backup's database into this install's file with the online backup API:
    one write transaction, so a failure leaves the file as it was."""
    connection.ensure_connection()
    try:
        with closing(sqlite3.connect(copy)) as source:
            source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"The database could not be restored ({exc}); it is unchanged.") from exc
    finally:
        connection.close()  # no schema remembered from before


# Backup ------------------------------------------------------------------------------


def _storages() -> list[tuple[str, Path | None, object]]:
    """(folder in the backup, folder on disk or None for a bucket, storage) of each."""
    return [
        (folder, _folder_of(storages[alias]), storages[alias])
        for alias, folder in FOLDERS.items()
        # Every install configures them all (settings.py); a test's settings may not.
        if alias in settings.STORAGES
    ]


def backup_write(*, into: Path, progress: Progress | None = None) -> Written:
    """Write a backup of this install into a new folder inside `into`."""
    engine = _engine()
    into = Path(into).resolve()
    kept = _storages()
    for _folder, root, _storage in kept:
        if root is not None and into.is_relative_to(root.resolve()):
            raise BackupError(
                f"{into} is inside {root}, which the backup copies: write backups elsewhere."
            )
    started = _now()
    name = f"cangxanh-{started:%Y%m%dT%H%M%SZ}"
    final = into / name
    if final.exists():
        raise BackupError(f"{final} exists already: wait a second and try again.")
    into.mkdir(parents=True, exist_ok=True)
    # Written under a hidden name and renamed once complete: a folder named
    # cangxanh-… is always a whole backup, never one a crash cut short.
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=into))
    try:
        database_file = DATABASE_FILES[engine]
        dump = _sqlite_dump if engine == "sqlite" else _postgresql_dump
        described = dump(work / database_file)
        files = {database_file: _digest(work / database_file)}
        written = Written(folder=final, files=0, bytes=(work / database_file).stat().st_size)

        storage_notes = {}
        pending = []
        for folder, root, storage in kept:
            if root is None:
                why = (
                    f"{_describe(storage)} is not a folder: it is not in this backup; "
                    "keep it with the bucket's own versioning and replication "
                    "(docs/operations.md, Backups)."
                )
                storage_notes[folder] = {
                    "included": False,
                    "storage": _describe(storage),
                    "why": why,
                }
                written.skipped.append(why)
                continue
            storage_notes[folder] = {"included": True, "root": str(root)}
            if root.is_dir():
                pending += [(folder, root, path) for path in sorted(_files_under(root))]
        items = progress(pending, len(pending)) if progress else pending
        for folder, root, path in items:
            relative = path.relative_to(root).as_posix()
            key = f"{folder}/{relative}"
            try:
                files[key], size = _copy(path, work / folder / relative)
            except FileNotFoundError:
                written.vanished.append(key)  # deleted since the walk: no longer wanted
                continue
            written.files += 1
            written.bytes += size

        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "release": _release(),
            "database": {
                "engine": engine,
                "server_version": described["version"],
                "file": database_file,
            },
            "migrations": [f"{app}.{migration}" for app, migration in described["migrations"]],
            "rows": described["rows"],
            "storages": storage_notes,
            "not_included": {
                "secret key": "not copied: a secret; production reads SECRET_KEY from its "
                "environment, kept apart from backups",
                "content version": "not copied: a restore moves the install's own version on",
                "static files": "not copied: collectstatic makes them from the code",
            },
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _remember(final, manifest["created_at"], written)
    return written


LAST_BACKUP = "last-backup.json"  # in VAR_DIR: what the compliance page reports


def _remember(folder: Path, created_at: str, written: Written) -> None:
    record = {
        "folder": str(folder),
        "created_at": created_at,
        "files": written.files,
        "bytes": written.bytes,
    }
    path = Path(settings.VAR_DIR) / LAST_BACKUP
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(record, ensure_ascii=False) + "\n")
    partial.replace(path)


def last_backup() -> dict | None:
    """The last backup this server wrote (folder, created_at, files, bytes), or None."""
    try:
        return json.loads((Path(settings.VAR_DIR) / LAST_BACKUP).read_text())
    except (FileNotFoundError, ValueError):
        return None


# Restore -----------------------------------------------------------------------------


def backup_read(folder: Path) -> dict:
    """The manifest of the backup in `folder`, once every file in it checks out."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} is not a cangxanh backup: it has no {MANIFEST}.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(
            f"The backup is damaged: {folder / MANIFEST} is not JSON ({exc}). Nothing was restored."
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{folder / MANIFEST} is not a backup this release can read (format {FORMAT})."
        )
    try:
        complete = manifest["database"]["file"] in manifest["files"] and all(
            isinstance(manifest[key], kind)
            for key, kind in (("files", dict), ("migrations", list), ("storages", dict))
        )
    except (KeyError, TypeError):
        complete = False
    if not complete:
        raise BackupError(
            f"The backup is damaged: parts of {folder / MANIFEST} are missing. "
            "Nothing was restored."
        )
    for name, expected in manifest["files"].items():
        path = folder / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise BackupError(f"{folder / MANIFEST} names a file outside the backup: {name}")
        if not path.is_file():
            raise BackupError(f"The backup is damaged: {path} is missing. Nothing was restored.")
        if _digest(path) != expected:
            raise BackupError(
                f"The backup is damaged: {path} does not match its checksum. Nothing was restored."
            )
    return manifest


def _unknown_migrations(manifest: dict) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [label for label in manifest["migrations"] if tuple(label.split(".", 1)) not in known]


def install_content() -> list[str]:
    """What this install already holds: the tables with rows (besides what `migrate`
    writes) and the storage folders with files. Empty for a new install."""
    tables, folders = [], []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        candidates = {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower not in MADE_BY_MIGRATE
        }
        for table in sorted(candidates & existing):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                tables.append(table)
    for _folder, root, _storage in _storages():
        if root is not None and root.is_dir() and next(_files_under(root), None):
            folders.append(str(root))
    found = []
    if tables:
        more = f" and {len(tables) - 6} more" if len(tables) > 6 else ""
        found.append(f"rows in {len(tables)} tables: {', '.join(tables[:6])}{more}")
    found += [f"files in {folder}" for folder in folders]
    return found


def backup_restore(
    *, folder: Path, force: bool = False, progress: Progress | None = None
) -> Restored:
    """Bring the backup in `folder` into this install, once it has all been checked."""
    folder = Path(folder)
    manifest = backup_read(folder)
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"This backup holds a {manifest['database']['engine']} database and this install "
            f"uses {engine}: restore it into an install with the same database engine."
        )
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            "This backup was made by a newer release: this code does not know its migrations "
            f"{', '.join(unknown)}. Install that release (or a later one) and restore again."
        )
    if not force:
        content = install_content()
        if content:
            raise BackupError(
                "This install is not empty (" + "; ".join(content) + "). A restore "
                "replaces its database: restore into a new install, or add --force to "
                "replace this one's content."
            )

    database = folder / manifest["database"]["file"]
    if engine == "sqlite":
        _sqlite_load(database)
    else:
        _postgresql_load(database)

    restored = Restored(manifest=manifest, files=0)
    kept = _storages()
    pending = []
    for name, root, storage in kept:
        note = manifest["storages"].get(name, {})
        if not note.get("included"):
            restored.skipped.append(f"{name}: not in the backup ({note.get('why', '')})")
            continue
        if root is None:
            restored.skipped.append(
                f"{name}: this install keeps it in {_describe(storage)}; copy {folder / name} "
                "there with the bucket's tools (aws s3 sync, rclone)"
            )
            continue
        prefix = f"{name}/"
        pending += [
            (key, root / key.removeprefix(prefix))
            for key in manifest["files"]
            if key.startswith(prefix)
        ]
    items = progress(pending, len(pending)) if progress else pending
    for key, target in items:
        _copy(folder / key, target)
        restored.files += 1

    # A backup of an older release is brought forward, after its files are in place
    # (a migration may move them). Otherwise nothing runs: rows stay as they were.
    executor = MigrationExecutor(connection)
    restored.migrated = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if restored.migrated:
        call_command("migrate", interactive=False, verbosity=0)
    # The machine's shared tables (running view totals, readers seen, search limits)
    # describe the site before the restore: its totals may be above the restored counts,
    # and shown counts never go down. The site is stopped (docs/operations.md): start afresh.
    shutil.rmtree(mapped.folder(), ignore_errors=True)
    # Every page cached before, in every process, is retired (the `purge` command,
    # by name: the content version belongs to a room above this one).
    call_command("purge", stdout=io.StringIO())
    return restored

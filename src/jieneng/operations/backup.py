"""Backups that restore exactly: the database, the kept files and a manifest to check them by.

A backup is a folder:

- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite's online backup);
- ``uploads/`` (each import's file and full report) and ``boundaries/`` (the map files), when present;
- ``manifest.json``, written last: the database engine, the migrations applied, every table's row
  count, the sums of the statistics store's figures (kgce, water, cost, … of every table of
  ``jieneng.statistics``) and the SHA-256 of every file of the backup.

The counts and sums are those of the copied database itself: on SQLite they are read from the copy, on
PostgreSQL in the transaction whose snapshot ``pg_dump --snapshot`` copies, so the manifest describes
exactly what the dump holds even while the site keeps writing. :func:`restore` checks every file
against the manifest first, refuses an installation that holds data, restores, and checks the counts,
the sums and the restored files again.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from jieneng import __version__, config

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
#: rows that a fresh installation holds already (migrate writes them; a worker beats), or that change
#: under a running worker: not "data" when checking that an installation is empty, and not compared
HOUSEKEEPING = {"django_migrations", "django_content_type", "auth_permission", "operations_workerheartbeat"}
UNCOMPARED = {"operations_workerheartbeat"}
ROLLUP_APP = "statistics"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in the user's language."""


@dataclass(frozen=True)
class Census:
    """Row counts by table and the sums of the statistics figures (``table.column`` → text)."""

    tables: dict[str, int]
    sums: dict[str, str]


# --- reading a database -------------------------------------------------------------------------------


def figure_columns() -> list[tuple[str, str]]:
    """(table, column) of every number of the statistics store that a roll-up adds up."""
    found: list[tuple[str, str]] = []
    for model in apps.get_app_config(ROLLUP_APP).get_models():
        for item in model._meta.concrete_fields:
            summed = isinstance(item, models.FloatField | models.DecimalField)
            if (summed or type(item) is models.IntegerField) and item.column:
                found.append((model._meta.db_table, item.column))
    return sorted(found)


def _total(values: Iterable[Any]) -> str:
    """The exact sum as text: Decimals added exactly, floats with ``math.fsum`` (the same whatever the
    order of the rows, which a restore need not keep)."""
    decimals: list[Decimal] = []
    floats: list[float] = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, Decimal):
            decimals.append(value)
        else:
            floats.append(float(value))
    if decimals and not floats:
        return str(sum(decimals, Decimal(0)))
    return repr(math.fsum([*floats, *map(float, decimals)]))


def census(cursor: Any, tables: Sequence[str], quote: Callable[[str], str]) -> Census:
    """Counts and sums through a DB-API ``cursor`` (Django's or sqlite3's)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    sums = {}
    for table, column in figure_columns():
        if table in counts:
            cursor.execute(f"SELECT {quote(column)} FROM {quote(table)}")  # noqa: S608 - model names
            sums[f"{table}.{column}"] = _total(row[0] for row in cursor.fetchall())
    return Census(counts, sums)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in cursor.fetchall()]


def live_census(connection: BaseDatabaseWrapper) -> Census:
    """The census of the database behind ``connection``, as it is now."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return census(cursor, tables, connection.ops.quote_name)


def applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


# --- files --------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_of(folder: Path) -> dict[str, str]:
    """``relative/posix/path`` → SHA-256 of every file under ``folder`` (the manifest excepted)."""
    return {
        path.relative_to(folder).as_posix(): sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST
    }


def kept_folders() -> dict[str, Path]:
    """The folders of the installation that a backup holds, by their name in the backup."""
    boundaries = config.current().boundaries_dir
    assert boundaries is not None  # set from the data dir when the settings were made
    return {"uploads": Path(settings.UPLOADS_DIR), "boundaries": boundaries}


def _empty_folder(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


# --- PostgreSQL's programs ----------------------------------------------------------------------------


def pg_program(name: str) -> str:
    bindir = config.current().pg_bindir
    found = str(bindir / name) if bindir else shutil.which(name)
    if not found or not Path(found).is_file():
        raise BackupError(
            _("%(program)s was not found: install PostgreSQL's client programs or set JIENENG_PG_BINDIR.")
            % {"program": name}
        )
    return found


def pg_environ(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The connection's parameters as libpq's variables (the password stays out of the process list)."""
    values = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(values["NAME"])}
    for key, variable in (
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if values.get(key):
            env[variable] = str(values[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(command[0]).name, "error": done.stderr.strip()}
        )


# --- backup -------------------------------------------------------------------------------------------


def backup(target: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup into the new or empty folder ``target``; its manifest."""
    if not _empty_folder(target):
        raise BackupError(
            _("%(folder)s is not empty: a backup goes into a new or empty folder.") % {"folder": target}
        )
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    if connection.vendor == "sqlite":
        engine, counted = "sqlite", _backup_sqlite(connection, target / SQLITE_FILE)
    elif connection.vendor == "postgresql":
        engine, counted = "postgresql", _backup_postgresql(connection, target / PG_FILE)
    else:
        raise BackupError(_("Backups are made of SQLite and PostgreSQL databases only."))
    for name, folder in kept_folders().items():
        if folder.is_dir() and any(folder.iterdir()):
            shutil.copytree(folder, target / name, symlinks=False)
    manifest = {
        "format": FORMAT,
        "jieneng": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "migrations": applied_migrations(connection),
        "tables": counted.tables,
        "sums": counted.sums,
        "files": files_of(target),
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    (target / MANIFEST).write_text(text + "\n", encoding="utf-8")
    return manifest


def _backup_sqlite(connection: BaseDatabaseWrapper, copy: Path) -> Census:
    """SQLite's online backup: a consistent copy page by page while others may write; counted from the
    copy itself."""
    connection.ensure_connection()
    source = connection.connection
    with sqlite3.connect(copy) as out:
        source.backup(out)
    reader = sqlite3.connect(copy)
    try:
        cursor = reader.cursor()
        return census(cursor, _sqlite_tables(cursor), _quote)
    finally:
        reader.close()


def _backup_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> Census:
    """``pg_dump -Fc`` of the snapshot that the counts and sums are read in."""
    program = pg_program("pg_dump")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counted = census(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)
        _run([program, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"], pg_environ(connection))
    return counted


# --- restore ------------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("%(folder)s holds no readable manifest.json: it is not a complete backup.") % {"folder": source}
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(folder)s is a backup of an unknown format.") % {"folder": source})
    return manifest


def verify_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists, with its checksum, and no other."""
    found, listed = files_of(source), manifest["files"]
    damaged = sorted(name for name in listed.keys() | found.keys() if listed.get(name) != found.get(name))
    if damaged:
        raise BackupError(
            _(
                "The backup is damaged: %(count)s files are missing, changed or not in its manifest "
                "(%(first)s)."
            )
            % {"count": len(damaged), "first": ", ".join(damaged[:5])}
        )


def data_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables of ``connection`` that hold data (beyond what ``migrate`` writes)."""
    full = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in HOUSEKEEPING:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                full.append(table)
    return full


def restore(source: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Restore the backup in ``source`` into this installation, which must hold no data; the manifest.

    Checks the backup's files first and the restored database and files after."""
    manifest = read_manifest(source)
    verify_files(source, manifest)
    connection = connections[using]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; this installation uses %(here)s.")
            % {"backup": manifest["engine"], "here": connection.vendor}
        )
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            _("This backup was made by a newer release (migration %(name)s): install it, then restore.")
            % {"name": unknown[0]}
        )
    full = data_tables(connection)
    folders = kept_folders()
    full += [
        str(path) for name, path in folders.items() if (source / name).exists() and not _empty_folder(path)
    ]
    if full:
        raise BackupError(
            _("This installation is not empty (%(what)s): a backup is restored only into an empty one.")
            % {"what": ", ".join(full[:5])}
        )
    if connection.vendor == "sqlite":
        _restore_sqlite(connection, source / SQLITE_FILE)
    else:
        _restore_postgresql(connection, source / PG_FILE)
    for name, folder in folders.items():
        if (source / name).is_dir():
            shutil.copytree(source / name, folder, dirs_exist_ok=True)
    verify_restored(connection, manifest, folders)
    return manifest


def _restore_sqlite(connection: BaseDatabaseWrapper, copy: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(copy) as source:
        source.backup(connection.connection)
    connection.close()


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    program = pg_program("pg_restore")
    env = pg_environ(connection)
    connection.close()
    command = [program, "--no-owner", "--no-acl", "--clean", "--if-exists", "--single-transaction"]
    _run([*command, "--exit-on-error", f"--dbname={env['PGDATABASE']}", str(dump)], env)


def verify_restored(
    connection: BaseDatabaseWrapper, manifest: dict[str, Any], folders: dict[str, Path]
) -> None:
    """The restored database's counts and sums, and the restored files, against the manifest."""
    now = live_census(connection)
    expected = {t: n for t, n in manifest["tables"].items() if t not in UNCOMPARED}
    got = {t: n for t, n in now.tables.items() if t not in UNCOMPARED}
    differ = sorted(t for t in expected.keys() | got.keys() if expected.get(t) != got.get(t))
    differ += sorted(s for s in manifest["sums"] if manifest["sums"][s] != now.sums.get(s))
    for name, folder in folders.items():
        prefix = f"{name}/"
        listed = {k[len(prefix) :]: v for k, v in manifest["files"].items() if k.startswith(prefix)}
        restored = files_of(folder) if listed else {}
        differ += sorted(prefix + k for k in listed if restored.get(k) != listed[k])
    if differ:
        raise BackupError(
            _("The restored installation differs from the backup's manifest: %(what)s.")
            % {"what": ", ".join(differ[:5])}
        )

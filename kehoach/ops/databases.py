"""Copying the configured database out to a file and back, one function pair per vendor.

SQLite goes through the online backup API: a single step reads every page inside one read
transaction, so the copy is a consistent snapshot even while the web process and the worker
write (WAL keeps them writing meanwhile). PostgreSQL goes through pg_dump, which works from
one repeatable-read snapshot, and pg_restore in a single transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

SUPPORTED = ("sqlite", "postgresql")
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables that `migrate` fills by itself: rows there do not make a database "in use".
BOOKKEEPING_MODELS = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


def vendor_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in SUPPORTED:
        raise BackupError(
            _("Database type %(vendor)s is not supported: only SQLite and PostgreSQL.")
            % {"vendor": vendor}
        )
    return vendor


def dump(alias: str, target: Path) -> None:
    connection = connections[alias]
    if vendor_of(alias) == "sqlite":
        _dump_sqlite(connection.settings_dict, target)
    else:
        _run_pg("pg_dump", connection.settings_dict, "--format=custom", f"--file={target}")


def load(alias: str, source: Path) -> None:
    """Replaces the whole database with the dump; the caller has decided it may."""
    connection = connections[alias]
    vendor = vendor_of(alias)
    settings_dict = dict(connection.settings_dict)
    if vendor == "sqlite":
        check_sqlite_file(source)
        # Our own open connection would hold locks the copy has to wait for.
        connections.close_all()
        _load_sqlite(settings_dict, source)
    else:
        _drop_all_tables(connection)
        connections.close_all()
        _run_pg(
            "pg_restore",
            settings_dict,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--clean",
            "--if-exists",
            f"--dbname={settings_dict['NAME']}",
            str(source),
        )


def holds_data(alias: str = "default") -> bool:
    """True when any table of an installed model holds a row (migrations' own rows aside)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.label_lower in BOOKKEEPING_MODELS or meta.db_table not in existing:
                continue
            if meta.proxy or not meta.managed:
                continue
            table = connection.ops.quote_name(meta.db_table)
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - quoted name
            if cursor.fetchone() is not None:
                return True
    return False


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def check_sqlite_file(path: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("The database in the archive cannot be read: %s") % exc) from exc
    if not result or result[0] != "ok":
        raise BackupError(_("The database in the archive is damaged: %s") % (result or ("?",))[0])


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # The test database lives in shared memory under a "file:" URI.
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=60)


def _dump_sqlite(settings_dict: dict[str, Any], target: Path) -> None:
    source = _sqlite_connect(str(settings_dict["NAME"]))
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # pages=-1: one step, one snapshot
        finally:
            copy.close()
    finally:
        source.close()


def _load_sqlite(settings_dict: dict[str, Any], source: Path) -> None:
    name = str(settings_dict["NAME"])
    if not name.startswith("file:"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target = _sqlite_connect(name)
        try:
            # The copy into the target is one write transaction: all of it or nothing.
            origin.backup(target)
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise BackupError(_("The database could not be restored: %s") % exc) from exc
    finally:
        origin.close()


def _drop_all_tables(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=False)
        if tables:
            names = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {names} CASCADE")


def pg_binary(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            _("%(program)s was not found: install the postgresql-client package.")
            % {"program": program}
        )
    return path


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    # Connection details go through the environment so the password never shows in `ps`.
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        pairs[var] = options.get(key)
    for var, value in pairs.items():
        if value not in (None, ""):
            env[var] = str(value)
    return env


def _run_pg(program: str, settings_dict: dict[str, Any], *args: str) -> None:
    command = [pg_binary(program), *args]
    if program == "pg_dump":
        command.append(str(settings_dict["NAME"]))
    done = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        command, env=_pg_env(settings_dict), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": program, "error": done.stderr.strip()[-2000:]}
        )

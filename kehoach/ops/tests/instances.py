"""Whole Kế hoạch instances for backup tests: their own database and MEDIA_ROOT, driven through
`manage.py` in subprocesses, on the vendor the test run uses (SQLite or PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def vendor() -> str:
    return connection.vendor


def require_pg_tools() -> None:
    """pg_dump is part of the product on PostgreSQL: missing it fails CI, elsewhere skips."""
    missing = [p for p in ("pg_dump", "pg_restore") if shutil.which(p) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed (apt-get install postgresql-client)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true that is a failure")
    pytest.skip(reason)


def _server() -> dict[str, Any]:
    s = connection.settings_dict
    return {
        "host": s.get("HOST") or "127.0.0.1",
        "port": str(s.get("PORT") or 5432),
        "user": s.get("USER") or "postgres",
        "password": s.get("PASSWORD") or "",
    }


def _admin_connection():
    import psycopg

    s = _server()
    return psycopg.connect(
        host=s["host"],
        port=s["port"],
        user=s["user"],
        password=s["password"] or None,
        dbname="postgres",
        autocommit=True,
    )


@dataclass
class Instance:
    root: Path
    name: str
    kind: str = field(default_factory=vendor)

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def sqlite_path(self) -> Path:
        return self.root / "kehoach.sqlite3"

    @property
    def url(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        s = _server()
        auth = quote(s["user"]) + (":" + quote(s["password"]) if s["password"] else "")
        return f"postgres://{auth}@{s['host']}:{s['port']}/{self.name}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media),
            TASK_BACKEND="immediate",
            DEBUG="true",
        )
        return env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(MANAGE), *args],
            env=self.env(),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, str(MANAGE), *args],
            env=self.env(),
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def connect(self):
        if self.kind == "sqlite":
            return sqlite3.connect(self.sqlite_path)
        import psycopg

        s = _server()
        return psycopg.connect(
            host=s["host"],
            port=s["port"],
            user=s["user"],
            password=s["password"] or None,
            dbname=self.name,
        )

    def query(self, sql: str) -> list[tuple]:
        db = self.connect()
        try:
            cursor = db.cursor()
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            db.close()

    def tables(self) -> list[str]:
        if self.kind == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        return [name for (name,) in self.query(sql)]

    def rows(self) -> dict[str, list[tuple]]:
        """Every row of every table, sorted; on PostgreSQL also where each sequence stands."""
        dump: dict[str, list[tuple]] = {}
        db = self.connect()
        try:
            cursor = db.cursor()
            for table in self.tables():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalogue
                dump[table] = sorted((tuple(r) for r in cursor.fetchall()), key=repr)
            if self.kind == "postgresql":
                cursor.execute(
                    "SELECT sequencename, last_value FROM pg_sequences "
                    "WHERE schemaname = 'public' ORDER BY 1"
                )
                dump["<sequences>"] = [tuple(r) for r in cursor.fetchall()]
        finally:
            db.close()
        return dump

    def files(self) -> dict[str, bytes]:
        if not self.media.is_dir():
            return {}
        return {
            p.relative_to(self.media).as_posix(): p.read_bytes()
            for p in sorted(self.media.rglob("*"))
            if p.is_file()
        }


class Instances:
    """Creates empty instances and removes their databases afterwards."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.created: list[Instance] = []

    def new(self) -> Instance:
        if vendor() == "postgresql":
            require_pg_tools()
        name = f"kehoach_restore_{uuid.uuid4().hex[:12]}"
        instance = Instance(root=self.base / name, name=name)
        instance.root.mkdir(parents=True)
        if instance.kind == "postgresql":
            with _admin_connection() as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
        self.created.append(instance)
        return instance

    def close(self) -> None:
        for instance in self.created:
            if instance.kind == "postgresql":
                with _admin_connection() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{instance.name}" WITH (FORCE)')

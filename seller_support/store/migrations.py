"""Versioned schema migrations. `PRAGMA user_version` records how many have run.

Append a new script to MIGRATIONS to change the schema; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: the case log
    """
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        text TEXT NOT NULL,
        category TEXT NOT NULL,
        marketplace TEXT NOT NULL,
        contact_method TEXT NOT NULL CHECK (contact_method IN ('case', 'phone', 'chat')),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replied', 'resolved')),
        case_id TEXT,
        filed_at TEXT NOT NULL,
        replied_at TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX cases_by_filed_at ON cases (filed_at DESC, id DESC);
    CREATE INDEX cases_by_market_status ON cases (marketplace, status, filed_at);
    """,
]


def _statements(script: str):
    """Split a script into complete statements (triggers with inner `;` stay whole)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:80]!r}")


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Run the migrations not yet applied, each in its own write transaction; returns the
    version. Safe to call on every open and from several processes at once: the version is
    re-read under the write lock, so a migration never runs twice."""
    for version, script in enumerate(MIGRATIONS, start=1):
        if schema_version(conn) >= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) < version:
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"the case database is at schema version {current}, newer than this backend "
            f"({len(MIGRATIONS)}); upgrade the backend"
        )
    return current

"""Versioned schema migrations. `PRAGMA user_version` records how many have run.

Append a new script to MIGRATIONS to change the schema; never edit one that has shipped.
Scripts may call `ssc_normalize(text)` and `ssc_words(text)` (`text.normalize`,
`text.words_of`), registered on every connection, and `ssc_followup_due(marketplace,
contact_method, filed_at)`, the domain's follow-up time of a stored case (UTC text or
NULL), given to `migrate` by whoever opens the store (it needs the rules).

`PRAGMA application_id` marks a file as ours (`APPLICATION_ID`, set by migration 2): the
store refuses to touch a file with another id, and adopts an unmarked one only when its
schema is exactly one that our migrations made before the mark (`adoptable`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .text import normalize, words_of

# (marketplace, contact_method, filed_at) -> the follow-up time, as the store keeps times.
SqlFollowupDue = Callable[[str, str, str], str | None]

# "SSC1" in ASCII: Seller Support Companion's case log (SQLite's header offset 68).
APPLICATION_ID = 0x53534331
# The first migration that sets APPLICATION_ID; files from before it have id 0.
MARKED_AT = 2

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
    # 2: the file is marked as ours; each case keeps the words of its text that the
    # duplicate check compares and, when it differs from the text, its NFKC normalisation
    # (NULL: the same as `text`); the check reads candidates by marketplace, category and
    # filing time; lists by status or marketplace alone, and follow-ups, page through an
    # index.
    f"""
    PRAGMA application_id = {APPLICATION_ID:d};
    ALTER TABLE cases ADD COLUMN normalized TEXT;
    ALTER TABLE cases ADD COLUMN words TEXT;
    UPDATE cases SET normalized = nullif(ssc_normalize(text), text), words = ssc_words(text);
    CREATE INDEX cases_open_by_market_category ON cases (marketplace, category, filed_at)
        WHERE status = 'open';
    CREATE INDEX cases_by_status ON cases (status, filed_at);
    CREATE INDEX cases_by_market ON cases (marketplace, filed_at);
    """,
    # 3: the category we suggested first when the case was filed (NULL: unknown, or the
    # seller reset what was learned); a case filed under another one is a correction the
    # classifier learns from, newest first.
    """
    ALTER TABLE cases ADD COLUMN suggested TEXT;
    CREATE INDEX cases_corrections ON cases (id DESC)
        WHERE suggested IS NOT NULL AND suggested != category;
    """,
    # 4: when the case, if unanswered, is due for a follow-up (NULL: never, e.g. phone
    # and chat): its reply_by when filed, peak-aware, worked out by the domain as the case
    # is stored (earlier cases here); follow-ups are read in due order through an index of
    # the open, unanswered cases that have one.
    """
    ALTER TABLE cases ADD COLUMN followup_due_at TEXT;
    UPDATE cases SET followup_due_at = ssc_followup_due(marketplace, contact_method, filed_at);
    CREATE INDEX cases_followup_due ON cases (followup_due_at)
        WHERE status = 'open' AND replied_at IS NULL AND followup_due_at IS NOT NULL;
    """,
    # 5: stores and people (for a team; NULL in a personal log): the store a case is for
    # (the seller account: Seller Central's merchant id, `mons_sel_mcid`, and its name)
    # and who filed it; the people who may use a team's log, each with the SHA-256 of
    # the token they were given (`postgres_migrations` has the same for PostgreSQL).
    """
    ALTER TABLE cases ADD COLUMN store_id TEXT;
    ALTER TABLE cases ADD COLUMN store_name TEXT;
    ALTER TABLE cases ADD COLUMN person TEXT;
    CREATE INDEX cases_by_store ON cases (store_id, filed_at) WHERE store_id IS NOT NULL;
    CREATE INDEX cases_by_person ON cases (person, filed_at) WHERE person IS NOT NULL;
    CREATE TABLE people (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
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


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("ssc_normalize", 1, normalize, deterministic=True)
    conn.create_function("ssc_words", 1, words_of, deterministic=True)


def schema_objects(conn: sqlite3.Connection) -> list[tuple]:
    """The schema's own tables, indexes, views and triggers (not SQLite's internal ones)."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
            " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"
        )
    ]


def schema_at(version: int) -> list[tuple]:
    """The schema objects our migrations make up to `version`, in a scratch database."""
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        register_functions(scratch)
        for script in MIGRATIONS[:version]:
            for statement in _statements(script):
                scratch.execute(statement)
        return schema_objects(scratch)
    finally:
        scratch.close()


def foreign_reason(conn: sqlite3.Connection) -> str | None:
    """Why the open database is not ours, or None when it is ours: marked with our
    APPLICATION_ID, empty (new), or unmarked with exactly the schema of one of our versions
    from before the mark (adopted: migration MARKED_AT marks it). Only reads."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return None
    if app_id != 0:
        return f"its application_id is {app_id:#010x}, ours is {APPLICATION_ID:#010x}"
    version = schema_version(conn)
    objects = schema_objects(conn)
    if not objects and version == 0:
        return None
    if 0 < version < MARKED_AT and objects == schema_at(version):
        return None
    names = ", ".join(sorted({name for kind, name, _, _ in objects if kind == "table"}))
    return (
        f"it has no application_id and its schema (version {version}, tables: "
        f"{names or 'none'}) is not one of ours"
    )


def _no_followup_due(marketplace: str, contact_method: str, filed_at: str) -> str | None:
    raise RuntimeError("stored cases need their follow-up time: open the store with the rules")


def migrate(conn: sqlite3.Connection, followup_due: SqlFollowupDue | None = None) -> int:
    """Run the migrations not yet applied, each in its own write transaction; returns the
    version. Safe to call on every open and from several processes at once: the version is
    re-read under the write lock, so a migration never runs twice. Without `followup_due`,
    a log with cases from before migration 4 cannot be migrated (a new one can)."""
    register_functions(conn)
    conn.create_function("ssc_followup_due", 3, followup_due or _no_followup_due)
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

"""The team log's schema on PostgreSQL: plain SQL migrations, versioned.

Why plain SQL and not Alembic: the schema is two tables, migrations only ever append, and
each is a few statements that a reviewer reads as they run; Alembic would bring SQLAlchemy
(its models, its autogenerate diffs) into a backend that talks to the database with a dozen
hand-written queries. `ssc_schema_migrations` records each version applied (our own name,
so a database shared with another application's `schema_migrations` is left alone).

Every backend process migrates when it opens the store. The whole run is one transaction
that first takes `pg_advisory_xact_lock(LOCK_KEY)`: processes starting together queue on
the lock and each later one finds the work done, so a migration runs once; DDL is
transactional in PostgreSQL, so a failed run leaves the schema as it was.

Append a new script to MIGRATIONS to change the schema; never edit one that has shipped.
A migration that must not hold locks for long (`CREATE INDEX CONCURRENTLY` on a big table)
cannot run in this transaction: give it its own step when one is needed.
"""

from __future__ import annotations

from .errors import CaseStoreError, bilingual
from .migrations import APPLICATION_ID

LOCK_KEY = APPLICATION_ID  # the advisory lock is per database: one key for our migrations

MIGRATIONS: list[str] = [
    # 1: the case log as SQLite's migrations 1 to 5 left it, with times as timestamptz;
    # the duplicate check reads candidates by marketplace, category and filing time, and
    # finds similar texts (pg_trgm's `%` on the stored words) and ids (LIKE on the words,
    # or the Amazon case id) through indexes; follow-ups in due order through an index of
    # the open, unanswered cases that have one.
    """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE cases (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        text text NOT NULL,
        category text NOT NULL,
        suggested text,
        marketplace text NOT NULL,
        contact_method text NOT NULL CHECK (contact_method IN ('case', 'phone', 'chat')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replied', 'resolved')),
        case_id text,
        filed_at timestamptz NOT NULL,
        replied_at timestamptz,
        updated_at timestamptz NOT NULL,
        normalized text,
        words text NOT NULL,
        followup_due_at timestamptz,
        store_id text,
        store_name text,
        person text
    );
    CREATE INDEX cases_by_filed_at ON cases (filed_at DESC, id DESC);
    CREATE INDEX cases_by_market ON cases (marketplace, filed_at DESC, id DESC);
    CREATE INDEX cases_by_status ON cases (status, filed_at DESC, id DESC);
    CREATE INDEX cases_by_store ON cases (store_id, filed_at DESC, id DESC)
        WHERE store_id IS NOT NULL;
    CREATE INDEX cases_by_person ON cases (person, filed_at DESC, id DESC)
        WHERE person IS NOT NULL;
    CREATE INDEX cases_open_by_market_category
        ON cases (marketplace, category, filed_at DESC, id DESC) WHERE status = 'open';
    CREATE INDEX cases_open_by_market ON cases (marketplace, filed_at DESC, id DESC)
        WHERE status = 'open';
    CREATE INDEX cases_open_words ON cases USING gin (words gin_trgm_ops)
        WHERE status = 'open';
    CREATE INDEX cases_by_case_id ON cases (case_id) WHERE case_id IS NOT NULL;
    CREATE INDEX cases_followup_due ON cases (followup_due_at, id)
        WHERE status = 'open' AND replied_at IS NULL AND followup_due_at IS NOT NULL;
    CREATE INDEX cases_corrections ON cases (id DESC)
        WHERE suggested IS NOT NULL AND suggested != category;
    CREATE TABLE people (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL UNIQUE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
    );
    """,
]


def _refuse_a_c_ctype(conn) -> None:
    """pg_trgm reads words by the database's character classes: under the C ctype (often a
    container's default) Chinese has none, and no Chinese text would ever be alike."""
    ctype = conn.execute(
        "SELECT datctype FROM pg_database WHERE datname = current_database()"
    ).fetchone()[0]
    if ctype in ("C", "POSIX"):
        raise CaseStoreError(
            bilingual(
                f"数据库的字符分类是 {ctype}，无法比较中文工单。请用 UTF-8 区域设置新建数据库："
                f"createdb --template=template0 --locale=C.UTF-8 ssc",
                f"The database's character type is {ctype}, under which Chinese cases cannot "
                f"be compared. Create it with a UTF-8 locale: "
                f"createdb --template=template0 --locale=C.UTF-8 ssc",
            )
        )


def migrate(conn) -> int:
    """Run the migrations not yet applied on `conn` (a psycopg connection, not in a
    transaction); returns the version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        _refuse_a_c_ctype(conn)
        foreign = conn.execute(
            "SELECT to_regclass('ssc_schema_migrations') IS NULL"
            " AND to_regclass('cases') IS NOT NULL"
        ).fetchone()[0]
        if foreign:
            raise CaseStoreError(
                "the database has a `cases` table that our migrations did not make; "
                "give the team server a database of its own"
            )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS ssc_schema_migrations (version integer PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        current = conn.execute(
            "SELECT coalesce(max(version), 0) FROM ssc_schema_migrations"
        ).fetchone()[0]
        if current > len(MIGRATIONS):
            raise RuntimeError(
                f"the case database is at schema version {current}, newer than this backend "
                f"({len(MIGRATIONS)}); upgrade the backend"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            conn.execute(MIGRATIONS[version - 1])
            conn.execute("INSERT INTO ssc_schema_migrations (version) VALUES (%s)", (version,))
    return max(current, len(MIGRATIONS))

"""The case log on SQLite (stdlib sqlite3).

- WAL mode, so readers never block the writer and tabs can read while one writes.
- `synchronous=FULL`: a commit is on disk before it is acknowledged, so a crash or kill
  loses nothing that was acknowledged.
- One connection per thread (waitress serves each request on a worker thread); writes take
  the write lock up front (`BEGIN IMMEDIATE`) and wait up to `busy_timeout` for it, so
  concurrent writers queue instead of failing.

Times are stored as UTC ISO 8601 strings of fixed width, so text order is time order.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .migrations import migrate

BUSY_TIMEOUT_MS = 30_000
COLUMNS = (
    "id",
    "case_id",
    "text",
    "category",
    "marketplace",
    "contact_method",
    "status",
    "filed_at",
    "replied_at",
    "updated_at",
)
STATUSES = ("open", "replied", "resolved")
UPDATABLE = ("status", "case_id", "replied_at")


def to_db_time(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC text, e.g. 2026-07-01T16:00:00+00:00."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a UTC offset")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def now_utc() -> datetime:
    return datetime.now(UTC)


class SqliteCaseStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.schema_version = migrate(self._conn())

    # --- connections ---------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # autocommit; transactions are explicit below
                check_same_thread=True,
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise RuntimeError(f"{self.path}: cannot switch to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- reads ---------------------------------------------------------------------

    @staticmethod
    def _row(row: sqlite3.Row | None) -> dict | None:
        return None if row is None else {k: row[k] for k in COLUMNS}

    def get(self, case_pk: int) -> dict | None:
        row = self._conn().execute("SELECT * FROM cases WHERE id = ?", (case_pk,)).fetchone()
        return self._row(row)

    def list(
        self,
        *,
        marketplace: str | None = None,
        status: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> tuple[list[dict], int]:
        """Newest first, with the total number of matching cases."""
        where, args = [], []
        if marketplace is not None:
            where.append("marketplace = ?")
            args.append(marketplace)
        if status is not None:
            where.append("status = ?")
            args.append(status)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        conn = self._conn()
        conn.execute("BEGIN")  # one snapshot for the page and the total
        try:
            total = conn.execute(f"SELECT count(*) FROM cases {clause}", args).fetchone()[0]
            rows = conn.execute(
                f"SELECT * FROM cases {clause} ORDER BY filed_at DESC, id DESC LIMIT ? OFFSET ?",
                [*args, -1 if limit is None else limit, offset],
            ).fetchall()
        finally:
            conn.execute("COMMIT")
        return [self._row(r) for r in rows], total

    def open_cases_since(self, marketplace: str, since: datetime, until: datetime) -> list[dict]:
        rows = self._conn().execute(
            "SELECT * FROM cases WHERE marketplace = ? AND status = 'open'"
            " AND filed_at >= ? AND filed_at <= ? ORDER BY filed_at DESC, id DESC",
            (marketplace, to_db_time(since), to_db_time(until)),
        )
        return [self._row(r) for r in rows]

    def due_followups(self, at: datetime, after: timedelta) -> list[dict]:
        """Open cases without a reply that were filed at least `after` before `at`."""
        rows = self._conn().execute(
            "SELECT * FROM cases WHERE status = 'open' AND replied_at IS NULL"
            " AND filed_at <= ? ORDER BY filed_at, id",
            (to_db_time(at - after),),
        )
        return [self._row(r) for r in rows]

    # --- writes --------------------------------------------------------------------

    def add(
        self,
        *,
        text: str,
        category: str,
        marketplace: str,
        contact_method: str = "case",
        case_id: str | None = None,
        filed_at: datetime | None = None,
        status: str = "open",
        replied_at: datetime | None = None,
    ) -> dict:
        with self._write() as conn:
            return self._insert(
                conn, text, category, marketplace, contact_method, case_id, filed_at, status,
                replied_at,
            )  # fmt: skip

    def _insert(
        self, conn, text, category, marketplace, contact_method, case_id, filed_at, status,
        replied_at,
    ) -> dict:  # fmt: skip
        now = to_db_time(now_utc())
        cursor = conn.execute(
            "INSERT INTO cases (text, category, marketplace, contact_method, status, case_id,"
            " filed_at, replied_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                text,
                category,
                marketplace,
                contact_method,
                status,
                case_id,
                to_db_time(filed_at) if filed_at else now,
                to_db_time(replied_at) if replied_at else None,
                now,
            ),
        )
        row = conn.execute("SELECT * FROM cases WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return self._row(row)

    def add_many(self, cases: Iterable[dict]) -> tuple[list[dict], int]:
        """Import in one transaction; a case identical to a stored one (same marketplace,
        filing time and text) is skipped, so importing the same export twice is harmless.
        Returns the stored cases and the number skipped."""
        added, skipped = [], 0
        with self._write() as conn:
            for case in cases:
                fields = {k: case.get(k) for k in (
                    "text", "category", "marketplace", "contact_method", "case_id", "filed_at",
                    "status", "replied_at",
                )}  # fmt: skip
                exists = conn.execute(
                    "SELECT 1 FROM cases WHERE marketplace = ? AND filed_at = ? AND text = ?",
                    (fields["marketplace"], to_db_time(fields["filed_at"]), fields["text"]),
                ).fetchone()
                if exists:
                    skipped += 1
                    continue
                added.append(self._insert(conn, **fields))
        return added, skipped

    def update(self, case_pk: int, changes: dict) -> dict | None:
        """Apply `changes` (status, case_id, replied_at); None if there is no such case."""
        unknown = set(changes) - set(UPDATABLE)
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        values = {k: to_db_time(v) if isinstance(v, datetime) else v for k, v in changes.items()}
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_pk,)).fetchone() is None:
                return None
            values["updated_at"] = to_db_time(now_utc())
            assignments = ", ".join(f"{k} = ?" for k in values)
            conn.execute(
                f"UPDATE cases SET {assignments} WHERE id = ?", [*values.values(), case_pk]
            )
            return self._row(
                conn.execute("SELECT * FROM cases WHERE id = ?", (case_pk,)).fetchone()
            )

    def delete(self, case_pk: int) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM cases WHERE id = ?", (case_pk,)).rowcount == 1

"""The case log on SQLite (stdlib sqlite3).

- WAL mode, so readers never block the writer and tabs can read while one writes.
- `synchronous=FULL`: a commit is on disk before it is acknowledged, so a crash or kill
  loses nothing that was acknowledged.
- One connection per thread (waitress serves each request on a worker thread); writes take
  the write lock up front (`BEGIN IMMEDIATE`) and wait up to `busy_timeout` for it, so
  concurrent writers queue instead of failing.
- Ours only: a file is opened for writing only when it carries our `PRAGMA application_id`,
  is empty, or is one of ours from before the mark (`migrations.foreign_reason`); anything
  else is refused before a byte changes. `PRAGMA quick_check` runs at every open.
- The file stays the one we opened: the path's device and inode are recorded at open and
  compared before every read and write and after every commit. A deleted or replaced file
  makes every later call raise `CaseLogUnavailable` until a restart, so a write that went
  to a file no longer at the path is never acknowledged.

Times are stored as UTC ISO 8601 strings of fixed width, so text order is time order.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .errors import CaseLogUnavailable, CaseStoreError, bilingual
from .migrations import foreign_reason, migrate, register_functions
from .text import normalize, words_only

BUSY_TIMEOUT_MS = 30_000
COLUMNS = (
    "id",
    "case_id",
    "text",
    "category",
    "suggested",
    "marketplace",
    "contact_method",
    "status",
    "filed_at",
    "replied_at",
    "updated_at",
    "followup_due_at",
)
STATUSES = ("open", "replied", "resolved")
_CANDIDATE_COLUMNS = ("id", "case_id", "category", "filed_at", "words", "normalized")
UPDATABLE = ("status", "case_id", "replied_at")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM cases"  # not the duplicate check's own columns
# The cases the follow-up index holds (migration 4): a query must say all of it to use it.
_DUE = "status = 'open' AND replied_at IS NULL AND followup_due_at IS NOT NULL"


def to_db_time(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC text, e.g. 2026-07-01T16:00:00+00:00."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a UTC offset")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def now_utc() -> datetime:
    return datetime.now(UTC)


Key = tuple[str, int]  # (filed_at, id), or (followup_due_at, id): where a page ends

# (marketplace, contact_method, filed_at) -> when the case is due for a follow-up, or
# None: the domain's `cases.followup_due` with the rules bound.
FollowupDue = Callable[[str, str, datetime], datetime | None]


def _sql_followup_due(followup_due: FollowupDue | None):
    """`followup_due` on the store's text times, for migrations (None: not given)."""
    if followup_due is None:
        return None

    def due(marketplace: str, contact_method: str, filed_at: str) -> str | None:
        moment = followup_due(marketplace, contact_method, datetime.fromisoformat(filed_at))
        return None if moment is None else to_db_time(moment)

    return due


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


class SqliteCaseStore:
    def __init__(self, path: str | Path, followup_due: FollowupDue | None = None):
        """`followup_due`: the domain's follow-up time, for the cases stored before the log
        kept it (migration 4). The app always passes it; a new log never needs it."""
        self.path = Path(os.path.abspath(path))
        self._local = threading.local()
        self._unavailable: str | None = None  # why this store refuses every call, if it does
        self._writable_or_raise()
        conn = self._connect(create=True)
        try:
            self._ours_and_intact_or_raise(conn)
            self._configure(conn)
            self.schema_version = migrate(conn, _sql_followup_due(followup_due))
        except sqlite3.OperationalError as exc:
            conn.close()
            if "readonly" in str(exc):
                raise CaseStoreError(self._read_only_message(self.path)) from exc
            raise
        except BaseException:
            conn.close()
            raise
        self._identity = _identity(self.path)
        self._local.conn = conn
        if self._identity is None:
            raise CaseStoreError(f"{self.path}: the file vanished while it was being opened")

    # --- opening --------------------------------------------------------------------

    def _read_only_message(self, what: Path) -> str:
        return bilingual(
            f"案例记录 {self.path} 无法写入（{what} 为只读）。请让该文件及其所在文件夹可写"
            f"（例如 chmod u+w），或用 SSC_DB 指定一个可写的文件，然后重启后端。",
            f"The case log {self.path} cannot be written: {what} is read-only. Make the file "
            f"and its folder writable (e.g. chmod u+w), or set SSC_DB to a writable file, "
            f"then restart the backend.",
        )

    def _writable_or_raise(self) -> None:
        """The file and its folder (where SQLite keeps -wal and -shm) must be writable."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CaseStoreError(self._read_only_message(folder)) from exc
        if not os.access(folder, os.W_OK | os.X_OK):
            raise CaseStoreError(self._read_only_message(folder))
        if self.path.exists() and not os.access(self.path, os.R_OK | os.W_OK):
            raise CaseStoreError(self._read_only_message(self.path))

    def _connect(self, *, create: bool = False) -> sqlite3.Connection:
        """A connection with no setting changed yet; only the first may create the file."""
        uri = f"{self.path.as_uri()}?mode={'rwc' if create else 'rw'}"
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # autocommit; transactions are explicit below
            check_same_thread=True,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        register_functions(conn)
        return conn

    def _ours_and_intact_or_raise(self, conn: sqlite3.Connection) -> None:
        """Refuse, before anything is written, a file that is not ours or is damaged."""
        try:
            reason = foreign_reason(conn)
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc) or "unable to open" in str(exc):
                raise
            reason = f"it is not a SQLite database ({exc})"
        if reason is not None:
            raise CaseStoreError(
                bilingual(
                    f"{self.path} 不是卖家客服助手的案例记录（{reason}），后端没有改动它。"
                    f"请用 SSC_DB 指定另一个文件。",
                    f"{self.path} is not a Seller Support Companion case log ({reason}); it "
                    f"was left unchanged. Set SSC_DB to another file.",
                )
            )
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise CaseStoreError(
                bilingual(
                    f"案例记录 {self.path} 已损坏（quick_check: {'; '.join(problems)}）。请从备份"
                    f"恢复，或把它移走以新建一个空记录，然后重启后端。",
                    f"The case log {self.path} is damaged (quick_check: "
                    f"{'; '.join(problems)}). Restore it from a backup, or move it away to "
                    f"start an empty log, then restart the backend.",
                )
            )

    def _configure(self, conn: sqlite3.Connection) -> None:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise RuntimeError(f"{self.path}: cannot switch to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")

    # --- connections ---------------------------------------------------------------

    def _still_ours(self) -> None:
        """Raise CaseLogUnavailable, from now on, when the file at our path is gone or is
        another file than the one we opened."""
        if self._unavailable is None and _identity(self.path) != self._identity:
            self._unavailable = bilingual(
                f"案例记录 {self.path} 在后端运行时被删除或替换，新的记录无法保存。请重启后端。",
                f"The case log {self.path} was deleted or replaced while the backend was "
                f"running; nothing can be saved to it. Restart the backend.",
            )
        if self._unavailable is not None:
            raise CaseLogUnavailable(self._unavailable)

    def _conn(self) -> sqlite3.Connection:
        self._still_ours()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._connect()
                self._configure(conn)
            except sqlite3.OperationalError as exc:
                self._still_ours()  # vanished meanwhile: say so
                if "readonly" in str(exc):
                    raise CaseLogUnavailable(self._read_only_message(self.path)) from exc
                raise
            self._local.conn = conn
            self._still_ours()  # the file we connected to is the one we opened
        return conn

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, acknowledged (left without an exception) only once its
        commit is in the file that is still at our path."""
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc):
                raise CaseLogUnavailable(self._read_only_message(self.path)) from exc
            raise
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "readonly" in str(exc):
                raise CaseLogUnavailable(self._read_only_message(self.path)) from exc
            raise
        self._still_ours()

    # --- reads ---------------------------------------------------------------------

    @staticmethod
    def _row(row: sqlite3.Row | None) -> dict | None:
        return None if row is None else {k: row[k] for k in COLUMNS}

    def get(self, case_pk: int) -> dict | None:
        row = self._conn().execute(f"{_SELECT} WHERE id = ?", (case_pk,)).fetchone()
        return self._row(row)

    def list(
        self,
        *,
        marketplace: str | None = None,
        status: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
        before: Key | None = None,
        count: bool = True,
    ) -> tuple[list[dict], int | None]:
        """Newest first, with the number of matching cases when `count` (else None).
        `before`: only cases older than this (filed_at, id) key, the last of the previous
        page (keyset paging: each page costs the same however deep it is)."""
        where, args = [], []
        if marketplace is not None:
            where.append("marketplace = ?")
            args.append(marketplace)
        if status is not None:
            where.append("status = ?")
            args.append(status)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        page_where, page_args = list(where), list(args)
        if before is not None:
            page_where.append("(filed_at, id) < (?, ?)")
            page_args += list(before)
        page_clause = f"WHERE {' AND '.join(page_where)}" if page_where else ""
        query = f"{_SELECT} {page_clause} ORDER BY filed_at DESC, id DESC LIMIT ? OFFSET ?"
        page_args += [-1 if limit is None else limit, offset]
        conn = self._conn()
        if not count:
            return [self._row(r) for r in conn.execute(query, page_args)], None
        conn.execute("BEGIN")  # one snapshot for the page and the total
        try:
            total = conn.execute(f"SELECT count(*) FROM cases {clause}", args).fetchone()[0]
            rows = conn.execute(query, page_args).fetchall()
        finally:
            conn.execute("COMMIT")
        return [self._row(r) for r in rows], total

    def duplicate_candidates(
        self, marketplace: str, category: str, since: datetime, until: datetime, limit: int
    ) -> list[dict]:
        """Open cases in `marketplace` filed from `since` to `until`, newest first: the
        `limit` newest of `category` and the `limit` newest of the other categories (each
        set read through an index), with `id`, `case_id`, `category`, `filed_at`, `words`
        (`text.words_of` of the text, worked out when it was written) and, for those of
        `category` only (else None), `normalized` (`text.normalize`)."""
        window = (to_db_time(since), to_db_time(until))
        cursor = self._conn().cursor()
        cursor.row_factory = None  # plain tuples: up to 2 × `limit` rows on every precheck
        same = cursor.execute(
            "SELECT id, case_id, category, filed_at, coalesce(words, ssc_words(text)),"
            " coalesce(normalized, text)"
            " FROM cases INDEXED BY cases_open_by_market_category"
            " WHERE marketplace = ? AND category = ? AND status = 'open'"
            " AND filed_at >= ? AND filed_at <= ? ORDER BY filed_at DESC, id DESC LIMIT ?",
            (marketplace, category, *window, limit),
        ).fetchall()
        others = cursor.execute(
            "SELECT id, case_id, category, filed_at, coalesce(words, ssc_words(text)), NULL"
            " FROM cases INDEXED BY cases_by_market_status"
            " WHERE marketplace = ? AND status = 'open' AND category != ?"
            " AND filed_at >= ? AND filed_at <= ? ORDER BY filed_at DESC, id DESC LIMIT ?",
            (marketplace, category, *window, limit),
        ).fetchall()
        ordered = sorted((*same, *others), key=lambda r: (r[3], r[0]), reverse=True)
        return [dict(zip(_CANDIDATE_COLUMNS, row, strict=True)) for row in ordered]

    def due_followups(
        self, at: datetime, *, limit: int | None = None, start_after: Key | None = None
    ) -> list[dict]:
        """Open cases without a reply whose `followup_due_at` is `at` or earlier, the
        longest overdue first; `start_after`: only those after this (followup_due_at, id)
        key (keyset paging)."""
        where = _DUE + " AND followup_due_at <= ?"
        args: list = [to_db_time(at)]
        if start_after is not None:
            where += " AND (followup_due_at, id) > (?, ?)"
            args += list(start_after)
        rows = self._conn().execute(
            f"{_SELECT} INDEXED BY cases_followup_due WHERE {where}"
            " ORDER BY followup_due_at, id LIMIT ?",
            (*args, -1 if limit is None else limit),
        )
        return [self._row(r) for r in rows]

    def count_due_followups(self, at: datetime) -> int:
        return (
            self._conn()
            .execute(
                "SELECT count(*) FROM cases INDEXED BY cases_followup_due"
                f" WHERE {_DUE} AND followup_due_at <= ?",
                (to_db_time(at),),
            )
            .fetchone()[0]
        )

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
        suggested: str | None = None,
        followup_due_at: datetime | None = None,
    ) -> dict:
        """`followup_due_at`: the domain's `cases.followup_due` (None: no follow-up)."""
        with self._write() as conn:
            return self._insert(
                conn, text, category, marketplace, contact_method, case_id, filed_at, status,
                replied_at, suggested, followup_due_at,
            )  # fmt: skip

    def _insert(
        self, conn, text, category, marketplace, contact_method, case_id, filed_at, status,
        replied_at, suggested=None, followup_due_at=None,
    ) -> dict:  # fmt: skip
        now = to_db_time(now_utc())
        normalized = normalize(text)
        cursor = conn.execute(
            "INSERT INTO cases (text, category, suggested, marketplace, contact_method, status,"
            " case_id, filed_at, replied_at, updated_at, normalized, words, followup_due_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                text,
                category,
                suggested,
                marketplace,
                contact_method,
                status,
                case_id,
                to_db_time(filed_at) if filed_at else now,
                to_db_time(replied_at) if replied_at else None,
                now,
                None if normalized == text else normalized,  # NULL: the same as the text
                words_only(normalized),
                to_db_time(followup_due_at) if followup_due_at else None,
            ),
        )
        row = conn.execute(f"{_SELECT} WHERE id = ?", (cursor.lastrowid,)).fetchone()
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
                    "status", "replied_at", "suggested", "followup_due_at",
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
            return self._row(conn.execute(f"{_SELECT} WHERE id = ?", (case_pk,)).fetchone())

    def corrections(self, limit: int) -> list[tuple[int, str, str]]:
        """(id, normalised text, category) of the newest `limit` cases filed under another
        category than the one suggested first."""
        return (
            self._conn()
            .execute(
                "SELECT id, coalesce(normalized, text), category"
                " FROM cases INDEXED BY cases_corrections"
                " WHERE suggested IS NOT NULL AND suggested != category ORDER BY id DESC LIMIT ?",
                (limit,),
            )
            .fetchall()
        )

    def count_corrections(self) -> int:
        return (
            self._conn()
            .execute(
                "SELECT count(*) FROM cases INDEXED BY cases_corrections"
                " WHERE suggested IS NOT NULL AND suggested != category"
            )
            .fetchone()[0]
        )

    def forget_corrections(self) -> int:
        """Forget what was suggested first, so no case counts as a correction any more;
        the cases stay. Returns how many corrections were forgotten."""
        with self._write() as conn:
            return conn.execute(
                "UPDATE cases SET suggested = NULL"
                " WHERE suggested IS NOT NULL AND suggested != category"
            ).rowcount

    def delete(self, case_pk: int) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM cases WHERE id = ?", (case_pk,)).rowcount == 1

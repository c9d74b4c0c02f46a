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
The queries both stores share are in `base.py`; here are the file's safety, the index
hints, and the duplicate candidates (a scan of the window when words or ids are given).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from .base import (
    CANDIDATE_OWNER,
    COLUMNS,
    INSERT,
    SCAN_FACTOR,
    SELECT,
    STATUSES,
    UPDATABLE,
    FollowupDue,
    Key,
    SqlCaseStore,
    candidates_of,
    case_of,
    matches,
    now_utc,
    to_db_time,
    windowed,
)
from .errors import CaseLogBusy, CaseLogUnavailable, CaseStoreError, bilingual
from .migrations import foreign_reason, migrate, register_functions
from .text import SIMILARITY_THRESHOLD

BUSY_TIMEOUT_MS = 30_000
# Kept importable from here, where they were first defined.
__all__ = ["COLUMNS", "STATUSES", "UPDATABLE", "FollowupDue", "Key", "SqliteCaseStore",
           "now_utc", "to_db_time"]  # fmt: skip


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


class SqliteCaseStore(SqlCaseStore):
    def __init__(self, path: str | Path, followup_due: FollowupDue | None = None):
        """`followup_due`: the domain's follow-up time, for the cases stored before the log
        kept it (migration 4). The app always passes it; a new log never needs it."""
        self.path = Path(os.path.abspath(path))
        self._followup_due = followup_due
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

    def _raise_if_refused(self, exc: sqlite3.OperationalError) -> None:
        """Say so when the error is not the request's fault: the file made read-only, or
        held locked by another program (a database browser, a backup) past `busy_timeout`,
        which a later try may get past."""
        if "readonly" in str(exc):
            raise CaseLogUnavailable(self._read_only_message(self.path)) from exc
        if "locked" in str(exc):
            raise CaseLogBusy(
                bilingual(
                    f"案例记录 {self.path} 正被另一个程序锁定（{exc}），请关闭该程序或稍后重试。",
                    f"The case log {self.path} is locked by another program ({exc}); close "
                    f"it or try again in a moment.",
                )
            ) from exc

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
                self._raise_if_refused(exc)
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
            self._raise_if_refused(exc)
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
            self._raise_if_refused(exc)
            raise
        self._still_ours()

    @contextmanager
    def _read(self, snapshot: bool = False) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        if not snapshot:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def _indexed(self, index: str) -> str:
        # The planner's pick is not always the index a query was written for.
        return f" INDEXED BY {index}"

    def _insert(self, conn: sqlite3.Connection, args: tuple) -> dict:
        # Not `RETURNING`: it needs SQLite 3.35, older than some Pythons sellers run.
        pk = conn.execute(INSERT, args).lastrowid
        return case_of(conn.execute(f"{SELECT} WHERE id = ?", (pk,)).fetchone())

    # --- the duplicate check -----------------------------------------------------------

    def duplicate_candidates(
        self,
        marketplace: str,
        category: str,
        since: datetime,
        until: datetime,
        limit: int,
        *,
        store_id: str | None = None,
        words: str | None = None,
        ids: Sequence[str] = (),
    ) -> list[dict]:
        """Open cases in `marketplace` (and `store_id`, when given) filed from `since` to
        `until`, newest first: the `limit` newest of `category`, and the `limit` newest of
        the others: without `words` and `ids` those of any other category, with them those
        (of any category) whose words are trigram-similar to `words` (`text.similarity`)
        or hold one of `ids`, among the window's `SCAN_FACTOR` × `limit` newest (a
        personal log has no trigram index: the scan is bounded like the rest). Each has
        `id`, `case_id`, `category`, `filed_at`, `words` (`text.words_of` of the text,
        worked out when it was written) and `normalized` (`text.normalize`)."""
        scope = "marketplace = ? AND status = 'open' AND filed_at >= ? AND filed_at <= ?"
        args: list = [marketplace, to_db_time(since), to_db_time(until)]
        if store_id is not None:  # a case of no known store may be any store's
            scope += " AND (store_id = ? OR store_id IS NULL)"
            args.append(store_id)
        columns = "id, case_id, category, filed_at, coalesce(words, ssc_words(text))"
        newest = "ORDER BY filed_at DESC, id DESC"
        cursor = self._conn().cursor()
        cursor.row_factory = None  # plain tuples: up to (1 + SCAN_FACTOR) × `limit` rows
        same = cursor.execute(
            f"SELECT {columns}, coalesce(normalized, text), {CANDIDATE_OWNER}"
            " FROM cases INDEXED BY cases_open_by_market_category"
            f" WHERE {scope} AND category = ? {newest} LIMIT ?",
            (*args, category, limit),
        ).fetchall()
        if words is None and not ids:
            others = cursor.execute(
                f"SELECT {columns}, coalesce(normalized, text), {CANDIDATE_OWNER}"
                " FROM cases INDEXED BY cases_by_market_status"
                f" WHERE {scope} AND category != ? {newest} LIMIT ?",
                (*args, category, limit),
            ).fetchall()
        else:  # a personal log: the window's newest cases, scanned (a bounded number)
            window = cursor.execute(
                f"SELECT {columns}, coalesce(normalized, text), {CANDIDATE_OWNER}"
                f" FROM cases INDEXED BY cases_by_market_status WHERE {scope} {newest} LIMIT ?",
                (*args, SCAN_FACTOR * limit),
            )
            others = windowed(window, matches(words, ids, SIMILARITY_THRESHOLD), limit)
        return candidates_of([*same, *others])

"""A team's shared case log on PostgreSQL, with the behaviour of the SQLite log (`base.py`
holds what they share; `postgres_migrations.py` the schema).

Driver: psycopg 3, with psycopg_pool. It is the maintained PostgreSQL driver for Python,
ships binary wheels (no compiler, no libpq to install on a server), binds parameters on the
server, and its pool keeps a bounded set of connections that the request threads share and
replaces one broken by a server restart. SQLAlchemy would add a second way of writing the
queries beside the SQL text both stores share. It is imported here only, when a
`postgresql://` log is opened: a personal install does not need it (the `team` extra).

- Times are timestamptz; they cross the interface as the same UTC text as SQLite's.
- Several processes write at once: each write is its own short transaction, queued on an
  advisory lock (an import checks what is stored before it adds), and ids come from an
  identity column.
- The duplicate check runs in the database (`candidate_query`): pg_trgm's `%` on the
  stored words of the window's newest cases, ids by LIKE through the trigram index at any
  age in the window, the Amazon case id through a btree.
- When the server cannot be reached, a call raises `CaseLogUnavailable`; unlike a SQLite
  file replaced under us this is not for good: the pool reconnects once the server is back.
  A request the server refuses for now (a deadlock, a serialization failure, a lock or
  statement timeout) raises `CaseLogBusy`, which says to try again, not that it is down.
- Open the store in each process (a gunicorn worker, after the fork), never before a fork:
  a pool's connections cannot be shared by two processes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from .base import (
    CANDIDATE_OWNER,
    COLUMNS,
    INSERT,
    SCAN_FACTOR,
    FollowupDue,
    SqlCaseStore,
    candidates_of,
    case_of,
    id_words,
)
from .errors import CaseLogBusy, CaseLogUnavailable, CaseStoreError, bilingual
from .postgres_migrations import LOCK_KEY, migrate
from .text import SIMILARITY_THRESHOLD

# Writers queue on this (migrations on LOCK_KEY).
WRITE_LOCK_KEY = LOCK_KEY + 1
# Each connection works in UTC and with our similarity threshold for pg_trgm's `%`.
OPTIONS = f"-c timezone=UTC -c pg_trgm.similarity_threshold={SIMILARITY_THRESHOLD}"
POOL_SIZE = 10
TIMEOUT_S = 10.0  # the longest a call waits for a connection before it gives up
URL_SCHEMES = ("postgresql", "postgres")
# SQLSTATEs of a request refused for now, not of a server gone, whose transaction was
# rolled back, so trying again files nothing twice: serialization_failure,
# deadlock_detected, lock_not_available, query_canceled (a statement timeout)
# (https://www.postgresql.org/docs/current/errcodes-appendix.html). Not the rest of class
# 40 (40003: whether the statement completed is unknown). A server with every connection
# taken is not among them: the pool retries in the background and the request ends in a
# PoolTimeout, "cannot be reached".
BUSY_STATES = frozenset({"40001", "40P01", "55P03", "57014"})


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and urlsplit(target).scheme in URL_SCHEMES


def describe(url: str) -> str:
    """Where the log is, for messages: host, port and database, never the password."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or '/'}"


def _driver():
    try:
        import psycopg
        import psycopg_pool
    except ImportError as exc:
        raise CaseStoreError(
            bilingual(
                "PostgreSQL 案例库需要团队版依赖：pip install 'seller-support-companion[team]'",
                "A PostgreSQL case log needs the team extra: "
                "pip install 'seller-support-companion[team]'",
            )
        ) from exc
    return psycopg, psycopg_pool


@lru_cache(maxsize=256)
def _pyformat(query: str) -> str:
    """The shared SQL's `?` placeholders as psycopg's `%s` (`%` itself doubled)."""
    return query.replace("%", "%%").replace("?", "%s")


class _Qmark:
    """A psycopg connection that takes the shared SQL's `?` placeholders."""

    __slots__ = ("conn",)

    def __init__(self, conn):
        self.conn = conn

    def execute(self, query: str, args: Sequence = ()):
        return self.conn.execute(_pyformat(query), args)


class PostgresCaseStore(SqlCaseStore):
    NO_LIMIT = None  # LIMIT NULL: every row

    def __init__(
        self,
        url: str,
        followup_due: FollowupDue | None = None,
        *,
        pool_size: int = POOL_SIZE,
        timeout: float = TIMEOUT_S,
    ):
        """`followup_due`: the domain's follow-up time, for a case added without one."""
        psycopg, psycopg_pool = _driver()
        self.where = describe(url)
        self._followup_due = followup_due
        self._lost = (psycopg.OperationalError, psycopg_pool.PoolTimeout)
        options = {"options": OPTIONS, "application_name": "ssc", "connect_timeout": 5}
        try:  # one connection first: a wrong password or host fails now, with its reason
            with psycopg.connect(url, **options) as conn:
                self.schema_version = migrate(conn)
        except psycopg.Error as exc:
            raise CaseStoreError(f"{self.where}: {exc}") from exc
        self._pool = psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            timeout=timeout,
            kwargs=options,
            check=psycopg_pool.ConnectionPool.check_connection,  # after a server restart
            name="ssc-cases",
            open=True,
        )

    def close(self) -> None:
        self._pool.close()

    # --- connections -------------------------------------------------------------------

    @contextmanager
    def _read(self, snapshot: bool = False) -> Iterator[_Qmark]:
        """A pooled connection in a transaction, committed when the block is left."""
        try:
            with self._pool.connection() as conn:
                if snapshot:
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield _Qmark(conn)
        except self._lost as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: Exception) -> CaseLogUnavailable:
        """What to say of an error that is not the request's fault: busy (try again), or
        the server gone or failing."""
        state = getattr(exc, "sqlstate", None) or ""
        if state in BUSY_STATES:
            return CaseLogBusy(
                bilingual(
                    f"团队案例库 {self.where} 正忙（{exc}），请稍后重试。",
                    f"The team case log at {self.where} is busy ({exc}); try again in a moment.",
                )
            )
        return CaseLogUnavailable(
            bilingual(
                f"团队案例库 {self.where} 无法访问（{exc}）。请检查 PostgreSQL 是否在运行；"
                f"恢复后后端会自动重新连接。",
                f"The team case log at {self.where} cannot be reached ({exc}). Check that "
                f"PostgreSQL is running; the backend reconnects once it is back.",
            )
        )

    @contextmanager
    def _write(self) -> Iterator[_Qmark]:
        """A write transaction. Writers queue on one advisory lock: an import's "is it
        stored already?" and its inserts see no other writer's half-done work (READ
        COMMITTED would let two imports of one file both store it), as SQLite's BEGIN
        IMMEDIATE does for a personal log."""
        with self._read() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
            yield conn

    def _time(self, value: datetime | str) -> datetime:
        return datetime.fromisoformat(super()._time(value))

    def _insert(self, conn: _Qmark, args: tuple) -> dict:
        return case_of(conn.execute(f"{INSERT} RETURNING {', '.join(COLUMNS)}", args).fetchone())

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
        """As `SqliteCaseStore.duplicate_candidates`, in one query through the indexes."""
        query, params = candidate_query(store_id is not None, words is not None, ids)
        params.update(
            market=marketplace, category=category, since=self._time(since),
            until=self._time(until), limit=limit, store=store_id, words=words, ids=list(ids),
            scan=SCAN_FACTOR * limit,
        )  # fmt: skip
        with self._read() as conn:
            rows = conn.conn.execute(query, params).fetchall()
        return candidates_of(rows)


def candidate_query(by_store: bool, by_words: bool, ids: Sequence[str]) -> tuple[str, dict]:
    """The candidates' SQL and its id parameters; the caller adds the rest. Three arms, each
    through an index: the `limit` newest of the category; of the window's `SCAN_FACTOR` ×
    `limit` newest, the `limit` most alike in words (pg_trgm's `%`, as a personal log
    scans the same number); and the `limit` newest of any age in the window that name one
    of `ids` (the trigram index finds them, however many other cases there are)."""
    scope = (
        "marketplace = %(market)s AND status = 'open'"
        " AND filed_at >= %(since)s AND filed_at <= %(until)s"
    )
    if by_store:  # a case of no known store may be any store's
        scope += " AND (store_id = %(store)s OR store_id IS NULL)"
    columns = (
        f"id, case_id, category, filed_at, words, coalesce(normalized, text), {CANDIDATE_OWNER}"
    )
    newest = "ORDER BY filed_at DESC, id DESC"
    arms = [f"SELECT {columns} FROM cases WHERE {scope} AND category = %(category)s {newest}"]
    if by_words:
        recent = f"SELECT * FROM cases WHERE {scope} {newest} LIMIT %(scan)s"
        arms.append(
            f"SELECT {columns} FROM ({recent}) recent WHERE words %% %(words)s"
            f" ORDER BY similarity(words, %(words)s) DESC, filed_at DESC, id DESC"
        )
    params: dict = {}
    named = []
    for i, word in enumerate(id_words(ids)):
        # LIKE '%…%' finds it through the trigram index; the second test keeps whole words.
        named.append(f"(words LIKE %(like{i})s AND ' ' || words || ' ' LIKE %(word{i})s)")
        params[f"like{i}"], params[f"word{i}"] = f"%{word}%", f"% {word} %"
    if ids:
        named.append("case_id = ANY(%(ids)s)")
        arms.append(
            f"SELECT {columns} FROM cases WHERE {scope} AND ({' OR '.join(named)}) {newest}"
        )
    if not by_words and not ids:
        arms.append(
            f"SELECT {columns} FROM cases WHERE {scope} AND category <> %(category)s {newest}"
        )
    # UNION ALL: a case found by two arms is dropped by `candidates_of`, without sorting texts.
    return " UNION ALL ".join(f"({arm} LIMIT %(limit)s)" for arm in arms), params

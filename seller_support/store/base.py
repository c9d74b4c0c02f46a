"""What the SQLite and the PostgreSQL case logs share: the case's columns and how a row
becomes the dict callers see, the fields a case is written with, and every query whose SQL
is the same in both (written with `?` placeholders; the PostgreSQL store turns them into
psycopg's). A store supplies its connections (`_read`, `_write`), how it passes a time
(`_time`), an index hint (`_indexed`, SQLite's `INDEXED BY`), how it inserts, and its own
duplicate candidate query.

Times cross the interface as UTC ISO 8601 text of fixed width (`to_db_time`), whether the
database keeps them as text (SQLite) or as timestamptz (PostgreSQL)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from .errors import PersonExists
from .text import normalize, trigram_similarity, trigrams, words_of, words_only

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
    "store_id",  # the seller account (Seller Central's mons_sel_mcid); NULL: not known
    "store_name",
    "person",  # who filed it (a team's person's name); NULL: a personal log
)
STATUSES = ("open", "replied", "resolved")
UPDATABLE = ("status", "case_id", "replied_at", "store_id", "store_name", "person")
TIME_COLUMNS = frozenset({"filed_at", "replied_at", "updated_at", "followup_due_at"})
CANDIDATE_COLUMNS = (
    "id", "case_id", "category", "filed_at", "words", "normalized", "person", "store_name",
)  # fmt: skip
# How many of the window's newest cases the duplicate check scans for ones alike in words:
# a bound on its cost however long the log grows (SQLite compares in Python, some 40 µs a
# case; PostgreSQL in C).
SCAN_FACTOR = 5
# Who filed a candidate and for which store: a team's duplicate warning names them.
CANDIDATE_OWNER = "person, store_name"
PEOPLE_COLUMNS = ("id", "name", "created_at", "revoked_at")
SELECT = f"SELECT {', '.join(COLUMNS)} FROM cases"  # not the duplicate check's own columns
# The cases the follow-up index holds: a query must say all of it to use it.
DUE = "status = 'open' AND replied_at IS NULL AND followup_due_at IS NOT NULL"
_CORRECTION = "suggested IS NOT NULL AND suggested != category"
_INSERTED = (
    "text", "category", "suggested", "marketplace", "contact_method", "status", "case_id",
    "filed_at", "replied_at", "updated_at", "normalized", "words", "followup_due_at",
    "store_id", "store_name", "person",
)  # fmt: skip
INSERT = f"INSERT INTO cases ({', '.join(_INSERTED)}) VALUES ({', '.join('?' * len(_INSERTED))})"
_UNSET = object()  # `followup_due_at` not given: the store works it out, if it can

Key = tuple[str, int]  # (filed_at, id), or (followup_due_at, id): where a page ends

# (marketplace, contact_method, filed_at) -> when the case is due for a follow-up, or
# None: the domain's `cases.followup_due` with the rules bound.
FollowupDue = Callable[[str, str, datetime], datetime | None]


def to_db_time(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC text, e.g. 2026-07-01T16:00:00+00:00."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a UTC offset")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def now_utc() -> datetime:
    return datetime.now(UTC)


def _out(value):
    return to_db_time(value) if isinstance(value, datetime) else value


def case_of(row) -> dict | None:
    """A `SELECT` row (in `COLUMNS` order) as the case dict callers see."""
    if row is None:
        return None
    return {k: _out(v) for k, v in zip(COLUMNS, row, strict=True)}


def person_of(row) -> dict | None:
    return None if row is None else {k: _out(v) for k, v in zip(PEOPLE_COLUMNS, row, strict=True)}


def candidates_of(rows: Iterable[Sequence]) -> list[dict]:
    """Duplicate candidates (rows in `CANDIDATE_COLUMNS` order), each once, newest first."""
    unique = {row[0]: row for row in rows}
    ordered = sorted(unique.values(), key=lambda r: (_out(r[3]), r[0]), reverse=True)
    return [
        dict(zip(CANDIDATE_COLUMNS, (*row[:3], _out(row[3]), *row[4:]), strict=True))
        for row in ordered
    ]


def id_words(ids: Sequence[str]) -> list[str]:
    """Ids as they appear in a stored case's `words` (lower case, separators as spaces)."""
    return sorted({w for w in (words_of(i) for i in ids) if w})


def matches(words: str | None, ids: Sequence[str], threshold: float):
    """A test of a stored case's (words, case_id): trigram-similar to `words` (pg_trgm's
    `%`), or holding one of `ids` as whole words or as its Amazon case id."""
    wanted, raw = id_words(ids), set(ids)
    ours = trigrams(words) if words is not None else None

    def test(stored_words: str, case_id: str | None) -> bool:
        if case_id is not None and case_id in raw:
            return True
        padded = f" {stored_words} "
        if any(f" {w} " in padded for w in wanted):
            return True
        return ours is not None and trigram_similarity(ours, stored_words) >= threshold

    return test


def token_hash(token: str) -> str:
    """A person's token is 256 random bits: a fast hash cannot be brute-forced back."""
    return hashlib.sha256(token.encode()).hexdigest()


def person_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 100 or not cleaned.isprintable():
        raise ValueError("a person's name is 1 to 100 printable characters")
    return cleaned


class SqlCaseStore:
    """The `CaseStore` methods whose SQL both stores share."""

    _followup_due: FollowupDue | None = None
    NO_LIMIT: int | None = -1  # what `LIMIT ?` takes for "all rows"

    # --- what a store provides ---------------------------------------------------------

    def _read(self, snapshot: bool = False) -> AbstractContextManager:
        """A connection to read with (`snapshot`: one consistent view for every statement)."""
        raise NotImplementedError

    def _write(self) -> AbstractContextManager:
        """A connection in a write transaction, committed when the block is left."""
        raise NotImplementedError

    def _time(self, value: datetime | str):
        """A time (or a page key's time text) as this database takes it."""
        return to_db_time(value) if isinstance(value, datetime) else value

    def _indexed(self, index: str) -> str:
        """An index hint for the query planner, where the database takes one."""
        return ""

    def _insert(self, conn, args: tuple) -> dict:
        """Run `INSERT` with `args`; the stored case."""
        raise NotImplementedError

    # --- reads -------------------------------------------------------------------------

    def get(self, case_pk: int) -> dict | None:
        with self._read() as conn:
            return case_of(conn.execute(f"{SELECT} WHERE id = ?", (case_pk,)).fetchone())

    def list(
        self,
        *,
        marketplace: str | None = None,
        status: str | None = None,
        store_id: str | None = None,
        person: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
        before: Key | None = None,
        count: bool = True,
    ) -> tuple[list[dict], int | None]:
        """Newest first, with the number of matching cases when `count` (else None).
        `before`: only cases older than this (filed_at, id) key, the last of the previous
        page (keyset paging: each page costs the same however deep it is)."""
        filters = {"marketplace": marketplace, "status": status, "store_id": store_id}
        given = {k: v for k, v in {**filters, "person": person}.items() if v is not None}
        where, args = [f"{k} = ?" for k in given], list(given.values())
        page_where, page_args = list(where), list(args)
        if before is not None:
            page_where.append("(filed_at, id) < (?, ?)")
            page_args += [self._time(before[0]), before[1]]
        query = f"{SELECT} {_where(page_where)} ORDER BY filed_at DESC, id DESC LIMIT ? OFFSET ?"
        page_args += [self.NO_LIMIT if limit is None else limit, offset]
        with self._read(snapshot=count) as conn:  # the page and its total from one view
            rows = [case_of(r) for r in conn.execute(query, page_args).fetchall()]
            if not count:
                return rows, None
            total = conn.execute(f"SELECT count(*) FROM cases {_where(where)}", args)
            return rows, total.fetchone()[0]

    def due_followups(
        self,
        at: datetime,
        *,
        store_id: str | None = None,
        limit: int | None = None,
        start_after: Key | None = None,
    ) -> list[dict]:
        """Open cases without a reply whose `followup_due_at` is `at` or earlier, the
        longest overdue first; `start_after`: only those after this (followup_due_at, id)
        key (keyset paging)."""
        where, args = self._due_where(at, store_id)
        if start_after is not None:
            where += " AND (followup_due_at, id) > (?, ?)"
            args += [self._time(start_after[0]), start_after[1]]
        query = (
            f"{SELECT}{self._indexed('cases_followup_due')} WHERE {where}"
            " ORDER BY followup_due_at, id LIMIT ?"
        )
        with self._read() as conn:
            rows = conn.execute(query, (*args, self.NO_LIMIT if limit is None else limit))
            return [case_of(r) for r in rows.fetchall()]

    def count_due_followups(self, at: datetime, *, store_id: str | None = None) -> int:
        where, args = self._due_where(at, store_id)
        query = f"SELECT count(*) FROM cases{self._indexed('cases_followup_due')} WHERE {where}"
        with self._read() as conn:
            return conn.execute(query, args).fetchone()[0]

    def _due_where(self, at: datetime, store_id: str | None) -> tuple[str, list]:
        where, args = f"{DUE} AND followup_due_at <= ?", [self._time(at)]
        if store_id is not None:
            where += " AND store_id = ?"
            args.append(store_id)
        return where, args

    def corrections(self, limit: int) -> list[tuple[int, str, str]]:
        """(id, normalised text, category) of the newest `limit` cases filed under another
        category than the one suggested first."""
        query = (
            "SELECT id, coalesce(normalized, text), category"
            f" FROM cases{self._indexed('cases_corrections')} WHERE {_CORRECTION}"
            " ORDER BY id DESC LIMIT ?"
        )
        with self._read() as conn:
            return [tuple(r) for r in conn.execute(query, (limit,)).fetchall()]

    def count_corrections(self) -> int:
        query = f"SELECT count(*) FROM cases{self._indexed('cases_corrections')}"
        with self._read() as conn:
            return conn.execute(f"{query} WHERE {_CORRECTION}").fetchone()[0]

    # --- writes ------------------------------------------------------------------------

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
        followup_due_at: datetime | None = _UNSET,  # type: ignore[assignment]
        store_id: str | None = None,
        store_name: str | None = None,
        person: str | None = None,
    ) -> dict:
        """`followup_due_at`: the domain's `cases.followup_due` (None: no follow-up; not
        given: worked out with the store's `followup_due`, else None)."""
        case = {
            "text": text, "category": category, "marketplace": marketplace,
            "contact_method": contact_method, "case_id": case_id, "filed_at": filed_at,
            "status": status, "replied_at": replied_at, "suggested": suggested,
            "followup_due_at": followup_due_at, "store_id": store_id,
            "store_name": store_name, "person": person,
        }  # fmt: skip
        with self._write() as conn:
            return self._insert(conn, self._insert_args(case))

    def _insert_args(self, case: dict) -> tuple:
        """`INSERT`'s arguments for a case: its text's stored forms, its times, and its
        follow-up time worked out here when the caller did not give it."""
        now = now_utc()
        filed_at = case.get("filed_at") or now
        due = case.get("followup_due_at", _UNSET)
        if due is _UNSET:
            due = None
            if self._followup_due is not None:
                method = case.get("contact_method") or "case"
                due = self._followup_due(case["marketplace"], method, filed_at)
        text = case["text"]
        normalized = normalize(text)
        replied_at = case.get("replied_at")
        return (
            text, case["category"], case.get("suggested"), case["marketplace"],
            case.get("contact_method") or "case", case.get("status") or "open",
            case.get("case_id"), self._time(filed_at),
            None if replied_at is None else self._time(replied_at), self._time(now),
            None if normalized == text else normalized,  # NULL: the same as the text
            words_only(normalized), None if due is None else self._time(due),
            case.get("store_id"), case.get("store_name"), case.get("person"),
        )  # fmt: skip

    def add_many(self, cases: Iterable[dict]) -> tuple[list[dict], int]:
        """Import in one transaction; a case identical to a stored one (same marketplace,
        filing time and text) is skipped, so importing the same export twice is harmless.
        Returns the stored cases and the number skipped."""
        added, skipped = [], 0
        with self._write() as conn:
            for case in cases:
                args = self._insert_args(case)
                exists = conn.execute(
                    "SELECT 1 FROM cases WHERE marketplace = ? AND filed_at = ? AND text = ?",
                    (case["marketplace"], args[7], case["text"]),
                ).fetchone()
                if exists:
                    skipped += 1
                    continue
                added.append(self._insert(conn, args))
        return added, skipped

    def update(self, case_pk: int, changes: dict) -> dict | None:
        """Apply `changes` (`UPDATABLE`); None if there is no such case."""
        unknown = set(changes) - set(UPDATABLE)
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        values = {k: self._time(v) if isinstance(v, datetime) else v for k, v in changes.items()}
        values["updated_at"] = self._time(now_utc())
        assignments = ", ".join(f"{k} = ?" for k in values)
        with self._write() as conn:
            query = f"UPDATE cases SET {assignments} WHERE id = ?"
            if conn.execute(query, (*values.values(), case_pk)).rowcount == 0:
                return None
            return case_of(conn.execute(f"{SELECT} WHERE id = ?", (case_pk,)).fetchone())

    def forget_corrections(self) -> int:
        """Forget what was suggested first, so no case counts as a correction any more;
        the cases stay. Returns how many corrections were forgotten."""
        with self._write() as conn:
            return conn.execute(f"UPDATE cases SET suggested = NULL WHERE {_CORRECTION}").rowcount

    def delete(self, case_pk: int) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM cases WHERE id = ?", (case_pk,)).rowcount == 1

    # --- people ------------------------------------------------------------------------

    def add_person(self, name: str) -> str:
        """A new token for `name`, shown this once (only its SHA-256 is kept). A revoked
        name may be added again (with a new token); an active one raises `PersonExists`."""
        name, token = person_name(name), secrets.token_urlsafe(32)
        with self._write() as conn:
            stored = conn.execute(
                "INSERT INTO people (name, token_hash, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash,"
                " created_at = excluded.created_at, revoked_at = NULL"
                " WHERE people.revoked_at IS NOT NULL",
                (name, token_hash(token), self._time(now_utc())),
            ).rowcount
        if stored != 1:
            raise PersonExists(f"{name} already has an active token; revoke it first")
        return token

    def person_for_token(self, token: str) -> dict | None:
        """The active person whose token this is (looked up by the token's hash)."""
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {', '.join(PEOPLE_COLUMNS)} FROM people"
                " WHERE token_hash = ? AND revoked_at IS NULL",
                (token_hash(token),),
            ).fetchone()
        return person_of(row)

    def revoke_person(self, name: str) -> bool:
        """Refuse `name`'s token from now on; False if no active person has that name."""
        with self._write() as conn:
            return (
                conn.execute(
                    "UPDATE people SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                    (self._time(now_utc()), person_name(name)),
                ).rowcount
                == 1
            )

    def facets(self) -> tuple[list[dict], list[str]]:
        """The stores (store_id, store_name: the name of its newest case that has one) and
        the people that cases name, for filtering the list."""
        with self._read(snapshot=True) as conn:
            stores = conn.execute(
                "SELECT store_id, (SELECT c.store_name FROM cases c"
                " WHERE c.store_id = s.store_id AND c.store_name IS NOT NULL"
                " ORDER BY c.filed_at DESC, c.id DESC LIMIT 1)"
                " FROM (SELECT DISTINCT store_id FROM cases WHERE store_id IS NOT NULL) s"
                " ORDER BY store_id"
            ).fetchall()
            people = conn.execute(
                "SELECT DISTINCT person FROM cases WHERE person IS NOT NULL ORDER BY person"
            ).fetchall()
        return [{"store_id": i, "store_name": n} for i, n in stores], [p for (p,) in people]

    def people(self) -> list[dict]:
        """Everyone ever added, by name, revoked ones too (never a hash)."""
        with self._read() as conn:
            rows = conn.execute(f"SELECT {', '.join(PEOPLE_COLUMNS)} FROM people ORDER BY name")
            return [person_of(r) for r in rows.fetchall()]


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def windowed(rows: Iterator[Sequence], test: Callable[[str, str | None], bool], limit: int):
    """The first `limit` candidate rows (`CANDIDATE_COLUMNS` order) that pass `test`."""
    found = []
    for row in rows:
        if len(found) >= limit:
            break
        if test(row[4], row[1]):
            found.append(row)
    return found

"""The case log: what the seller filed, when, and whether Amazon replied.

`CaseStore` is the interface the domain and the web layer use; `SqliteCaseStore` is the
seller's own single-file log, `PostgresCaseStore` a team's shared one (`open_store` picks by
the target: a path or a postgresql:// URL)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

import platformdirs

from .base import FollowupDue, Key
from .errors import CaseLogBusy, CaseLogUnavailable, CaseStoreError, PersonExists
from .migrations import APPLICATION_ID
from .postgres import PostgresCaseStore, describe, is_postgres_url
from .sqlite import SqliteCaseStore

APP_NAME = "seller-support-companion"


class CaseStore(Protocol):
    """Cases are dicts of the columns in `base.COLUMNS` (store_id, store_name and person
    are None in a personal log); times are UTC ISO 8601 text.
    A page ends at a `Key`, (filed_at, id) of its last case, from which the next starts
    (follow-ups: (followup_due_at, id)).
    Every method raises `CaseLogUnavailable` once the store cannot be used any more."""

    def get(self, case_pk: int) -> dict | None: ...

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
    ) -> tuple[list[dict], int | None]: ...

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
    ) -> list[dict]: ...

    def due_followups(
        self,
        at: datetime,
        *,
        store_id: str | None = None,
        limit: int | None = None,
        start_after: Key | None = None,
    ) -> list[dict]: ...

    def count_due_followups(self, at: datetime, *, store_id: str | None = None) -> int: ...

    def add(self, **fields) -> dict: ...

    def add_many(self, cases: Iterable[dict]) -> tuple[list[dict], int]: ...

    def update(self, case_pk: int, changes: dict) -> dict | None: ...

    def corrections(self, limit: int) -> list[tuple[int, str, str]]: ...

    def count_corrections(self) -> int: ...

    def forget_corrections(self) -> int: ...

    def delete(self, case_pk: int) -> bool: ...

    def add_person(self, name: str) -> str: ...

    def person_for_token(self, token: str) -> dict | None: ...

    def revoke_person(self, name: str) -> bool: ...

    def facets(self) -> tuple[list[dict], list[str]]: ...

    def people(self) -> list[dict]: ...

    def close(self) -> None: ...


def default_db_path() -> Path:
    """`SSC_DB`, else the user's data directory (e.g. ~/.local/share/seller-support-companion,
    ~/Library/Application Support/seller-support-companion, %LOCALAPPDATA%\\...)."""
    override = os.environ.get("SSC_DB")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "cases.sqlite3"


def open_store(target: str | Path, followup_due: FollowupDue | None = None) -> CaseStore:
    """Open (and migrate) the case log at `target`: a file path (SQLite) or a
    postgresql:// URL (a team's PostgreSQL); `followup_due` as `SqliteCaseStore`'s."""
    team = is_postgres_url(target)
    try:
        if team:
            return PostgresCaseStore(str(target), followup_due)
        return SqliteCaseStore(target, followup_due)
    except CaseStoreError:
        raise
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        raise CaseStoreError(f"{describe(str(target)) if team else target}: {exc}") from exc


__all__ = [
    "APPLICATION_ID",
    "CaseLogBusy",
    "CaseLogUnavailable",
    "CaseStore",
    "CaseStoreError",
    "FollowupDue",
    "Key",
    "PersonExists",
    "PostgresCaseStore",
    "SqliteCaseStore",
    "describe",
    "default_db_path",
    "open_store",
]

"""The case log: what the seller filed, when, and whether Amazon replied.

`CaseStore` is the interface the domain and the web layer use; `SqliteCaseStore` is the
seller's own single-file log. A shared store (PostgreSQL, for a team) implements the same
interface."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import platformdirs

from .sqlite import SqliteCaseStore

APP_NAME = "seller-support-companion"


class CaseStore(Protocol):
    """Cases are dicts of the columns in `sqlite.COLUMNS`; times are UTC ISO 8601 text."""

    def get(self, case_pk: int) -> dict | None: ...

    def list(
        self,
        *,
        marketplace: str | None = None,
        status: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> tuple[list[dict], int]: ...

    def open_cases_since(
        self, marketplace: str, since: datetime, until: datetime
    ) -> list[dict]: ...

    def due_followups(self, at: datetime, after: timedelta) -> list[dict]: ...

    def add(self, **fields) -> dict: ...

    def add_many(self, cases: Iterable[dict]) -> tuple[list[dict], int]: ...

    def update(self, case_pk: int, changes: dict) -> dict | None: ...

    def delete(self, case_pk: int) -> bool: ...


class CaseStoreError(Exception):
    """The case log cannot be opened; the message names the file and the problem."""


def default_db_path() -> Path:
    """`SSC_DB`, else the user's data directory (e.g. ~/.local/share/seller-support-companion,
    ~/Library/Application Support/seller-support-companion, %LOCALAPPDATA%\\...)."""
    override = os.environ.get("SSC_DB")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "cases.sqlite3"


def open_store(path: str | Path) -> CaseStore:
    """Open (and migrate) the case log at `path`."""
    try:
        return SqliteCaseStore(path)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        raise CaseStoreError(f"{path}: {exc}") from exc


__all__ = ["CaseStore", "CaseStoreError", "SqliteCaseStore", "default_db_path", "open_store"]

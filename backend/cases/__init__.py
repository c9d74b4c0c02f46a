"""The case log: what the seller filed, when, and whether Amazon replied."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import platformdirs
from flask import Flask, current_app

from .store import CaseStore

APP_NAME = "seller-support-companion"
EXTENSION_KEY = "ssc_cases"


def default_db_path() -> Path:
    """`SSC_DB`, else the user's data directory (e.g. ~/.local/share/seller-support-companion,
    ~/Library/Application Support/seller-support-companion, %LOCALAPPDATA%\\...)."""
    override = os.environ.get("SSC_DB")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "cases.sqlite3"


class CaseStoreError(Exception):
    """The case log cannot be opened; the message names the file and the problem."""


def init_app(app: Flask) -> None:
    """Open (and migrate) the store at `CASES_DB` once at start-up."""
    path = app.config["CASES_DB"]
    try:
        app.extensions[EXTENSION_KEY] = CaseStore(path)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        raise CaseStoreError(f"{path}: {exc}") from exc


def current_store() -> CaseStore:
    return current_app.extensions[EXTENSION_KEY]


__all__ = ["CaseStore", "CaseStoreError", "current_store", "default_db_path", "init_app"]

"""Keyset paging: a page ends at the (filed_at, id) of its last case (follow-ups: its
(followup_due_at, id), their order), and `next_cursor` carries that key, opaque to
clients, to the request for the next page. Each page then costs the same however deep
it is (no OFFSET to skip, no count after the first page)."""

from __future__ import annotations

import base64
import re

from ..store import Key
from .errors import APIError

_DB_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00")
_MAX_ID = 2**63 - 1


def cursor_of(case: dict, column: str = "filed_at") -> str:
    key = f"{case[column]}|{case['id']}".encode("ascii")
    return base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


def key_of(cursor: str | None) -> Key | None:
    """The key a `cursor_of` came from; 422 for anything else."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        filed_at, _, pk = raw.partition("|")
        key = (filed_at, int(pk))
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        key = None
    if key is None or not _DB_TIME.fullmatch(key[0]) or not 0 < key[1] <= _MAX_ID:
        raise APIError(
            422, "invalid_input", "cursor: not a cursor from this API; pass a page's next_cursor"
        )
    return key


def page(rows: list[dict], limit: int, column: str = "filed_at") -> tuple[list[dict], str | None]:
    """`rows` read with `limit + 1`, in `column`, id order: the page, and the cursor of the
    next if there is one."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, cursor_of(rows[-1], column)

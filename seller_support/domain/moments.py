"""Moments as the seller gives them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def resolve_at(at: datetime | None, zone: ZoneInfo) -> datetime:
    """`at` as an aware UTC datetime: now by default; a naive time is in the seller's zone."""
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    return at.astimezone(UTC)

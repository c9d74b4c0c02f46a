"""Moments as the seller gives them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

# The years a moment may be in, as written (with or without an offset), at every endpoint:
# those for which the public holidays of every marketplace are known (the holidays
# library has Spain's from 2008 and India's lunar ones for 2001-2035; widen this when it
# does; tests/web/test_dates.py checks it). A date outside gets a 422, never a wrong
# answer or an overflow.
FIRST_YEAR, LAST_YEAR = 2008, 2035
SUPPORTED_RANGE = (
    f"between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31 "
    f"(日期须在 {FIRST_YEAR}-01-01 至 {LAST_YEAR}-12-31 之间)"
)


def supported(moment: datetime) -> datetime:
    """`moment` if its year, as written, is a supported one; else ValueError."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"must be {SUPPORTED_RANGE}")
    return moment


def resolve_at(at: datetime | None, zone: ZoneInfo) -> datetime:
    """`at` as an aware UTC datetime: now by default; a naive time is in the seller's zone."""
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    return at.astimezone(UTC)

"""Schedule arithmetic: open/closed status, next change, 7-day open intervals, holiday
peaks and reply_by.

All arithmetic is done on aware datetimes in UTC; wall-clock times from the rules
are attached to their zone with zoneinfo, so DST switches come out right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache, partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import holidays

    from ..rules import Rules
    from ..rules.models import ChannelSchedule, DateAnchor, HolidayPeak, Marketplace

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HORIZON = timedelta(days=7)


@lru_cache(maxsize=64)
def holiday_calendar(country: str) -> holidays.HolidayBase:
    """One calendar per country, kept for the process: building one is the expensive part
    and its data never changes; the library adds years on demand."""
    return _country_calendar(country)


def _country_calendar(country: str, **years) -> holidays.HolidayBase:
    """Holiday names in the country's own default language, whatever this machine's locale:
    left to itself the library reads LANGUAGE/LANG, so on a Thai-language machine US
    Thanksgiving is named in Thai and the rules' {holiday: Thanksgiving} finds no peak.
    The library is imported here, by the first question about a holiday, not at start-up
    (some 50 ms)."""
    import holidays

    language = holidays.country_holidays(country, years=[]).default_language
    return holidays.country_holidays(country, language=language, **years)


@dataclass(frozen=True)
class ChannelState:
    status: str  # open | closed | unknown
    next_change: datetime | None
    intervals: list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class ActivePeak:
    peak: HolidayPeak
    first_day: date
    last_day: date


def _daily_windows(schedule: ChannelSchedule, day: date, tz: ZoneInfo):
    for window in schedule.windows:
        if WEEKDAYS[day.weekday()] not in window.days:
            continue
        close_day = day if window.close > window.open else day + timedelta(days=1)
        opens = datetime.combine(day, window.open, tz).astimezone(UTC)
        closes = datetime.combine(close_day, window.close, tz).astimezone(UTC)
        yield opens, closes


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def weekly_intervals(
    schedule: ChannelSchedule, holiday_country: str, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Merged open intervals of a weekly schedule that overlap [start, end)."""
    tz = ZoneInfo(schedule.timezone)
    calendar = holiday_calendar(holiday_country)
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    found = []
    while day <= last:
        if not (schedule.closed_on_public_holidays and day in calendar):
            found.extend(_daily_windows(schedule, day, tz))
        day += timedelta(days=1)
    return [(s, e) for s, e in _merge(found) if e > start and s < end]


def channel_state(schedule: ChannelSchedule | None, holiday_country: str, at: datetime):
    if schedule is None:
        return ChannelState("unknown", None, [])
    if schedule.availability == "always":
        return ChannelState("open", None, [(at, at + HORIZON)])
    # One extra day past the horizon finds the next change even late in the week.
    intervals = weekly_intervals(schedule, holiday_country, at, at + HORIZON + timedelta(days=1))
    for start, end in intervals:
        if start <= at < end:
            return ChannelState("open", end, _within_horizon(intervals, at))
        if start > at:
            return ChannelState("closed", start, _within_horizon(intervals, at))
    return ChannelState("closed", None, [])


def _within_horizon(intervals, at):
    return [(s, e) for s, e in intervals if s < at + HORIZON]


def find_schedule(rules: Rules, marketplace: str, channel: str) -> ChannelSchedule | None:
    for schedule in rules.hours.schedules:
        if schedule.channel == channel and marketplace in schedule.marketplaces:
            return schedule
    return None


def _anchor_date(anchor: DateAnchor, year: int) -> date | None:
    if anchor.month is not None:
        base = date(year, anchor.month, anchor.day)
    else:
        base = _named_holiday(anchor.country, anchor.holiday, year)
        if base is None:
            return None
    return base + timedelta(days=anchor.offset_days)


@lru_cache(maxsize=256)
def _named_holiday(country: str, name: str, year: int) -> date | None:
    """First day in `year` whose holiday name contains `name` (built once per year)."""
    named = _country_calendar(country, years=year).get_named(name)
    return min((d for d in named if d.year == year), default=None)


def _peak_window(peak: HolidayPeak, year: int) -> tuple[date, date] | None:
    first = _anchor_date(peak.start, year)
    last = _anchor_date(peak.end, year)
    if first is None or last is None:
        return None
    if last < first:  # e.g. Christmas to New Year's Day
        last = _anchor_date(peak.end, year + 1)
    return first, last


def active_peak(rules: Rules, local_day: date) -> ActivePeak | None:
    for peak in rules.hours.holiday_peaks:
        for year in (local_day.year - 1, local_day.year):
            window = _peak_window(peak, year)
            if window and window[0] <= local_day <= window[1]:
                return ActivePeak(peak, *window)
    return None


@dataclass(frozen=True)
class ReplyPromise:
    """When a case filed at some moment should have its reply, and the holiday peak that
    pushes it back (None: the plain reply window)."""

    at: datetime
    peak: ActivePeak | None


def plain_reply_by(rules: Rules, at: datetime) -> datetime:
    """The reply window outside holiday peaks: +`case.reply_hours_max` (72 h)."""
    return at + timedelta(hours=rules.hours.case.reply_hours_max)


# How far back a peak day's promise can still be later than a case's own: a peak promise
# is N business days (5, plus the holidays and weekends it skips: under three weeks), and
# a case's own promise is at least its filing time + 72 h.
_PEAK_PROMISE_REACH = timedelta(days=21)


def reply_promise(rules: Rules, marketplace: Marketplace, at: datetime) -> ReplyPromise:
    """Latest expected reply to a case filed at `at`: +72 h normally. When those 72 h
    reach into a holiday peak (`active_peak` on the marketplace's days), the case is
    treated as filed in the peak: N business days in the marketplace's zone, skipping
    weekends and its holidays, counted from `at` when it is in the peak, else from the
    peak's first midnight. So no promise falls inside a peak by the plain window, and a
    case filed a minute before a peak is promised no earlier than one filed at its start.

    A case filed later is never promised an earlier reply: business days counted from
    the next day (past a weekend or the peak's end) can end before those of the evening
    before, so the promise is at least that of the last minute of each earlier peak day
    (cases filed just after a peak queue behind its last ones)."""
    # One promise asks about the same few weeks of days many times: each day once.
    peak_on = lru_cache(maxsize=None)(partial(active_peak, rules))
    promise = _own_promise(peak_on, rules, marketplace, at)
    for day_end in _earlier_peak_day_ends(peak_on, ZoneInfo(marketplace.timezone), at):
        earlier = _own_promise(peak_on, rules, marketplace, day_end)
        if earlier.at > promise.at:
            promise = earlier
    return promise


def _own_promise(peak_on, rules: Rules, marketplace: Marketplace, at: datetime) -> ReplyPromise:
    """The promise for `at` on its own: the plain window, or the peak's business days."""
    tz = ZoneInfo(marketplace.timezone)
    promise = ReplyPromise(plain_reply_by(rules, at), None)
    for peak in _peaks_reached(peak_on, tz, at, promise.at):
        start = max(at, datetime.combine(peak.first_day, time(), tz))
        extended = _business_days_later(marketplace, start, peak.peak.reply_business_days)
        if extended > promise.at:
            promise = ReplyPromise(extended, peak)
    return promise


def _earlier_peak_day_ends(peak_on, tz: ZoneInfo, at: datetime):
    """The last minute (in `tz`) of each peak day before `at`'s day, as far back as a
    peak's promise reaches. Within one day a later filing is promised no earlier (the same
    day's count, a later time), so promises drop only across midnights."""
    today = at.astimezone(tz).date()
    day = (at - _PEAK_PROMISE_REACH).astimezone(tz).date()
    while day < today:
        if peak_on(day) is not None:
            yield datetime.combine(day + timedelta(days=1), time(), tz) - timedelta(minutes=1)
        day += timedelta(days=1)


def _peaks_reached(peak_on, tz: ZoneInfo, start: datetime, end: datetime):
    """Each holiday peak with a day (in `tz`) that overlaps [start, end), once."""
    found: dict[tuple[str, date], ActivePeak] = {}
    day = start.astimezone(tz).date()
    while datetime.combine(day, time(), tz) < end:
        peak = peak_on(day)
        if peak is not None:
            found.setdefault((peak.peak.id, peak.first_day), peak)
        day += timedelta(days=1)
    return list(found.values())


def _business_days_later(marketplace: Marketplace, start: datetime, days: int) -> datetime:
    """The same wall-clock time `days` working days after `start`'s day, in the
    marketplace's zone and holiday calendar."""
    tz = ZoneInfo(marketplace.timezone)
    local = start.astimezone(tz)
    calendar = holiday_calendar(marketplace.holiday_country)
    day = calendar.get_nth_working_day(local.date(), days)
    return datetime.combine(day, local.timetz().replace(tzinfo=None), tz).astimezone(UTC)


def public_holiday_today(rules: Rules, marketplace: Marketplace, at: datetime) -> str | None:
    """The holiday's name if today is one and some channel here closes for holidays."""
    follows_holidays = any(
        s.closed_on_public_holidays and marketplace.code in s.marketplaces
        for s in rules.hours.schedules
    )
    if not follows_holidays:
        return None
    local_day = at.astimezone(ZoneInfo(marketplace.timezone)).date()
    return holiday_calendar(marketplace.holiday_country).get(local_day)

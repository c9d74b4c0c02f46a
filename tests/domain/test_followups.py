"""When a case is due for a follow-up: its reply_by (`schedules.reply_promise`), the same
promise the hours report gives, consistent at the edges of holiday peaks; only for the
contact methods the follow-up rule covers (`cases.followup_due`)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from seller_support.domain.cases import followup_due
from seller_support.domain.schedules import (
    active_peak,
    holiday_calendar,
    plain_reply_by,
    reply_promise,
)
from seller_support.rules import load_rules
from seller_support.rules.models import ChannelId

RULES = load_rules()
MARKETS = RULES.marketplace_by_code
MINUTE = timedelta(minutes=1)


def peak_start(peak_id: str, year: int, market: str) -> datetime:
    """The first midnight (marketplace time) of the rules' peak `peak_id` in `year`."""
    day = date(year, 1, 1)
    while day.year == year:
        found = active_peak(RULES, day)
        if found is not None and found.peak.id == peak_id and found.first_day == day:
            return datetime.combine(day, time(), ZoneInfo(MARKETS[market].timezone))
        day += timedelta(days=1)
    raise AssertionError(f"no {peak_id} starts in {year}")


def local(moment: datetime, market: str) -> datetime:
    return moment.astimezone(ZoneInfo(MARKETS[market].timezone))


PEAK_EDGES = [
    (market, peak.id, year)
    for peak in RULES.hours.holiday_peaks
    for market in ("US", "UK", "DE", "JP", "IN")
    for year in (2026, 2027)
]


@pytest.mark.parametrize(("market", "peak_id", "year"), PEAK_EDGES)
def test_a_minute_before_a_peak_is_promised_what_its_first_minute_is(market, peak_id, year):
    start = peak_start(peak_id, year, market)
    before = reply_promise(RULES, MARKETS[market], start - MINUTE)
    at_start = reply_promise(RULES, MARKETS[market], start)
    assert before.at == at_start.at
    assert before.peak is not None and before.peak.peak.id == peak_id
    # As if filed at the peak's start: its business days in the marketplace's calendar.
    calendar = holiday_calendar(MARKETS[market].holiday_country)
    days = before.peak.peak.reply_business_days
    assert local(before.at, market).date() == calendar.get_nth_working_day(start.date(), days)
    assert local(before.at, market).time() == time()  # the same wall clock: midnight


@pytest.mark.parametrize(("market", "peak_id", "year"), PEAK_EDGES)
def test_a_window_that_ends_as_the_peak_begins_is_not_extended(market, peak_id, year):
    start = peak_start(peak_id, year, market)
    filed = start - timedelta(hours=RULES.hours.case.reply_hours_max)
    promise = reply_promise(RULES, MARKETS[market], filed)
    assert promise.peak is None and promise.at == start  # answered by the peak's first minute


def test_the_issues_us_thanksgiving_edge():
    """hours?marketplace=US&at=2026-11-25T23:59 promised 28 November (inside the peak) and
    one minute later 3 December. Thanksgiving 2026 is Thursday 26 November (holidays, US);
    5 working days from it: Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 December."""
    eastern = ZoneInfo("America/New_York")
    for filed in (datetime(2026, 11, 25, 23, 59), datetime(2026, 11, 26, 0, 0)):
        promise = reply_promise(RULES, MARKETS["US"], filed.replace(tzinfo=eastern))
        assert local(promise.at, "US") == datetime(2026, 12, 3, tzinfo=eastern)


def test_the_issues_uk_christmas_edge_does_not_promise_boxing_day():
    """UK at 23 December 23:59 promised Boxing Day. As if filed on 24 December: Christmas
    (Fri 25), the weekend and Boxing Day observed (Mon 28, holidays GB 2026) are skipped:
    Tue 29, Wed 30, Thu 31, (New Year's Day, weekend) Mon 4, Tue 5 January."""
    london = ZoneInfo("Europe/London")
    promise = reply_promise(RULES, MARKETS["UK"], datetime(2026, 12, 23, 23, 59, tzinfo=london))
    due = local(promise.at, "UK")
    assert due.date() not in holiday_calendar("GB")
    assert due == datetime(2027, 1, 5, tzinfo=london)


def test_filed_in_a_peak_counts_business_days_from_the_filing_time():
    """The issue's case: US, 26 November 10:00 Eastern (Thanksgiving) → 3 December 10:00."""
    eastern = ZoneInfo("America/New_York")
    promise = reply_promise(RULES, MARKETS["US"], datetime(2026, 11, 26, 10, tzinfo=eastern))
    assert local(promise.at, "US") == datetime(2026, 12, 3, 10, tzinfo=eastern)


@pytest.mark.parametrize("market", ["US", "UK", "DE", "JP"])
def test_no_plain_72_hour_promise_ends_inside_a_peak(market):
    """Filing every 3 hours from mid-November to mid-January: a promise made by the plain
    window never reaches a peak day; one that would is made by the peak's rule."""
    tz = ZoneInfo(MARKETS[market].timezone)
    filed = datetime(2026, 11, 15, tzinfo=tz)
    while filed < datetime(2027, 1, 15, tzinfo=tz):
        promise = reply_promise(RULES, MARKETS[market], filed)
        if promise.peak is None:
            assert promise.at == plain_reply_by(RULES, filed)
            last_moment = local(promise.at - MINUTE, market)
            assert active_peak(RULES, last_moment.date()) is None, filed
        else:
            assert promise.at > plain_reply_by(RULES, filed), filed
        filed += timedelta(hours=3)


@pytest.mark.parametrize("market", ["US", "UK", "DE", "JP", "IN"])
def test_a_case_filed_later_is_never_promised_an_earlier_reply(market):
    """Every local midnight from mid-November to mid-January (where business days restart
    from a new day: weekends, holidays, a peak's end) and every 3 hours between: the
    promise never goes back, however the filing minute falls."""
    tz = ZoneInfo(MARKETS[market].timezone)
    midnight = datetime(2026, 11, 15, tzinfo=tz)
    previous = reply_promise(RULES, MARKETS[market], midnight - MINUTE).at
    while midnight < datetime(2027, 1, 15, tzinfo=tz):
        for hours in range(0, 24, 3):
            filed = (midnight + timedelta(hours=hours)).astimezone(tz)
            promised = reply_promise(RULES, MARKETS[market], filed).at
            assert promised >= previous, filed
            previous = promised
        next_midnight = datetime.combine(midnight.date() + timedelta(days=1), time(), tz)
        last_minute = reply_promise(RULES, MARKETS[market], next_midnight - MINUTE).at
        assert last_minute >= previous, next_midnight - MINUTE
        previous, midnight = last_minute, next_midnight


def test_the_reviews_peak_end_edges_queue_behind_the_peaks_last_minute():
    """US 30 Nov 23:59 ET was promised 7 Dec 23:59 and 1 Dec 00:00 only 4 Dec 00:00; UK
    1 Jan 23:59 was promised 8 Jan and 2 Jan 00:00 5 Jan. After the peak a case is promised
    no earlier than its last minute, and its own 72 h once those are later."""
    eastern, london = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
    cases = [
        (
            "US",
            datetime(2026, 11, 30, 23, 59, tzinfo=eastern),
            datetime(2026, 12, 1, tzinfo=eastern),
        ),
        ("UK", datetime(2027, 1, 1, 23, 59, tzinfo=london), datetime(2027, 1, 2, tzinfo=london)),
    ]
    for market, last_peak_minute, first_after in cases:
        in_peak = reply_promise(RULES, MARKETS[market], last_peak_minute)
        after = reply_promise(RULES, MARKETS[market], first_after)
        assert after.at == in_peak.at and after.peak == in_peak.peak
        own_is_later = in_peak.at - timedelta(hours=RULES.hours.case.reply_hours_max) + MINUTE
        later = reply_promise(RULES, MARKETS[market], own_is_later)
        assert later.peak is None and later.at == plain_reply_by(RULES, own_is_later)


@pytest.mark.parametrize("method", get_args(ChannelId))
def test_only_the_rules_contact_methods_are_followed_up(method):
    filed = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("America/New_York"))
    due = followup_due(RULES, "US", method, filed)
    if method in RULES.facts.followup.contact_methods:
        assert due == reply_promise(RULES, MARKETS["US"], filed).at
    else:
        assert due is None


def test_phone_and_chat_get_no_follow_up():
    """Both are answered while the seller waits; only cases (email) promise a reply."""
    assert set(RULES.facts.followup.contact_methods).isdisjoint({"phone", "chat"})


def test_a_stored_case_of_a_marketplace_no_longer_in_the_rules_keeps_the_plain_window():
    filed = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("UTC"))
    assert followup_due(RULES, "ZZ", "case", filed) == plain_reply_by(RULES, filed)


@pytest.mark.parametrize("at", ["2026-11-25T23:59:00", "2026-11-26T00:00:00"])
def test_the_hours_report_at_the_issues_minutes_promises_the_same(client, at):
    """The issue's requests, a minute apart: both 3 December (see above), both with the
    peak's notice, as the promise is the peak's."""
    query = {"marketplace": "US", "at": at, "tz": "America/New_York"}
    report = client.get("/api/v1/hours", query_string=query).json
    case = next(c for c in report["channels"] if c["channel"] == "case")
    assert case["reply_by_marketplace"] == "2026-12-03T00:00:00-05:00"
    assert "holiday_delay" in [n["code"] for n in report["notices"]]


def test_peaks_named_by_holiday_are_found_whatever_the_machines_language():
    """The holidays library names holidays in LANGUAGE/LANG's language when it has a
    translation (US: Thai); the rules name Thanksgiving in English. A fresh interpreter,
    since the calendars are cached per process."""
    script = (
        "from datetime import date\n"
        "from seller_support.domain.schedules import active_peak\n"
        "from seller_support.rules import load_rules\n"
        "found = active_peak(load_rules(), date(2026, 11, 27))\n"
        "print(found.peak.id if found else None)\n"
    )
    env = {**os.environ, "LANGUAGE": "th", "LANG": "th_TH.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    in_english = active_peak(RULES, date(2026, 11, 27))
    assert in_english is not None
    assert done.stdout.strip() == in_english.peak.id

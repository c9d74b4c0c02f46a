"""Open hours: DST switches, India's working days and holidays, next changes,
7-day intervals, reply_by in and out of holiday peaks, and notices."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest


def hours(client, marketplace: str, at: str, tz: str = "Asia/Shanghai") -> dict:
    response = client.get(
        "/api/v1/hours", query_string={"marketplace": marketplace, "at": at, "tz": tz}
    )
    assert response.status_code == 200, response.json
    return response.json


def channel(report: dict, name: str) -> dict:
    return next(c for c in report["channels"] if c["channel"] == name)


def notice_codes(report: dict) -> list[str]:
    return [n["code"] for n in report["notices"]]


@pytest.mark.parametrize(
    ("at", "status", "next_beijing", "next_eastern"),
    [
        # Saturday before the spring switch: 05:00 EST is 18:00 in Beijing.
        (
            "2026-03-07T12:00:00+08:00",
            "closed",
            "2026-03-07T18:00:00+08:00",
            "2026-03-07T05:00:00-05:00",
        ),
        # The switch happens overnight: 05:00 EDT on Sunday is 17:00 in Beijing.
        (
            "2026-03-08T12:00:00+08:00",
            "closed",
            "2026-03-08T17:00:00+08:00",
            "2026-03-08T05:00:00-04:00",
        ),
        # Open on the first EDT evening; it closes at 20:00 EDT = 08:00 Beijing.
        (
            "2026-03-08T17:30:00+08:00",
            "open",
            "2026-03-09T08:00:00+08:00",
            "2026-03-08T20:00:00-04:00",
        ),
        # Autumn: the last EDT morning opens at 17:00 Beijing, the first EST one at 18:00.
        (
            "2026-10-31T12:00:00+08:00",
            "closed",
            "2026-10-31T17:00:00+08:00",
            "2026-10-31T05:00:00-04:00",
        ),
        (
            "2026-11-01T12:00:00+08:00",
            "closed",
            "2026-11-01T18:00:00+08:00",
            "2026-11-01T05:00:00-05:00",
        ),
    ],
)
def test_us_phone_across_dst(client, at, status, next_beijing, next_eastern):
    phone = channel(hours(client, "US", at), "phone")
    assert phone["status"] == status
    assert phone["next_change"] == next_beijing
    assert phone["next_change_marketplace"] == next_eastern


def test_us_phone_times_follow_the_sellers_zone(client):
    phone = channel(hours(client, "US", "2026-07-01T12:00:00-04:00", tz="Europe/Berlin"), "phone")
    assert phone["next_change"] == "2026-07-02T02:00:00+02:00"
    assert phone["next_change_marketplace"] == "2026-07-01T20:00:00-04:00"


def test_eu_is_always_open_and_reports_local_dst(client):
    report = hours(client, "DE", "2026-03-29T03:30:00+02:00")
    assert report["at_marketplace"] == "2026-03-29T03:30:00+02:00"
    assert report["at"] == "2026-03-29T09:30:00+08:00"
    for name in ("phone", "chat"):
        assert channel(report, name)["status"] == "open"
        assert channel(report, name)["next_change"] is None


def test_india_closes_on_republic_day_and_says_why(client):
    report = hours(client, "IN", "2026-01-26T10:00:00+05:30")
    phone = channel(report, "phone")
    assert phone["status"] == "closed"
    assert phone["next_change_marketplace"] == "2026-01-27T09:00:00+05:30"
    holiday = next(n for n in report["notices"] if n["code"] == "public_holiday")
    assert "Republic Day" in holiday["message"]["en"]


def test_india_weekend_reopens_monday(client):
    chat = channel(hours(client, "IN", "2026-02-07T10:00:00+05:30"), "chat")
    assert chat["status"] == "closed"
    assert chat["next_change_marketplace"] == "2026-02-09T09:00:00+05:30"


def test_india_open_intervals_skip_holiday_and_weekend(client):
    # Thursday 2026-10-01: Friday is Gandhi Jayanti, then the weekend.
    phone = channel(hours(client, "IN", "2026-10-01T08:00:00+05:30"), "phone")
    starts = [i["start_marketplace"][:10] for i in phone["open_intervals"]]
    assert "2026-10-02" not in starts  # Gandhi Jayanti
    assert starts[:2] == ["2026-10-01", "2026-10-05"]
    assert all(i["end_marketplace"].endswith("18:00:00+05:30") for i in phone["open_intervals"])


def test_marketplace_without_source_hours_is_unknown_with_help(client):
    report = hours(client, "CA", "2026-07-01T12:00:00-04:00")
    for name in ("phone", "chat"):
        entry = channel(report, name)
        assert entry["status"] == "unknown"
        assert entry["next_change"] is None and entry["open_intervals"] == []
        assert entry["help_url"] == "https://sellercentral.amazon.ca/cu/contact-us"


def test_open_intervals_cover_seven_days(client):
    at = "2026-07-01T12:00:00-04:00"
    phone = channel(hours(client, "US", at), "phone")
    # The window open now (since 05:00) plus the seven that start within 7 days.
    assert len(phone["open_intervals"]) == 8
    assert phone["open_intervals"][0]["start_marketplace"] == "2026-07-01T05:00:00-04:00"
    assert phone["open_intervals"][-1]["start_marketplace"] == "2026-07-08T05:00:00-04:00"
    for interval in phone["open_intervals"]:
        length = datetime.fromisoformat(interval["end"]) - datetime.fromisoformat(interval["start"])
        assert length == timedelta(hours=15)
    chat = channel(hours(client, "US", at), "chat")
    assert chat["open_intervals"][0]["end_marketplace"] == "2026-07-08T12:00:00-04:00"


def test_case_reply_by_is_72_hours_outside_peaks(client):
    report = hours(client, "US", "2026-07-01T12:00:00-04:00")
    assert channel(report, "case")["reply_by_marketplace"] == "2026-07-04T12:00:00-04:00"
    assert "holiday_delay" not in notice_codes(report)


def test_black_friday_reply_by_counts_five_business_days(client):
    report = hours(client, "US", "2026-11-27T10:00:00-05:00")
    assert channel(report, "case")["reply_by_marketplace"] == "2026-12-04T10:00:00-05:00"
    delay = next(n for n in report["notices"] if n["code"] == "holiday_delay")
    assert delay["data"] == {
        "peak": "thanksgiving_cyber_monday",
        "first_day": "2026-11-26",
        "last_day": "2026-11-30",
        "reply_by": "2026-12-04 10:00",
    }
    assert "2026-12-04 10:00" in delay["message"]["zh"]


def test_peak_notice_gives_reply_by_in_the_sellers_zone_as_the_case_badge_does(client):
    report = hours(client, "US", "2026-11-27T10:00:00-05:00", tz="Asia/Shanghai")
    case = channel(report, "case")
    seller_time = datetime.fromisoformat(case["reply_by"]).strftime("%Y-%m-%d %H:%M")
    market_time = datetime.fromisoformat(case["reply_by_marketplace"]).strftime("%Y-%m-%d %H:%M")
    delay = next(n for n in report["notices"] if n["code"] == "holiday_delay")
    assert f"北京时间 {seller_time}（美东时间 {market_time}）" in delay["message"]["zh"]
    assert f"{seller_time} Beijing time ({market_time} US Eastern time)" in delay["message"]["en"]


@pytest.mark.parametrize("alias", ["Asia/Chongqing", "PRC"])
def test_an_alias_of_beijing_time_is_named_beijing_time(client, alias):
    report = hours(client, "US", "2026-11-27T10:00:00-05:00", tz=alias)
    delay = next(n for n in report["notices"] if n["code"] == "holiday_delay")
    assert "北京时间" in delay["message"]["zh"] and "Chongqing" not in delay["message"]["en"]
    assert "Beijing time" in delay["message"]["en"]


def test_christmas_peak_skips_the_marketplaces_own_holidays(client):
    # US: Dec 25 and Jan 1 are holidays → Dec 28, 29, 30, 31, Jan 4.
    us = hours(client, "US", "2026-12-24T09:00:00-05:00")
    assert channel(us, "case")["reply_by_marketplace"] == "2027-01-04T09:00:00-05:00"
    # UK also has Boxing Day (observed Monday 28th) → Dec 29, 30, 31, Jan 4, 5.
    uk = hours(client, "UK", "2026-12-24T09:00:00+00:00")
    assert channel(uk, "case")["reply_by_marketplace"] == "2027-01-05T09:00:00+00:00"


def test_new_years_day_is_still_in_the_previous_years_peak(client):
    report = hours(client, "JP", "2027-01-01T10:00:00+09:00")
    assert "holiday_delay" in notice_codes(report)
    # The day after, a case queues behind the peak's last one (5 business days from
    # 1 January 23:59: 8 January 23:59), so the notice says why; once a case's own 72 h
    # end later, there is none.
    after = channel(hours(client, "JP", "2027-01-02T10:00:00+09:00"), "case")
    assert after["reply_by_marketplace"] == "2027-01-08T23:59:00+09:00"
    assert "holiday_delay" not in notice_codes(hours(client, "JP", "2027-01-06T10:00:00+09:00"))


def test_marketplace_notices_come_from_the_source(client):
    jp = hours(client, "JP", "2026-07-01T12:00:00+09:00")
    barrier = next(n for n in jp["notices"] if n["code"] == "language_barrier")
    assert "48" in barrier["message"]["zh"] and barrier["source"]["quote"]
    eu = hours(client, "FR", "2026-07-01T12:00:00+02:00")
    assert any("18" in n["message"]["en"] for n in eu["notices"])


def test_each_uk_figure_is_attributed_to_its_own_source(client):
    # The UK's 12-minute wait is Jungle Scout's; the EU's 18 hours the EU report's: every
    # figure a notice gives is in the quote of the source it names.
    uk = hours(client, "UK", "2026-07-01T12:00:00+01:00")
    timing = [n for n in uk["notices"] if n["code"] == "response_time"]
    assert {"12", "18"} <= {f for n in timing for f in re.findall(r"\d+", n["message"]["en"])}
    for notice in timing:
        for figure in re.findall(r"\d+", notice["message"]["en"]):
            assert figure in notice["source"]["quote"], notice


def test_naive_at_is_read_in_the_sellers_zone(client):
    report = hours(client, "US", "2026-07-01T20:00:00")
    assert report["at"] == "2026-07-01T20:00:00+08:00"


def test_default_at_is_now(client):
    report = client.get("/api/v1/hours?marketplace=us").json
    at = datetime.fromisoformat(report["at"])
    assert abs((at - datetime.now(at.tzinfo)).total_seconds()) < 60
    assert report["seller_timezone"] == "Asia/Shanghai"


def test_world_clock_lists_every_marketplace(client):
    codes = [m["code"] for m in client.get("/api/v1/marketplaces").json["marketplaces"]]
    clock = client.get("/api/v1/hours/all", query_string={"at": "2026-07-01T12:00:00+08:00"}).json
    assert [r["marketplace"] for r in clock["marketplaces"]] == codes
    assert {"US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "JP", "IN", "AU"} <= set(codes)
    assert all(len(r["channels"]) == 3 for r in clock["marketplaces"])


def test_a_report_is_for_the_minute(client):
    first = hours(client, "US", "2026-07-01T12:00:05+08:00")
    second = hours(client, "US", "2026-07-01T12:00:59.5+08:00")
    assert first == second
    assert first["at"] == "2026-07-01T12:00:00+08:00"
    assert channel(first, "case")["open_intervals"][0]["start"] == first["at"]
    assert hours(client, "US", "2026-07-01T12:01:00+08:00")["at"] == "2026-07-01T12:01:00+08:00"

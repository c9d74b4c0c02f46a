"""lib/hours.js: badge state at any instant from cached open intervals.

Runs in an extension page, where the library is loaded."""

from __future__ import annotations

from datetime import UTC

import pytest
from playwright.sync_api import expect

H = 3600 * 1000
AT = 1_800_000_000_000  # a fixed instant (ms)


@pytest.fixture()
def hours_page(page, ext):
    page.goto(ext.url("popup/popup.html"))
    expect(page.locator("body[data-ssc-state]")).to_have_count(1)
    return page


def state(page, channel, now, at=AT):
    return page.evaluate(
        """([ch, now, at]) => SSC.hours.channelAt(ch, {at: new Date(at).toISOString()}, now)""",
        [channel, now, at],
    )


def iv(start, end):
    from datetime import datetime

    def iso(ms):
        return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()

    return {"start": iso(start), "end": iso(end)}


def test_open_closed_and_next_change(hours_page):
    ch = {
        "status": "closed",
        "open_intervals": [iv(AT + 2 * H, AT + 10 * H), iv(AT + 26 * H, AT + 34 * H)],
    }
    assert state(hours_page, ch, AT) == {"status": "closed", "next": AT + 2 * H}
    assert state(hours_page, ch, AT + 3 * H) == {"status": "open", "next": AT + 10 * H}
    assert state(hours_page, ch, AT + 10 * H) == {"status": "closed", "next": AT + 26 * H}
    assert state(hours_page, ch, AT + 40 * H) == {"status": "closed", "next": None}


def test_touching_intervals_merge_and_window_end_is_not_a_close(hours_page):
    week = 7 * 24 * H
    ch = {
        "status": "open",
        "next_change": None,
        "open_intervals": [iv(AT, AT + 24 * H), iv(AT + 24 * H, AT + week)],
    }
    assert state(hours_page, ch, AT + 23 * H) == {"status": "open", "next": None}


def test_unknown_and_stale_cache(hours_page):
    assert state(hours_page, {"status": "unknown", "open_intervals": []}, AT)["status"] == "unknown"
    assert state(hours_page, {"status": "bogus"}, AT)["status"] == "unknown"
    ch = {"status": "open", "open_intervals": [iv(AT, AT + 9 * 24 * H)]}
    # Past the 7-day window of the cached response we no longer know: offline.
    assert state(hours_page, ch, AT + 8 * 24 * H)["status"] == "offline"


def test_channel_without_intervals_trusts_backend_until_next_change(hours_page):
    ch = {"status": "open", "next_change": iv(AT + H, AT + 2 * H)["start"], "open_intervals": []}
    assert state(hours_page, ch, AT) == {"status": "open", "next": AT + H}
    assert state(hours_page, ch, AT + 2 * H)["status"] == "offline"

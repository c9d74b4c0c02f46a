"""A long case log keeps the backend fast and small, through the real server (waitress):
the duplicate check reads a bounded candidate set, follow-ups and the case list come a
page at a time, and memory stays bounded. `make bench` ("Case log at scale") measures
the same with 50,000 cases, side by side with an empty log."""

from __future__ import annotations

import json
import statistics
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from ..bench import corpus
from ..bench.caselog import seed
from ..bench.server import rss_kib
from ..conftest import running_backend

CASES = 20_000  # all open, one marketplace, inside the 14-day window


def _call(url: str, body: dict | None = None) -> tuple[float, dict, int]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = datetime.now(UTC)
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()
    ms = (datetime.now(UTC) - started).total_seconds() * 1000
    return ms, json.loads(raw), len(raw)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for the server's memory")
@pytest.mark.alone  # times prechecks and measures memory: no other worker runs meanwhile
def test_a_long_case_log_keeps_precheck_pages_and_memory_bounded(tmp_path):
    db = tmp_path / "cases.sqlite3"
    seed(db, CASES, datetime.now(UTC))
    with running_backend(db) as (base_url, process):
        times = []
        for text in corpus.of_length(300, 12):
            body = {"text": text, "category": "logistics", "marketplace": "US"}
            times.append(_call(f"{base_url}/api/v1/precheck", body)[0])
        # Before the bound: every stored case was compared, 1.5 s a precheck at 20,000.
        assert statistics.median(times[2:]) < 250, times

        # A month on, every case is past its reply_by, whatever holiday peaks it met.
        month_on = quote((datetime.now(UTC) + timedelta(days=30)).isoformat())
        followups = f"{base_url}/api/v1/cases/followups?limit=500&at={month_on}"
        _, first, size = _call(followups)
        assert first["total"] == CASES and len(first["followups"]) == 500
        assert size < 1024 * 1024  # one page, the checklist once (before: 30 MB at once)
        _, second, _ = _call(f"{followups}&cursor={first['next_cursor']}")
        assert second["total"] is None and len(second["followups"]) == 500
        assert first["followups"][-1]["due_at"] <= second["followups"][0]["due_at"]

        _, page, _ = _call(f"{base_url}/api/v1/cases?limit=500")
        assert page["total"] == CASES and page["next_cursor"]
        assert rss_kib(process.pid) < 150 * 1024

"""The case log at scale (`--only caselog`): two `make run` servers side by side, one on an
empty case log and one on a log of 50,000 open cases, all in one marketplace, spread
over the duplicate check's 14-day window and over five categories (the check's worst
case: every draft has thousands of same-marketplace, same-category cases to compare with,
and none of them is a duplicate). Each round sends the same new 300-character draft to
both. Then the follow-ups and the case list are read page by page to the end on the large
log, and the server's memory (VmRSS, and VmHWM, its peak) is read after each stage."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from tests.conftest import running_backend

from . import corpus
from .server import Client, Request, _json, rss_kib
from .stats import summary

MARKETPLACE = "US"
CATEGORIES = ("logistics", "listing_removed", "account_deactivation", "a_to_z_claim", "other")
WINDOW = timedelta(days=14)


def seed(path: Path, n: int, now: datetime) -> None:
    """`n` distinct open cases filed over the 14 days before `now`, newest first by id,
    each with its follow-up time as the backend works it out."""
    from seller_support.domain.cases import followup_due
    from seller_support.rules import load_rules
    from seller_support.store import SqliteCaseStore

    rules = load_rules()
    texts = corpus.of_length(301, 2000)  # not the drafts' texts (those are 300 long)
    store = SqliteCaseStore(path)
    step = (WINDOW - timedelta(minutes=5)) / max(n, 1)
    batch = 5000
    for start in range(0, n, batch):
        filed = [
            (i, now - timedelta(minutes=1) - step * i) for i in range(start, min(n, start + batch))
        ]
        store.add_many(
            {
                "text": f"{texts[i % len(texts)]} #{i}",
                "category": CATEGORIES[i % len(CATEGORIES)],
                "marketplace": MARKETPLACE,
                "contact_method": "case",
                "filed_at": filed_at,
                "status": "open",
                "followup_due_at": followup_due(rules, MARKETPLACE, "case", filed_at),
            }
            for i, filed_at in filed
        )
    store.close()


def _hwm_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for pid {pid}")


def _get(client: Client, path: str) -> tuple[float, dict, int]:
    """ms, the JSON body and its size in bytes."""
    start = time.perf_counter()
    client.conn.request("GET", path, headers=Client.HEADERS)
    response = client.conn.getresponse()
    raw = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}: {raw[:300]!r}")
    return elapsed, json.loads(raw), len(raw)


def _pages(client: Client, path: str, query: dict, items: str) -> dict:
    """Read every page (following `next_cursor`); ms of the first and of the later pages,
    the largest page in bytes, the items read."""
    first_ms, later_ms, largest, count, cursor = None, [], 0, 0, None
    while True:
        ms, body, size = _get(
            client, f"{path}?{urlencode({**query, **({'cursor': cursor} if cursor else {})})}"
        )
        largest, count = max(largest, size), count + len(body[items])
        if first_ms is None:
            first_ms = ms
        else:
            later_ms.append(ms)
        cursor = body.get("next_cursor")
        if not cursor:
            break
    return {
        "first_page_ms": round(first_ms, 2),
        "later_pages": summary(later_ms, 2),
        "largest_page_bytes": largest,
        "items": count,
    }


def caselog(workdir: Path, n_cases: int, prechecks: int, page_limit: int) -> dict:
    now = datetime.now(UTC)
    big_db, empty_db = workdir / "caselog-big.sqlite3", workdir / "caselog-empty.sqlite3"
    started = time.perf_counter()
    seed(big_db, n_cases, now)
    seeded_s = time.perf_counter() - started
    drafts = corpus.of_length(300, prechecks + 5)
    result: dict = {"cases": n_cases, "seed_seconds": round(seeded_s, 1)}
    with running_backend(empty_db) as (empty_url, _), running_backend(big_db) as (big_url, big):
        memory = {"after_start": rss_kib(big.pid)}
        small, large = Client(empty_url), Client(big_url)
        samples: dict[str, list[float]] = {"empty": [], "big": []}
        fired = 0
        try:
            for i, text in enumerate(drafts):
                body = _json({"text": text, "category": "logistics", "marketplace": MARKETPLACE})
                request = Request("POST", "/api/v1/precheck", body)
                pair = [("empty", small), ("big", large)]
                for side, client in pair if i % 2 else reversed(pair):  # alternate who is first
                    ms = client.send(request) * 1000
                    if i >= 5:  # the first few warm the connections
                        samples[side].append(ms)
            # Did any draft find a duplicate (the check would stop early)? Ask once more.
            for text in drafts[5:25]:
                body = {"text": text, "category": "logistics", "marketplace": MARKETPLACE}
                large.conn.request("POST", "/api/v1/precheck", _json(body), Client.HEADERS)
                answer = json.loads(large.conn.getresponse().read())
                fired += any(f["code"] == "duplicate_case" for f in answer["findings"])
            memory["after_prechecks"] = rss_kib(big.pid)
            # A month on, every case is past its reply_by, whatever holiday peaks it met.
            query = {"limit": page_limit, "at": (now + timedelta(days=30)).isoformat()}
            result["followups"] = _pages(large, "/api/v1/cases/followups", query, "followups")
            memory["after_followups"] = rss_kib(big.pid)
            result["cases_list"] = _pages(large, "/api/v1/cases", {"limit": page_limit}, "cases")
            memory["after_case_pages"] = rss_kib(big.pid)
            memory["peak"] = _hwm_kib(big.pid)
        finally:
            small.close()
            large.close()
    empty, big_stats = summary(samples["empty"]), summary(samples["big"])
    result["precheck"] = {
        "empty": empty,
        "big": big_stats,
        "p50_ratio": round(big_stats["p50"] / empty["p50"], 2),
        "p99_ratio": round(big_stats["p99"] / empty["p99"], 2),
        "duplicates_found_in_20": fired,
    }
    result["memory_kib"] = memory
    return result


def report(result: dict) -> list[str]:
    from .stats import fmt, table

    pre = result["precheck"]
    mem = {k: f"{v / 1024:.1f}" for k, v in result["memory_kib"].items()}
    rows = [
        [
            "precheck, sequential, side by side",
            f"{fmt(pre['empty']['p50'])} / {fmt(pre['empty']['p99'])}",
            f"{fmt(pre['big']['p50'])} / {fmt(pre['big']['p99'])}",
            f"{pre['p50_ratio']} / {pre['p99_ratio']}",
        ]
    ]
    for key, label in (("followups", "follow-ups"), ("cases_list", "case list")):
        part = result[key]
        rows.append(
            [
                f"{label}: {part['items']:,} items, first / later pages (p50 / p99)",
                "",
                f"{fmt(part['first_page_ms'])}; {fmt(part['later_pages']['p50'])} / "
                f"{fmt(part['later_pages']['p99'])}",
                f"largest page {part['largest_page_bytes'] / 1024:.0f} KiB",
            ]
        )
    return [
        f"Case log at scale: {result['cases']:,} open cases in one marketplace and the "
        f"14-day window (seeded in {result['seed_seconds']} s), ms (p50 / p99)",
        table(rows, ["measure", "empty log", f"{result['cases']:,} cases", "ratio"]),
        f"duplicate_case fired for {pre['duplicates_found_in_20']} of 20 drafts (a shared "
        "order id or ASIN; the others compared the whole bounded candidate set)",
        f"RSS of the server with {result['cases']:,} cases, MiB: after start "
        f"{mem['after_start']}, after the prechecks {mem['after_prechecks']}, after every "
        f"follow-up page {mem['after_followups']}, after every case-list page "
        f"{mem['after_case_pages']}; peak (VmHWM) {mem['peak']}",
    ]

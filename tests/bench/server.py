"""Backend over loopback: latency of the hot endpoints against /health, and RSS over
many requests. The server is the one `make run` starts (waitress, `seller_support.serve`)."""

from __future__ import annotations

import http.client
import itertools
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from . import corpus
from .stats import summary

HEALTH = "health"
# precheck_after_classify is the extension's flow: the submit's precheck reads the draft
# that the last hint was classified for. precheck alone always sends a text never seen.
ENDPOINTS = (HEALTH, "hours", "classify", "precheck", "precheck_after_classify")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None


def _json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


# Texts per sender: more than a sender's classify and precheck requests in a full run, so
# no text is ever sent twice and a cache keyed by the text could not answer from an
# earlier request; the classifier's whole cost is measured every time.
TEXTS_PER_SENDER = 400


def text_pools(senders: int) -> list[list[str]]:
    """Disjoint lists of distinct 300-character zh/en mixes, one per sender."""
    pool = corpus.of_length(300, TEXTS_PER_SENDER * senders)
    return [pool[i::senders] for i in range(senders)]


def hot_requests(texts: list[str]) -> dict[str, Callable[[], Request]]:
    """Request makers for the measured endpoints. classify and precheck send the next of
    `texts` (a 300-character zh/en mix); precheck_after_classify sends the text classify
    sent last; hours asks about now, as the extension does."""
    next_text = itertools.cycle(texts).__next__
    classified = [texts[0]]

    def classify() -> Request:
        classified[0] = next_text()
        return Request(
            "POST", "/api/v1/classify", _json({"text": classified[0], "marketplace": "US"})
        )

    def precheck(text: str) -> Request:
        body = {"text": text, "marketplace": "US", "contact_method": "case"}
        return Request("POST", "/api/v1/precheck", _json(body))

    return {
        HEALTH: lambda: Request("GET", "/api/v1/health"),
        "hours": lambda: Request(
            "GET", "/api/v1/hours?" + urlencode({"marketplace": "US", "tz": "Asia/Shanghai"})
        ),
        "classify": classify,
        "precheck": lambda: precheck(next_text()),
        "precheck_after_classify": lambda: precheck(classified[0]),
    }


class Client:
    """One persistent HTTP/1.1 connection (keep-alive), so that we time the server,
    not TCP set-up."""

    HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def send(self, request: Request) -> float:
        """Seconds from sending the request to having read the whole response."""
        start = time.perf_counter()
        self.conn.request(request.method, request.path, body=request.body, headers=self.HEADERS)
        response = self.conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{request.method} {request.path} answered {response.status}")
        return elapsed

    def close(self) -> None:
        self.conn.close()


def _rounds(client: Client, makers: dict, rounds: int, offset: int, out: dict) -> None:
    """Each round sends one request to every endpoint (rotated by `offset`), so the
    endpoints are measured side by side under the same conditions."""
    names = list(makers)
    names = names[offset % len(names) :] + names[: offset % len(names)]
    for _ in range(rounds):
        for name in names:
            out[name].append(client.send(makers[name]()) * 1000)


def _latency_table(samples: dict[str, list[float]]) -> dict:
    floor = summary(samples[HEALTH])
    result = {}
    for name in ENDPOINTS:
        stats = summary(samples[name])
        stats["p50_ratio_to_health"] = round(stats["p50"] / floor["p50"], 2)
        stats["p99_ratio_to_health"] = round(stats["p99"] / floor["p99"], 2)
        result[name] = stats
    return result


def latency(
    base_url: str, rounds: int, clients: int, concurrent_rounds: int, warmup: int = 20
) -> dict:
    """p50/p99 (ms) of each endpoint, sequential (one client, `rounds` rounds) and with
    `clients` concurrent clients (`concurrent_rounds` each), each on its own connection
    and thread."""
    pools = text_pools(1 + clients)
    makers = hot_requests(pools[0])

    warm = Client(base_url)
    _rounds(warm, makers, warmup, 0, {name: [] for name in ENDPOINTS})
    sequential = {name: [] for name in ENDPOINTS}
    _rounds(warm, makers, rounds, 0, sequential)
    warm.close()

    concurrent = {name: [] for name in ENDPOINTS}
    per_client = [{name: [] for name in ENDPOINTS} for _ in range(clients)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(clients)

    def worker(i: int) -> None:
        client = Client(base_url)
        try:
            own = hot_requests(pools[1 + i])
            client.send(own[HEALTH]())  # connect before the clock starts
            barrier.wait()
            _rounds(client, own, concurrent_rounds, i, per_client[i])
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)
            barrier.abort()
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    for samples in per_client:
        for name in ENDPOINTS:
            concurrent[name] += samples[name]
    total = sum(len(v) for v in concurrent.values())
    return {
        "unit": "ms",
        "rounds": rounds,
        "concurrent_rounds": concurrent_rounds,
        "sequential": _latency_table(sequential),
        "concurrent": {
            "clients": clients,
            "requests_per_second": round(total / wall, 1),
            **_latency_table(concurrent),
        },
    }


# --- memory -------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc/<pid>/status (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


MARKETS = ("US", "UK", "DE", "FR", "IT", "ES", "JP", "IN", "CA", "MX", "AU")
ZONES = ("Asia/Shanghai", "Asia/Singapore", "Asia/Hong_Kong", "America/Los_Angeles", "UTC")


def mixed_requests(n: int, seed: int) -> list[Request]:
    """`n` requests in the proportions the extension sends them: mostly classify (every
    pause in typing), then hours, precheck (every submit), the page-load lookups, and now
    and then the popup's world clock. Texts vary, and every hours request asks about a
    different minute, so any per-minute cache must stay bounded."""
    rng = random.Random(seed)
    texts = corpus.varied(1000)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    simple = ("/api/v1/health", "/api/v1/categories", "/api/v1/selectors", "/api/v1/marketplaces")
    out = []
    for i in range(n):
        roll = rng.random()
        market = rng.choice(MARKETS)
        at = (start + timedelta(minutes=i * 7)).isoformat()
        if roll < 0.55:
            body = {"text": rng.choice(texts), "marketplace": market}
            out.append(Request("POST", "/api/v1/classify", _json(body)))
        elif roll < 0.65:
            body = {
                "text": rng.choice(texts),
                "marketplace": market,
                "contact_method": rng.choice(["case", "phone", "chat"]),
                "attachments": rng.choice([[], ["invoice.pdf"], ["screenshot.png", "pod.jpg"]]),
                "at": at,
            }
            out.append(Request("POST", "/api/v1/precheck", _json(body)))
        elif roll < 0.77:
            query = urlencode({"marketplace": market, "at": at, "tz": rng.choice(ZONES)})
            out.append(Request("GET", "/api/v1/hours?" + query))
        elif roll < 0.773:
            out.append(Request("GET", "/api/v1/hours/all?" + urlencode({"at": at})))
        else:
            out.append(Request("GET", rng.choice(simple)))
    return out


def memory(base_url: str, pid: int, total: int, step: int, clients: int = 4) -> dict:
    """RSS (KiB) before and after every `step` of `total` mixed requests, sent by
    `clients` concurrent connections."""
    requests = mixed_requests(total, corpus.SEED)
    series = [{"requests": 0, "rss_kib": rss_kib(pid)}]
    conns = [Client(base_url) for _ in range(clients)]
    started = time.perf_counter()
    try:
        for begin in range(0, total, step):
            batch = requests[begin : begin + step]
            errors: list[BaseException] = []

            def work(i: int, batch=batch, errors=errors) -> None:
                try:
                    for request in batch[i::clients]:
                        conns[i].send(request)
                except BaseException as exc:  # reported below
                    errors.append(exc)

            threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if errors:
                raise errors[0]
            series.append({"requests": begin + len(batch), "rss_kib": rss_kib(pid)})
    finally:
        for c in conns:
            c.close()
    rss = [point["rss_kib"] for point in series]
    half = next(i for i, point in enumerate(series) if point["requests"] * 2 >= total)
    return {
        "unit": "KiB",
        "requests": total,
        "clients": clients,
        "seconds": round(time.perf_counter() - started, 1),
        "series": series,
        # The first step fills caches and allocator arenas; a leak keeps growing after it.
        # "Second half": from the point at (or just past) half of the requests to the end.
        "growth_first_step_kib": rss[1] - rss[0],
        "growth_after_first_step_kib": rss[-1] - rss[1],
        "growth_second_half_kib": rss[-1] - rss[half],
    }

"""A bounded load test over loopback against the real server: mixed hours, classify,
precheck and case traffic from several threads. No request may fail and no
acknowledged case write may be lost. Throughput and p99 are printed, not asserted:
absolute times on a shared machine say little (see `make bench` for ratios)."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

THREADS = 8
REQUESTS_PER_THREAD = 300  # 2,400 in all
TAG = "load-test"


def _requests_for(worker: int):
    precheck = {"text": "买家发起A-to-z索赔，订单 113-1234567-1234567", "category": "a_to_z_claim"}
    for i in range(REQUESTS_PER_THREAD):
        kind = i % 4
        if kind == 0:
            yield "GET", "/api/v1/hours?marketplace=" + ("US", "IN", "DE", "CA")[i % 3], None
        elif kind == 1:
            yield "POST", "/api/v1/classify", {"text": f"FBA shipment {i} missing units 丢件"}
        elif kind == 2:
            yield "POST", "/api/v1/precheck", precheck
        else:
            case = {
                "text": f"{TAG} {worker}-{i} 账号被封",
                "category": "account_deactivation",
                "marketplace": "US",
                "contact_method": "case",
            }
            yield "POST", "/api/v1/cases", case


def _worker(base_url: str, worker: int) -> tuple[list[tuple[str, float]], list[str], list[int]]:
    host = urllib.parse.urlparse(base_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    latencies, failures, stored = [], [], []
    for method, path, body in _requests_for(worker):
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if body is not None else {}
        started = time.perf_counter()
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = json.loads(response.read())
        latencies.append((path.split("?")[0], time.perf_counter() - started))
        if response.status not in (200, 201):
            failures.append(f"{method} {path}: {response.status} {data}")
        elif path == "/api/v1/cases":
            stored.append(data["id"])
    conn.close()
    return latencies, failures, stored


@pytest.mark.alone  # the throughput and p99 it prints are the server's, not shared
def test_mixed_load_has_no_errors_and_loses_no_case(live_backend):
    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda w: _worker(live_backend, w), range(THREADS)))
    elapsed = time.perf_counter() - started

    timed = [t for r in results for t in r[0]]
    failures = [f for r in results for f in r[1]]
    acknowledged = {pk for r in results for pk in r[2]}
    assert failures == []
    assert len(timed) == THREADS * REQUESTS_PER_THREAD

    listed, offset = set(), 0
    conn = http.client.HTTPConnection(urllib.parse.urlparse(live_backend).netloc, timeout=30)
    while True:
        conn.request("GET", f"/api/v1/cases?limit=500&offset={offset}")
        page = json.loads(conn.getresponse().read())["cases"]
        listed |= {c["id"] for c in page if c["text"].startswith(TAG)}
        offset += len(page)
        if not page:
            break
    assert acknowledged <= listed
    assert len(acknowledged) == THREADS * REQUESTS_PER_THREAD // 4

    print(f"\nload: {len(timed)} requests, {THREADS} threads, {len(timed) / elapsed:.0f} req/s")
    for path in sorted({p for p, _ in timed}):
        print(
            f"  {path:18} p50 {_ms(timed, path, 0.5):7.1f} ms  p99 {_ms(timed, path, 0.99):7.1f} ms"
        )
    print(f"  {'all':18} p50 {_ms(timed, None, 0.5):7.1f} ms  p99 {_ms(timed, None, 0.99):7.1f} ms")


def _ms(timed: list[tuple[str, float]], path: str | None, quantile: float) -> float:
    values = sorted(t for p, t in timed if path in (None, p))
    return values[max(0, int(len(values) * quantile) - 1)] * 1000

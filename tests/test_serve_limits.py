"""Body and header limits, backups and the server's own errors, through the real server
(waitress), not Flask's test client: what waitress refuses never reaches the app."""

from __future__ import annotations

import http.client
import json
import socket
from datetime import datetime, timedelta

import pytest

from seller_support.web import MAX_BODY_BYTES
from seller_support.web.routes.cases import MAX_IMPORT_BYTES

from .conftest import running_backend

CASE = {
    "text": "My FBA inbound shipment has been stuck in receiving for two weeks.",
    "category": "logistics",
    "marketplace": "US",
    "contact_method": "case",
    "filed_at": "2026-07-01T12:00:00+08:00",
}
FILED = datetime.fromisoformat(CASE["filed_at"])


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    with running_backend(tmp_path_factory.mktemp("limits") / "cases.sqlite3") as (url, _):
        yield url


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def _request(url: str, method: str, path: str, body: bytes | None = None, headers=None):
    """One request on its own connection; returns the response and its body."""
    connection = http.client.HTTPConnection(*_address(url), timeout=120)
    try:
        headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def _raw(url: str, payload: bytes) -> tuple[http.client.HTTPResponse, bytes]:
    """Send bytes as they are (no client-side checks) and read the one answer."""
    with socket.create_connection(_address(url), timeout=10) as sock:
        sock.sendall(payload)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response, response.read()


def assert_json_error(response: http.client.HTTPResponse, body: bytes, status: int) -> dict:
    assert response.status == status, body
    assert response.getheader("Content-Type") == "application/json", body
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    error = json.loads(body)
    assert set(error) == {"code", "message"} and error["message"]
    return error


def _padded(payload: dict, size: int) -> bytes:
    """`payload` as JSON followed by spaces (still valid JSON) to exactly `size` bytes."""
    raw = json.dumps(payload).encode()
    assert len(raw) <= size
    return raw + b" " * (size - len(raw))


# --- backups ----------------------------------------------------------------------------


def _fill(url: str, count: int) -> None:
    """`count` distinct cases of the longest allowed text, imported in parts under the limit."""
    longest = 10_000
    rows = []
    for i in range(count):
        text = f'case {i}: 商品被下架, "ASIN B0ABCD{i:04d}"\n第二行, with comma. '
        rows.append(
            {
                **CASE,
                "text": (text + "x" * longest)[:longest],
                "marketplace": ("US", "JP", "UK")[i % 3],
                "filed_at": (FILED + timedelta(minutes=17 * i)).isoformat(),
                **({"status": "replied", "replied_at": "2026-07-30T01:00:00Z"} if i % 7 else {}),
                **({"case_id": f"{12345678901 + i}"} if i % 5 == 0 else {}),
            }
        )
    part = 500
    for start in range(0, count, part):
        response, body = _request(
            url, "POST", "/api/v1/cases/import", json.dumps({"cases": rows[start : start + part]})
        )
        assert response.status == 200, body


def _comparable(export: bytes) -> list[dict]:
    return [
        {k: v for k, v in case.items() if k not in ("id", "updated_at")}
        for case in json.loads(export)["cases"]
    ]


def test_a_json_backup_of_nearly_the_import_limit_restores_through_the_server(tmp_path):
    """The README's procedure, request for request: save the JSON export as it is, then
    POST that file unchanged to the import of another backend."""
    with running_backend(tmp_path / "original.sqlite3") as (original, _):
        _fill(original, 1_560)
        response, backup = _request(original, "GET", "/api/v1/cases/export?format=json")
        assert response.status == 200
    assert 15 * 2**20 < len(backup) <= MAX_IMPORT_BYTES  # well over waitress's old 64 KiB

    with running_backend(tmp_path / "restored.sqlite3") as (restored, _):
        response, body = _request(restored, "POST", "/api/v1/cases/import", backup)
        assert response.status == 200, body[:500]
        assert json.loads(body)["imported"] == 1_560
        _, again = _request(restored, "GET", "/api/v1/cases/export?format=json")
        assert _comparable(again) == _comparable(backup)
        assert json.loads(again)["total"] == 1_560

        response, body = _request(restored, "POST", "/api/v1/cases/import", backup)
        assert response.status == 200 and json.loads(body)["skipped"] == 1_560


def test_an_import_of_exactly_the_limit_is_accepted_one_byte_more_is_json_413(backend):
    exactly = _padded({"cases": [CASE], "total": 1}, MAX_IMPORT_BYTES)
    response, body = _request(backend, "POST", "/api/v1/cases/import", exactly)
    assert response.status == 200, body
    over = exactly + b" "
    error = assert_json_error(*_request(backend, "POST", "/api/v1/cases/import", over), 413)
    assert f"{MAX_IMPORT_BYTES:,}" in error["message"]


@pytest.mark.parametrize("path", ["/api/v1/classify", "/api/v1/cases"])
def test_other_endpoints_keep_the_small_limit_through_the_server(backend, path):
    payload = {"text": "hi"} if path.endswith("classify") else CASE
    exactly = _padded(payload, MAX_BODY_BYTES)
    response, body = _request(backend, "POST", path, exactly)
    assert response.status in (200, 201), body
    error = assert_json_error(*_request(backend, "POST", path, exactly + b" "), 413)
    assert f"{MAX_BODY_BYTES:,}" in error["message"]


# --- the server's own answers -----------------------------------------------------------

REQUEST_LINE = b"POST /api/v1/cases/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        # headers over waitress's limit: the app never sees them
        (b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000, 431),
        # a declared body over every endpoint's limit: refused before it is read
        (REQUEST_LINE + b"Content-Length: 1073741824\r\n\r\n", 413),
        (b"NOT HTTP AT ALL\r\n\r\n", 400),
        (b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n", 400),
        (REQUEST_LINE + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", 400),
        (REQUEST_LINE + b"Transfer-Encoding: gzip\r\n\r\n", 501),
    ],
    ids=["header-too-large", "body-too-large", "garbage", "bad-header", "bad-chunk", "gzip"],
)
def test_the_servers_own_refusals_are_json(backend, payload, status):
    assert_json_error(*_raw(backend, payload), status)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/health", 200),
        ("GET", "/api/v1/cases/export?format=csv", 200),
        ("GET", "/api/v1/nowhere", 404),
        ("DELETE", "/api/v1/cases/999999", 404),
        ("POST", "/api/v1/classify", 415),
    ],
)
def test_every_response_says_nosniff(backend, method, path, status):
    response, _ = _request(backend, method, path, b"x", headers={"Content-Type": "text/plain"})
    assert response.status == status
    assert response.getheader("X-Content-Type-Options") == "nosniff"

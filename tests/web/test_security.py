"""A backend on the seller's machine must refuse web pages, DNS rebinding, and browser
requests that do not prove they are ours (with or without an Origin)."""

from __future__ import annotations

import pytest

from seller_support.store.pairing import new_code, pairing_path
from seller_support.web.security import PINNED_ORIGINS

from ..conftest import call_json, running_backend

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
OURS = next(iter(PINNED_ORIGINS))
# What Chromium 156 sends on an extension service worker's GET to 127.0.0.1: no Origin.
EXTENSION_GET = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}
# A web page's <img> or no-cors fetch: no Origin either.
PAGE_NO_CORS = {"Sec-Fetch-Site": "cross-site"}
CASE = {"text": "FBA shipment lost in receiving", "category": "logistics", "marketplace": "US"}


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "192.168.1.5:8765"])
def test_foreign_host_is_refused(client, host):
    response = client.get("/api/v1/health", headers={"Host": host})
    assert response.status_code == 403
    assert response.json["code"] == "forbidden_host"


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"])
def test_loopback_hosts_are_accepted(client, host):
    assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:3000", "null"])
def test_web_page_origins_are_refused_even_for_simple_posts(client, origin):
    response = client.post(
        "/api/v1/classify",
        data='{"text":"hi"}',
        content_type="text/plain",
        headers={"Origin": origin},
    )
    assert response.status_code == 403
    assert response.json["code"] == "forbidden_origin"
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "origin", [EXTENSION, "moz-extension://0b4d2f9e-1c1a-4b8e-9d2a-7f0e6c1d2a3b"]
)
def test_extension_origins_get_their_own_origin_back(client, origin):
    response = client.get("/api/v1/health", headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin


def test_cors_preflight_never_answers_star(client):
    response = client.options(
        "/api/v1/classify",
        headers={
            "Origin": EXTENSION,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.headers.get("Access-Control-Allow-Origin") == EXTENSION
    assert "*" not in response.headers.get("Access-Control-Allow-Origin", "")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real server (waitress), with one case filed by a command-line client."""
    db = tmp_path_factory.mktemp("security") / "cases.sqlite3"
    with running_backend(db) as (url, _):
        status, case = call_json(url, "POST", "/api/v1/cases", CASE)
        assert status == 201, case
        yield url, db, case["id"]


def case_paths(case_id: int) -> list[str]:
    return [
        "/api/v1/cases",
        "/api/v1/cases/export?format=json",
        "/api/v1/cases/followups",
        "/api/v1/corrections",
        f"/api/v1/cases/{case_id}",
    ]


def browser_token(base: str) -> str:
    """The token our pinned extension gets without a code."""
    status, answer = call_json(base, "POST", "/api/v1/pair", {}, headers={"Origin": OURS})
    assert status == 201, answer
    return answer["token"]


@pytest.mark.parametrize("browser", [EXTENSION_GET, PAGE_NO_CORS])
def test_a_browser_request_without_origin_or_token_cannot_read_cases(server, browser):
    base, _, case_id = server
    for path in case_paths(case_id):
        status, answer = call_json(base, "GET", path, headers=browser)
        assert (status, answer["code"]) == (401, "not_paired"), path
        assert "ssc pair" in answer["message"] and "配对" in answer["message"]
    assert call_json(base, "GET", "/api/v1/health", headers=browser)[0] == 200


def test_a_browser_request_with_a_valid_token_reads_cases(server):
    base, db, case_id = server
    code_token = call_json(base, "POST", "/api/v1/pair", {"code": new_code(pairing_path(db))})
    for token in (code_token[1]["token"], browser_token(base)):
        for path in case_paths(case_id):
            headers = {**EXTENSION_GET, "X-SSC-Token": token}
            assert call_json(base, "GET", path, headers=headers)[0] == 200, path
    wrong = {**EXTENSION_GET, "X-SSC-Token": "made-up"}
    assert call_json(base, "GET", "/api/v1/cases", headers=wrong)[0] == 401


def test_command_line_requests_are_accepted(server):
    base, _, case_id = server
    assert call_json(base, "POST", "/api/v1/classify", {"text": "FBA shipment lost"})[0] == 200
    for path in case_paths(case_id):
        assert call_json(base, "GET", path)[0] == 200, path


@pytest.mark.parametrize(
    ("origin", "refusal"),
    [
        (EXTENSION, (403, "code_required")),
        ("moz-extension://0b4d2f9e-1c1a-4b8e-9d2a-7f0e6c1d2a3b", (403, "code_required")),
        (None, (403, "code_required")),
        ("https://evil.example", (403, "forbidden_origin")),
        ("http://127.0.0.1:8765", (403, "forbidden_origin")),
    ],
)
def test_only_the_pinned_extension_gets_a_token_without_a_code(server, origin, refusal):
    headers = {**EXTENSION_GET, **({"Origin": origin} if origin else {})}
    status, answer = call_json(server[0], "POST", "/api/v1/pair", {}, headers=headers)
    assert (status, answer["code"]) == refusal
    assert "token" not in answer

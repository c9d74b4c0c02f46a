"""A backend on the seller's machine must refuse web pages and DNS rebinding."""

from __future__ import annotations

import pytest

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


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


def test_requests_without_origin_are_accepted(client):
    assert client.post("/api/v1/classify", json={"text": "FBA shipment lost"}).status_code == 200

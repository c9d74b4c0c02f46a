"""The service worker validates every message and only ever calls the configured loopback
backend: malformed, unknown or misplaced messages are refused before any request, and so is
any other URL or path."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import GET_SUPPORT
from .helpers import OVERLAY, ContentWorld, backend_json

SEND = "(msg) => chrome.runtime.sendMessage(msg)"

UNKNOWN = {"ok": False, "error": {"code": "unknown_type", "message": "Unknown message type"}}
BAD = {"ok": False, "error": {"code": "bad_message", "message": "Unknown sender or message"}}

EVIL_URLS = [
    "https://evil.example",
    "http://evil.example:8765",
    "http://10.0.0.1:8765",
    "http://192.168.1.20",
    "http://127.0.0.1.evil.example:8765",
    "http://localhost.evil.example",
    "http://user:pw@127.0.0.1:8765",
    "http://127.0.0.1:8765/?next=https://evil.example",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "ftp://127.0.0.1/",
]


def malformed(msg_type: str) -> dict:
    return {"ok": False, "error": {"code": "bad_message", "message": f"Malformed {msg_type}"}}


def test_malformed_and_unknown_messages_are_refused(page, ext):
    page.goto(ext.url("popup/popup.html"))
    # Not a message at all.
    for bad in ("ssc:health", 42, None, [], ["ssc:health"], {}, {"type": 5}, {"type": None}):
        assert page.evaluate(SEND, bad) == BAD, bad
    # Unknown types, including names that exist on every object.
    for name in (
        "ssc:fetch",
        "ssc:HEALTH",
        "health",
        "__proto__",
        "constructor",
        "hasOwnProperty",
        "toString",
        "ssc:health ",
    ):
        assert page.evaluate(SEND, {"type": name}) == UNKNOWN, name
    # Known types with the wrong shape, or with keys they do not take.
    for bad in (
        {"type": "ssc:health", "url": "https://evil.example/api/v1/health"},
        {"type": "ssc:selectors", "path": "/etc/passwd"},
        {"type": "ssc:marketplaces", "method": "DELETE"},
        {"type": "ssc:categories", "baseUrl": "http://10.0.0.1"},
        {"type": "ssc:hoursAll", "tz": "Asia/Shanghai"},
        {"type": "ssc:hours"},
        {"type": "ssc:hours", "marketplace": "XX"},
        {"type": "ssc:hours", "marketplace": "US/../../cases"},
        {"type": "ssc:hours", "marketplace": ["US"]},
        {"type": "ssc:hours", "marketplace": "US", "tz": "x"},
        {"type": "ssc:classify", "text": 5, "marketplace": "US"},
        # Over the contract's limit is cut to it; only over 4x the limit is malformed.
        {"type": "ssc:classify", "text": "x" * 40001, "marketplace": "US"},
        {"type": "ssc:classify", "text": "hello"},
        {"type": "ssc:classify", "text": "hello", "marketplace": "US", "path": "/api/v1/cases"},
        {
            "type": "ssc:precheck",
            "text": "x",
            "marketplace": "US",
            "category": "../x",
            "contact_method": "case",
            "attachments": [],
        },
        {
            "type": "ssc:precheck",
            "text": "x",
            "marketplace": "US",
            "category": None,
            "contact_method": "fax",
            "attachments": [],
        },
        {
            "type": "ssc:precheck",
            "text": "x",
            "marketplace": "US",
            "category": None,
            "contact_method": "case",
            "attachments": "a.png",
        },
        {
            "type": "ssc:precheck",
            "text": "x",
            "marketplace": "US",
            "category": None,
            "contact_method": "case",
            "attachments": ["a.png"] * 51,
        },
        {"type": "ssc:locale", "lang": "fr"},
        {"type": "ssc:locale", "lang": "../../manifest"},
        {"type": "ssc:testConnection", "url": 8765},
        {"type": "ssc:testConnection", "url": "http://127.0.0.1:" + "9" * 300},
        {"type": "ssc:testConnection", "url": "http://127.0.0.1:8765", "path": "/x"},
        {"type": "ssc:caseUpdate", "id": 1.5, "status": "replied"},
        {"type": "ssc:caseUpdate", "id": -1, "status": "replied"},
        {"type": "ssc:corrections", "path": "/api/v1/cases"},
        {"type": "ssc:correctionsForget", "id": 1},
        {"type": "ssc:followups", "at": "2026-01-01T00:00:00Z"},
    ):
        assert page.evaluate(SEND, bad) == malformed(bad["type"]), bad
    # Only content scripts on Seller Central send these.
    for content_only in (
        {"type": "ssc:caseIdSeen", "case_id": "12345678"},
        {
            "type": "ssc:caseRecord",
            "text": "x",
            "category": "other",
            "marketplace": "US",
            "contact_method": "case",
        },
    ):
        assert page.evaluate(SEND, content_only) == UNKNOWN, content_only
    # The well-formed ones still work.
    reply = page.evaluate(SEND, {"type": "ssc:health"})
    assert reply["ok"] is True and reply["data"]["status"] == "ok"
    reply = page.evaluate(SEND, {"type": "ssc:hours", "marketplace": "US"})
    assert reply["ok"] is True and reply["source"] == "live"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_content_script_messages_are_validated(page, ext):
    """From a real content script on Seller Central: page-only types are unknown to it, and
    malformed content messages are refused."""
    page.goto(GET_SUPPORT)
    expect(page.locator(OVERLAY)).to_have_count(1)
    world = ContentWorld(page)
    assert world.eval("typeof SSC.send") == "function"  # our world, not the page's

    def send(msg):
        return world.eval(f"chrome.runtime.sendMessage({msg})")

    for page_only in (
        '{type: "ssc:caseList"}',
        '{type: "ssc:followups"}',
        '{type: "ssc:caseUpdate", id: 1, status: "replied"}',
        '{type: "ssc:testConnection", url: "http://127.0.0.1:8765"}',
        '{type: "ssc:corrections"}',
        '{type: "ssc:correctionsForget"}',
    ):
        assert send(page_only) == UNKNOWN, page_only
    for bad, kind in (
        ('{type: "ssc:caseRecord", text: "   ", category: "other", marketplace: "US",'
         ' contact_method: "case"}', "ssc:caseRecord"),
        ('{type: "ssc:caseRecord", text: "x", category: "Other!", marketplace: "US",'
         ' contact_method: "case"}', "ssc:caseRecord"),
        ('{type: "ssc:caseRecord", text: "x", category: "other", marketplace: "US",'
         ' contact_method: "case", url: "https://evil.example"}', "ssc:caseRecord"),
        ('{type: "ssc:caseRecord", text: "x", category: "other", suggested: "Other!",'
         ' marketplace: "US", contact_method: "case"}', "ssc:caseRecord"),
        ('{type: "ssc:caseRecord", text: "x", category: "other", suggested: null,'
         ' marketplace: "US", contact_method: "case"}', "ssc:caseRecord"),
        ('{type: "ssc:caseIdSeen", case_id: "../../health"}', "ssc:caseIdSeen"),
        ('{type: "ssc:caseIdSeen", case_id: "123", id: 1}', "ssc:caseIdSeen"),
        ('{type: "ssc:hours", marketplace: "US", path: "/api/v1/cases"}', "ssc:hours"),
    ):  # fmt: skip
        assert send(bad) == malformed(kind), bad
    assert send('{type: "nope"}') == UNKNOWN
    reply = send('{type: "ssc:hours", marketplace: "US"}')
    assert reply["ok"] is True
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


@pytest.mark.parametrize("url", EVIL_URLS)
def test_connection_test_refuses_non_loopback_urls(page, ext, url):
    page.goto(ext.url("popup/popup.html"))
    reply = page.evaluate(SEND, {"type": "ssc:testConnection", "url": url})
    assert reply["ok"] is False
    assert reply["error"]["code"] == "bad_backend_url"
    assert "loopback" in reply["error"]["message"]
    assert "127.0.0.1" in reply["error"]["message"]


def test_settings_refuse_non_loopback_backend(page, ext):
    # The settings API refuses it with a clear error and keeps the configured URL.
    for url in ("https://evil.example", "http://10.0.0.1"):
        error = ext.worker.evaluate(
            "(url) => SSC.saveSettings({ backendUrl: url }).then(() => 'saved', (e) => e.message)",
            url,
        )
        assert error.startswith(f"Refusing backend URL {url}"), error
        assert "loopback" in error
        assert ext.settings()["backendUrl"] == ext.backend_url
    # The options page says so and saves nothing.
    page.goto(ext.url("options/options.html"))
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    page.locator("#backendUrl").fill("http://10.0.0.1:8765")
    page.locator("#save").click()
    expect(page.locator("#url-error")).to_be_visible()
    page.locator("#test").click()
    expect(page.locator("#test-result")).to_have_attribute("data-ok", "false")
    expect(page.locator("#test-result")).to_contain_text("http://127.0.0.1:8765")
    assert ext.settings()["backendUrl"] == ext.backend_url


@pytest.mark.parametrize("url", ["https://evil.example", "http://10.0.0.1:8765"])
def test_stored_non_loopback_backend_is_refused_not_replaced(page, ext, url):
    """Something wrote a foreign backend URL straight into storage: every call is refused
    with an error that names it, rather than silently going to some other backend."""
    ext.worker.evaluate(
        "async (url) => {"
        "  const got = await chrome.storage.local.get('settings');"
        "  await chrome.storage.local.set({ settings: { ...got.settings, backendUrl: url } });"
        "}",
        url,
    )
    page.goto(ext.url("popup/popup.html"))
    for msg in (
        {"type": "ssc:health"},
        {"type": "ssc:caseList", "status": "open"},
        {"type": "ssc:classify", "text": "hello there", "marketplace": "US"},
    ):
        reply = page.evaluate(SEND, msg)
        assert reply["ok"] is False, (msg, reply)
        assert reply["error"]["code"] == "bad_backend_url", (msg, reply)
        assert url in reply["error"]["message"] and "loopback" in reply["error"]["message"]
    # Cached data is fine to show, but nothing is fetched from the foreign URL.
    reply = page.evaluate(SEND, {"type": "ssc:hours", "marketplace": "US"})
    assert reply.get("source") != "live"
    assert page.ssc_errors == []


def test_backend_fetch_refuses_other_origins_and_paths(ext):
    """The one function that fetches: only the configured origin, only under /api/v1/."""
    for target in (
        "https://evil.example/api/v1/health",
        "//evil.example/api/v1/health",
        "http://10.0.0.1:8765/api/v1/health",
        f"{ext.backend_url}/api/v1/health",  # absolute URLs are refused even for ours
        "/api/v2/health",
        "/api/v1/../../etc/passwd",
        "/api/v1/%2e%2e/%2e%2e/x",
        "/health",
        "api/v1/health",
    ):
        code = ext.worker.evaluate(
            "(p) => SSC.client.backendFetch(p).then(() => 'fetched', (e) => e.code)",
            target,
        )
        assert code == "bad_path", (target, code)
    # Nor another base URL than a loopback one.
    for base in ("https://evil.example", "http://10.0.0.1:8765"):
        code = ext.worker.evaluate(
            "(b) => SSC.client.backendFetch('/api/v1/health', { baseUrl: b })"
            ".then(() => 'fetched', (e) => e.code)",
            base,
        )
        assert code == "bad_backend_url", (base, code)
    assert backend_json(ext.backend_url, "/api/v1/health")["status"] == "ok"
    assert (
        ext.worker.evaluate("() => SSC.client.backendFetch('/api/v1/health').then((d) => d.status)")
        == "ok"
    )

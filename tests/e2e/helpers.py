"""Small helpers shared by the e2e tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import Page, expect

OVERLAY = '[data-ssc="overlay"]'
HINT = "[data-ssc-hint]"
PRECHECK = '[data-ssc="precheck"]'
SUBMIT_ANYWAY = '[data-ssc-action="submit-anyway"]'


def backend_json(base_url: str, path: str, params: dict | None = None) -> dict:
    url = base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode("utf-8"))


def badge(page: Page, channel: str):
    return page.locator(f'{OVERLAY} [data-ssc-channel="{channel}"]')


def expect_badges_match_backend(
    page: Page, base_url: str, marketplace: str, tz: str = "Asia/Shanghai"
) -> dict:
    """Every badge shows the status the backend reports for this moment."""
    expect(page.locator(f"[data-ssc-badges='{marketplace}']")).to_have_count(1)
    data = backend_json(base_url, "/api/v1/hours", {"marketplace": marketplace, "tz": tz})
    assert {c["channel"] for c in data["channels"]} == {"phone", "chat", "case"}
    for ch in data["channels"]:
        expect(badge(page, ch["channel"])).to_have_attribute("data-ssc-status", ch["status"])
    return data


def submits(page: Page) -> int:
    return page.evaluate("window.__submits")


def wait_submits(page: Page, n: int) -> None:
    page.wait_for_function("(n) => window.__submits === n", arg=n)


def backend_call(base_url: str, method: str, path: str, body: dict | None = None):
    """A JSON request to the backend; returns (status, parsed body or None)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        base_url + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json"} if data is not None else {},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def delete_all_cases(base_url: str) -> None:
    """Empty the live backend's case log (tests that file cases must not leak duplicates)."""
    while True:
        listing = backend_json(base_url, "/api/v1/cases", {"limit": 500})
        if not listing["cases"]:
            return
        for case in listing["cases"]:
            backend_call(base_url, "DELETE", f"/api/v1/cases/{case['id']}")


class ContentWorld:
    """Evaluate in our content script's isolated world on a page (CDP), so messages come
    from a real content-script sender on Seller Central."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.contexts: list[dict] = []
        self.cdp.on("Runtime.executionContextCreated", lambda e: self.contexts.append(e["context"]))
        self.cdp.send("Runtime.enable")

    def _id(self) -> int:
        for c in reversed(self.contexts):
            if c.get("origin", "").startswith("chrome-extension://"):
                return c["id"]
        raise AssertionError(f"no content-script world in {self.contexts}")

    def eval(self, expression: str):
        got = self.cdp.send(
            "Runtime.evaluate",
            {
                "expression": expression,
                "contextId": self._id(),
                "awaitPromise": True,
                "returnByValue": True,
            },
        )
        assert "exceptionDetails" not in got, got
        return got["result"].get("value")

"""Small helpers shared by the e2e tests."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import Frame, FrameLocator, Page, expect

OVERLAY = '[data-ssc="overlay"]'
HINT = "[data-ssc-hint]"
PRECHECK = '[data-ssc="precheck"]'
SUBMIT_ANYWAY = '[data-ssc-action="submit-anyway"]'


def message(lang: str, key: str) -> str:
    """A UI string as the extension's locale file has it (lang: "en" or "zh_CN")."""
    from .conftest import EXTENSION_DIR

    path = EXTENSION_DIR / "_locales" / lang / "messages.json"
    return json.loads(path.read_text(encoding="utf-8"))[key]["message"]


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
        self.top = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]

    def _id(self) -> int:
        # The top document's: reading a same-origin frame's document from our world makes
        # Chrome create our world in that frame too, without our scripts.
        for c in reversed(self.contexts):
            top = c.get("auxData", {}).get("frameId") == self.top
            if top and c.get("origin", "").startswith("chrome-extension://"):
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


# ---------------------------------------------------------------- Help Center (/help/center)
# The flow renders in a same-origin iframe; its contact step in a second iframe inside
# <spl-hill-form>'s open shadow root (see mock_pages/help_center*.html).

HELP_FRAME = "iframe[src*='/help/center/frame']"
CONTACT_FRAME = "spl-hill-form iframe.spl-element-frame"
DESCRIPTION = "kat-textarea.meld-text-area"
STEPS_TAKEN = 'kat-input[unique-id="meld-steps-taken"]'
REFERENCES = 'kat-input[unique-id="meld-reference-numbers"]'
CONTINUE = "kat-button#meld-default-continue"
SEND = 'kat-button[label="Send"]#send-email-button'
CHAT_NOW = 'kat-button[label="Chat now"]'
CASE_LINK = 'a[href*="caseID="]'


def with_query(url: str, query: str) -> str:
    """`url` with more query parameters (`query` may be empty)."""
    return url + ("&" if "?" in url else "?") + query if query else url


def help_frame(page: Page) -> FrameLocator:
    """The Help Center SPA's iframe."""
    return page.frame_locator(HELP_FRAME)


def contact_frame(page: Page) -> FrameLocator:
    """The contact step's iframe, nested in the SPA's frame."""
    return help_frame(page).frame_locator(CONTACT_FRAME)


def frame_at(page: Page, path: str) -> Frame:
    """The page's frame whose URL path is `path`, waiting for it to load if need be (for
    frame.evaluate of the mock's page-world globals)."""

    def at(frame: Frame) -> bool:
        return urllib.parse.urlsplit(frame.url).path == path

    found = next((f for f in page.frames if at(f)), None)
    if found is None:
        found = page.wait_for_event("framenavigated", predicate=at)
    return found


def to_describe_step(page: Page, chip: str | None = None) -> FrameLocator:
    """From the Help Center's first step (optionally clicking a category chip) to the describe
    step; returns the SPA's frame once its description box is there."""
    hc = help_frame(page)
    if chip is not None:
        hc.locator(f'kat-button.category-chip[label="{chip}"]').click()
    hc.locator("#issueNotListedButton > kat-button").click()
    hc.locator(f"{DESCRIPTION} textarea").wait_for()
    return hc


def to_contact_step(page: Page) -> FrameLocator:
    """From the troubleshooting step to the contact form; returns the contact frame once its
    Send button is there."""
    help_frame(page).get_by_role("button", name="Contact an associate").click()
    contact = contact_frame(page)
    contact.locator(SEND).wait_for()
    return contact


def describe(hc: FrameLocator, text: str, references: str | None = None) -> None:
    """Type the describe step's description (and its Reference numbers) like a seller."""
    hc.locator(f"{DESCRIPTION} textarea").fill(text)
    if references is not None:
        hc.locator(f"{REFERENCES} input").fill(references)


def submit_anyway(page: Page, finding: str | None = None) -> None:
    """The pre-submit panel is up (showing `finding` if given): click Submit anyway."""
    panel = page.locator(PRECHECK)
    expect(panel).to_be_visible()
    if finding is not None:
        expect(panel.locator(f'[data-ssc-finding="{finding}"]')).to_have_count(1)
    panel.locator(SUBMIT_ANYWAY).click()
    expect(panel).to_have_count(0)


def settle(frame: Page | Frame) -> None:
    """Let a page or frame run two animation frames (nothing queued is still to come)."""
    frame.evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


def precheck_codes(base_url: str, **request) -> list[str]:
    """The finding codes the backend's precheck gives for a request (a test's premise)."""
    status, body = backend_call(base_url, "POST", "/api/v1/precheck", request)
    assert status == 200, body
    return [f["code"] for f in body["findings"]]


def wait_case(base_url: str, pk: int, predicate, timeout: float = 5.0) -> dict:
    """A recorded case once `predicate(case)` holds (the extension updates it in the
    background)."""
    deadline = time.monotonic() + timeout
    while True:
        case = backend_json(base_url, f"/api/v1/cases/{pk}")
        if predicate(case):
            return case
        assert time.monotonic() < deadline, case
        time.sleep(0.1)


def assert_no_errors(page: Page) -> None:
    """No console or page errors in the page (any frame) or the extension's worker, and no
    error caught by the extension's own boundary (it logs at debug level only, and the
    overlay's status says which part failed)."""
    assert page.ssc_errors == []
    assert page.ssc_worker_errors() == []
    status = page.locator(f'{OVERLAY} [data-ssc="status"]')
    if status.count():
        assert status.get_attribute("data-kind") != "error", status.text_content()


def wait_for(probe, timeout: float = 5.0, what: str = "condition"):
    """Poll `probe()` until it returns something truthy; returns that."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


# ---------------------------------------------------------------- the case being written
# The background keeps each tab's draft in storage.session as "draft:<tab id>"
# (extension/background/drafts.js).


def session_drafts(ext) -> dict:
    """The drafts the background holds now: {"draft:<tab id>": draft}."""
    return ext.worker.evaluate(
        "async () => Object.fromEntries(Object.entries(await chrome.storage.session.get(null))"
        ".filter(([k]) => k.startsWith('draft:')))"
    )


def saved_draft(ext, description: str) -> str:
    """The storage.session key of the draft holding `description`, once it is saved."""

    def key():
        return next(
            (k for k, d in session_drafts(ext).items() if d.get("description") == description),
            None,
        )

    return wait_for(key, what=f"a saved draft with {description!r}")


# ---------------------------------------------------------------- anchors pointed at by hand

POINTED_KEY = "pointedAnchors"


def point_at_description(page: Page, box: str):
    """The overlay says no anchor was found: point at the page's box `box` (a selector);
    returns its locator."""
    notice = page.locator(f"{OVERLAY} [data-ssc-anchor-notice]")
    expect(notice).to_be_visible()
    notice.locator('[data-ssc-action="point-description"]').click()
    target = page.locator(box)
    target.click()
    return target


def forget_pointed(ext) -> None:
    """Forget every box pointed at (storage.local, shared by the whole test session)."""
    ext.worker.evaluate(f"() => chrome.storage.local.remove('{POINTED_KEY}')")


def stored_local(ext, key: str):
    return ext.worker.evaluate("async (k) => (await chrome.storage.local.get(k))[k]", key)


def blocking_codes(base_url: str, **request) -> list[str]:
    """The codes of the findings that would hold the click (warnings and errors; info ones
    do not) for a precheck request (a test's premise)."""
    status, body = backend_call(base_url, "POST", "/api/v1/precheck", request)
    assert status == 200, body
    return [f["code"] for f in body["findings"] if f["severity"] in ("warning", "error")]

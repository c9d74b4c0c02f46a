"""The Help Center beyond its own tab: "Chat now" opens Amazon's chat in a window of its own,
whose URL carries the case id the recorded case gets; and Seller Central reaching the Help
Center by single-page navigation from a page that is not a support page."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from .conftest import HELP_CENTER
from .helpers import (
    CHAT_NOW,
    HINT,
    OVERLAY,
    assert_no_errors,
    backend_json,
    blocking_codes,
    describe,
    frame_at,
    to_describe_step,
    wait_case,
)
from .test_case_log import ADS_TEXT, wait_for_cases
from .test_help_center import A2Z_TEXT, CASE_ID, CONTACT, contact_with, open_help_center

CHAT_WINDOW = f"https://sellercentral.amazon.com/hill/website/chat?caseID={CASE_ID}"


class SlowRecordProxy:
    """A loopback proxy to the live backend that answers POST /api/v1/cases (recording a
    case) `delay` seconds late, as a busy backend would; everything else passes at once."""

    def __init__(self, target: str, delay: float):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
                if self.command == "POST" and self.path == "/api/v1/cases":
                    time.sleep(delay)
                request = urllib.request.Request(target + self.path, data=body, method=self.command)
                request.add_header("Content-Type", "application/json")
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        status, data = response.status, response.read()
                        kind = response.headers.get("Content-Type", "application/json")
                except urllib.error.HTTPError as error:
                    status, data = error.code, error.read()
                    kind = error.headers.get("Content-Type", "application/json")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(params=[0.0, 1.5], ids=["prompt-record", "slow-record"])
def record_delay(request, ext, case_log):
    """The backend the extension uses: the live one, or one that records cases 1.5 s late."""
    if not request.param:
        yield
        return
    with SlowRecordProxy(case_log, request.param) as proxy:
        ext.set_settings(backendUrl=proxy.url)
        yield


def test_chat_now_records_a_chat_case_with_the_case_id_of_the_chat_window(
    page, ext, case_log, record_delay
):
    """`slow-record`: the chat window is open (and shows its case id) before the backend
    has answered the recording; the id must still reach the case."""
    assert blocking_codes(case_log, text=ADS_TEXT, contact_method="chat", stage="send") == []
    ext.set_settings(recordCases=True)
    open_help_center(page)
    contact = contact_with(page, ADS_TEXT, "advertising")
    contact.get_by_role("tab", name="Chat").click()
    with page.expect_popup() as opened:
        contact.locator(CHAT_NOW).click()
    chat = opened.value
    expect(chat).to_have_url(CHAT_WINDOW)
    assert frame_at(page, CONTACT).evaluate("window.__chat.count") == 1

    [case] = wait_for_cases(case_log, 1)
    assert (case["text"], case["category"], case["contact_method"]) == (
        ADS_TEXT,
        "advertising",
        "chat",
    )
    # The chat window shows no case id: it comes from its URL, for the case of the tab that
    # opened it.
    case = wait_case(case_log, case["id"], lambda c: c["case_id"] is not None)
    assert case["case_id"] == CASE_ID
    # The chat window is a support page (hours), but no case form: nothing held there.
    expect(chat.locator(OVERLAY)).to_have_count(1)
    assert backend_json(case_log, "/api/v1/cases")["total"] == 1
    chat.close()
    assert_no_errors(page)


def test_single_page_navigation_from_home_into_the_help_center(page, ext):
    page.goto("https://sellercentral.amazon.com/home")
    page.locator("h1").wait_for()
    expect(page.locator(OVERLAY)).to_have_count(0)  # not a support page

    page.evaluate("window.__goHelpCenter()")  # history.pushState, no reload
    expect(page).to_have_url(HELP_CENTER)
    expect(page.locator(OVERLAY)).to_have_count(1)
    expect(page.locator(f"{OVERLAY} [data-ssc-badges='US']")).to_have_count(1)
    # Its framed describe step works as on a page load: hints while typing.
    describe(to_describe_step(page), A2Z_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "a_to_z_claim")
    # The home page's script state is still there: no reload happened.
    assert page.evaluate("typeof window.__goHome") == "function"
    assert_no_errors(page)

"""The background as modules: it runs from its module files, takes its numbers from the
contract (served, else cached, else the built-in copy), cuts long texts to the contract's
limit instead of failing, and times reminders by the contract's follow-up hours."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from .conftest import GET_SUPPORT
from .helpers import OVERLAY, ContentWorld, backend_json
from .test_case_log import REMINDER, ms, new_case, reminders, wait_state  # noqa: F401 (fixture)

SEND = "(msg) => chrome.runtime.sendMessage(msg)"
HOUR_MS = 3600 * 1000
MODULES = ["checks", "client", "cache", "contract", "locale", "cases", "reminders", "router"]

# An advertising problem, written out at length: 12,600 characters, over the 10,000 limit.
LONG_ADS_TEXT = (
    "Hello, campaign ID 99881 rejects every daily budget change with an error since Monday. " * 150
)[:12_600]


def test_background_runs_from_its_module_files(ext):
    worker = ext.worker
    assert worker.url == ext.url("background/main.js")
    loaded = worker.evaluate("(names) => names.filter((n) => !!SSC[n])", MODULES)
    assert loaded == MODULES
    # One table of timeouts, one per kind of call.
    assert worker.evaluate("() => SSC.client.TIMEOUTS") == {
        "default": 5000,
        "health": 2500,
        "classify": 4000,
        "precheck": 1500,
        "followup": 2500,
    }


def test_contract_from_backend_then_cache_then_builtin(page, ext, closed_port):
    served = backend_json(ext.backend_url, "/api/v1/contract")
    # The options page asks nothing of the contract itself (the popup does, as it loads).
    page.goto(ext.url("options/options.html"))
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    reply = page.evaluate(SEND, {"type": "ssc:contract"})
    assert reply["ok"] is True and reply["source"] == "live" and reply["data"] == served

    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    reply = page.evaluate(SEND, {"type": "ssc:contract"})
    assert reply["ok"] is True and reply["source"] == "cache" and reply["data"] == served
    assert reply["error"]["code"] == "offline"

    ext.clear_cache()
    reply = page.evaluate(SEND, {"type": "ssc:contract"})
    assert reply["ok"] is True and reply["source"] == "default"
    assert reply["data"] == ext.worker.evaluate("() => SSC.DEFAULT_CONTRACT") == served
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_long_description_is_cut_to_the_contract_limit_not_refused(page, ext):
    limit = backend_json(ext.backend_url, "/api/v1/contract")["max_text_length"]
    assert len(LONG_ADS_TEXT) > limit
    page.goto(ext.url("popup/popup.html"))
    classified = page.evaluate(
        SEND, {"type": "ssc:classify", "text": LONG_ADS_TEXT, "marketplace": "US"}
    )
    assert classified["ok"] is True, classified
    assert classified["data"]["suggestions"][0]["category"] == "advertising"
    checked = page.evaluate(
        SEND,
        {
            "type": "ssc:precheck",
            "text": LONG_ADS_TEXT,
            "marketplace": "US",
            "category": None,
            "contact_method": "case",
            "attachments": [],
        },
    )
    assert checked["ok"] is True, checked
    assert isinstance(checked["data"]["findings"], list)
    # Four times the limit and more is no description box's text: refused, nothing sent.
    refused = page.evaluate(
        SEND, {"type": "ssc:classify", "text": "x" * (4 * limit + 1), "marketplace": "US"}
    )
    assert refused["error"]["code"] == "bad_message"


def test_long_case_is_recorded_cut_to_the_limit(page, ext, case_log):
    """From a real content script: the case is logged with its first max_text_length
    characters, counted as the backend counts them (a character outside the BMP is one)."""
    limit = backend_json(case_log, "/api/v1/contract")["max_text_length"]
    ext.set_settings(recordCases=True)
    page.goto(GET_SUPPORT)
    expect(page.locator(OVERLAY)).to_have_count(1)
    text = "x" * (limit - 1) + "\U0001f600" + LONG_ADS_TEXT
    reply = ContentWorld(page).eval(
        "chrome.runtime.sendMessage("
        + json.dumps(
            {
                "type": "ssc:caseRecord",
                "text": text,
                "category": "advertising",
                "marketplace": "US",
                "contact_method": "case",
            }
        )
        + ")"
    )
    assert reply["ok"] is True, reply
    stored = backend_json(case_log, f"/api/v1/cases/{reply['data']['id']}")
    assert stored["text"] == text[:limit]  # Python counts code points: the emoji is whole
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_reminder_is_due_after_the_contracts_followup_hours(ext, case_log, reminders):  # noqa: F811
    """A contract that says 48 hours (cached as if just served) moves the alarm to 48 h."""
    ext.set_settings(recordCases=True)
    contract = {**backend_json(case_log, "/api/v1/contract"), "followup_after_hours": 48}
    ext.worker.evaluate(
        "(data) => chrome.storage.local.set({'cache:contract':"
        " {data, fetchedAt: new Date().toISOString()}})",
        contract,
    )
    try:
        case = new_case(case_log, filed_at=(datetime.now(UTC) - timedelta(hours=10)).isoformat())
        ext.worker.evaluate("() => SSC.reminders.sync()")
        name = f"{REMINDER}{case['id']}"
        state = wait_state(reminders, lambda s: name in s["alarms"])
        assert state["alarms"][name] == ms(case["filed_at"]) + 48 * HOUR_MS
    finally:
        ext.clear_cache()


def test_notification_opens_the_case_link_of_the_served_selectors(ext, case_log, reminders):  # noqa: F811
    """The case page's path comes from the selectors (here a cached copy that moved it)."""
    ext.set_settings(recordCases=True)
    selectors = backend_json(case_log, "/api/v1/selectors")
    selectors["case_links"]["case"]["path"] = "/cu/case-dashboard/case?id={case_id}"
    ext.worker.evaluate(
        "(data) => chrome.storage.local.set({'cache:selectors':"
        " {data, fetchedAt: new Date().toISOString()}})",
        selectors,
    )
    try:
        case = new_case(case_log, case_id="17234567894", marketplace="DE")
        ext.worker.evaluate("() => SSC.reminders.sync()")
        wait_state(reminders, lambda s: str(case["id"]) in s["reminders"])
        with ext.context.expect_page() as opened:
            url = ext.worker.evaluate(f"() => SSC.reminders.open('{case['id']}')")
        opened.value.close()
        assert url == "https://sellercentral.amazon.de/cu/case-dashboard/case?id=17234567894"
    finally:
        ext.clear_cache()


def test_case_links_that_leave_seller_central_are_not_used(ext):
    """A case link must be a path on Seller Central's own origin: "@evil.example/…" after
    the origin would make it a link to another host."""
    foreign = {"case": {"path": "@evil.example/{case_id}"}, "case_log": {"path": "@evil.example/"}}
    url = ext.worker.evaluate(
        "(links) => SSC.caseUrl('https://sellercentral.amazon.com', links, '12345678901')", foreign
    )
    assert url == "https://sellercentral.amazon.com/cu/case-dashboard/view-case?caseID=12345678901"
    served = ext.worker.evaluate("() => SSC.DEFAULT_SELECTORS")
    assert ext.worker.evaluate("(d) => SSC.cache.SHAPES.selectors(d)", served)
    assert not ext.worker.evaluate(
        "(d) => SSC.cache.SHAPES.selectors(d)", {**served, "case_links": foreign}
    )

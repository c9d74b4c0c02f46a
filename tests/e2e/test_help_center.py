"""Today's case flow at /help/center through the real extension and the real backend.

The flow renders in a same-origin iframe that replaces its DOM between steps; the contact step
sits one frame deeper, inside <spl-hill-form>'s shadow root (mock_pages/help_center*.html, built
from shared/reference/seller-central-pages.md). The overlay lives in the top document only.
The mock records what reached it in its own world: window.__continued / __step / __describe in
the SPA's frame, window.__sent / __chat in the contact frame."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .conftest import HELP_CENTER, HELP_CENTER_DE
from .helpers import (
    CHAT_NOW,
    CONTINUE,
    DESCRIPTION,
    HINT,
    OVERLAY,
    PRECHECK,
    SEND,
    assert_no_errors,
    backend_json,
    badge,
    describe,
    expect_badges_match_backend,
    frame_at,
    help_frame,
    precheck_codes,
    settle,
    submit_anyway,
    to_contact_step,
    to_describe_step,
    wait_case,
    with_query,
)
from .stub_backend import StubBackend
from .test_case_log import ADS_TEXT, wait_for_cases

SPA = "/help/center/frame"
CONTACT = "/help/center/contact"
CASE_ID = "22153077391"  # what the mock's contact frame shows after Send
ORDER_ID = "112-1234567-1234567"
# An A-to-z claim without an order id: missing_order_id (and missing_evidence) at both stages.
A2Z_TEXT = (
    "A buyer opened an A-to-z claim saying the package never arrived, "
    "but tracking shows it was delivered."
)
FIX = '[data-ssc-action="fix"]'


def open_help_center(page, query: str = "", url: str = HELP_CENTER) -> None:
    page.goto(with_query(url, query))
    expect(page.locator(OVERLAY)).to_have_count(1)


def contact_with(page, text: str, hint: str | None = None):
    """Describe `text` (a text without findings; waiting for the `hint` category if given),
    Continue, and on to the contact step; returns the contact frame."""
    hc = to_describe_step(page)
    describe(hc, text)
    if hint is not None:
        expect(page.locator(HINT)).to_have_attribute("data-ssc-category", hint)
    hc.locator(CONTINUE).click()
    frame_at(page, SPA).wait_for_function("window.__continued === 1")
    return to_contact_step(page)


def test_badges_in_the_top_document_only(page, ext):
    open_help_center(page)
    expect_badges_match_backend(page, ext.backend_url, "US")
    expect(page.locator(OVERLAY)).to_have_attribute("data-ssc-marketplace", "US")
    hc = to_describe_step(page)
    expect(page.locator(OVERLAY)).to_have_count(1)
    expect(hc.locator(OVERLAY)).to_have_count(0)
    assert_no_errors(page)


@pytest.mark.parametrize("query", ["", "late=800"], ids=["prompt", "late"])
def test_typing_in_the_framed_description_shows_a_hint(page, ext, query):
    open_help_center(page, query)
    hc = to_describe_step(page)
    describe(hc, A2Z_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "a_to_z_claim")
    # The description box was found: no "point at it" notice.
    expect(page.locator(f"{OVERLAY} [data-ssc-anchor-notice]")).to_have_count(0)
    assert_no_errors(page)


def held_at_continue(page, query: str = ""):
    """Describe the A-to-z text without an order id and click Continue: the panel holds it
    with missing_order_id. Returns the SPA's frame locator, its frame and the panel."""
    open_help_center(page, query)
    hc = to_describe_step(page)
    spa = frame_at(page, SPA)
    describe(hc, A2Z_TEXT)
    hc.locator(CONTINUE).click()
    panel = page.locator(PRECHECK)
    expect(panel.locator('[data-ssc-finding="missing_order_id"]')).to_have_count(1)
    return hc, spa, panel


def test_continue_is_held_fix_stays_and_submit_anyway_continues_once(page, ext):
    assert "missing_order_id" in precheck_codes(ext.backend_url, text=A2Z_TEXT, stage="describe")
    hc, spa, panel = held_at_continue(page)
    assert spa.evaluate("window.__continued") == 0

    # Fix: the seller stays on the describe step with the text.
    panel.locator(FIX).click()
    expect(panel).to_have_count(0)
    settle(spa)
    assert spa.evaluate("[window.__step, window.__continued]") == ["describe", 0]
    expect(hc.locator(f"{DESCRIPTION} textarea")).to_have_value(A2Z_TEXT)

    # Submit anyway: Continue goes through, once.
    hc.locator(CONTINUE).click()
    submit_anyway(page, "missing_order_id")
    spa.wait_for_function("window.__continued === 1")
    expect(hc.get_by_role("button", name="Contact an associate")).to_be_visible()
    settle(spa)
    assert spa.evaluate("[window.__step, window.__continued]") == ["troubleshoot", 1]
    assert_no_errors(page)


def test_order_id_in_reference_numbers_clears_missing_order_id(page, ext):
    # Without an upload control nothing else is asked for: with the order id, no finding.
    assert (
        precheck_codes(
            ext.backend_url,
            text=A2Z_TEXT,
            stage="describe",
            reference_numbers=[ORDER_ID],
            upload_offered=False,
        )
        == []
    )
    hc, spa, panel = held_at_continue(page, "noupload=1")
    panel.locator(FIX).click()
    expect(panel).to_have_count(0)

    describe(hc, A2Z_TEXT, references=ORDER_ID)
    hc.locator(CONTINUE).click()
    spa.wait_for_function("window.__continued === 1")
    expect(panel).to_have_count(0)
    assert spa.evaluate("window.__describe.refs") == ORDER_ID
    assert_no_errors(page)


def test_a_to_z_chip_with_an_advertising_text_is_a_category_mismatch(page, ext):
    assert "category_mismatch" in precheck_codes(
        ext.backend_url, text=ADS_TEXT, category="a_to_z_claim", stage="describe"
    )
    open_help_center(page)
    hc = to_describe_step(page, chip="A-to-z Claims")
    describe(hc, ADS_TEXT)
    hc.locator(CONTINUE).click()
    expect(page.locator(f'{PRECHECK} [data-ssc-finding="category_mismatch"]')).to_have_count(1)
    assert frame_at(page, SPA).evaluate("window.__continued") == 0
    assert_no_errors(page)


def test_send_is_held_and_submit_anyway_sends_once(page, ext):
    open_help_center(page)
    hc = to_describe_step(page)
    describe(hc, A2Z_TEXT)
    hc.locator(CONTINUE).click()
    submit_anyway(page, "missing_order_id")
    contact = to_contact_step(page)
    inner = frame_at(page, CONTACT)
    contact.locator('kat-input[label="Subject"] input').fill("A-to-z claim on a delivered order")

    # The description from two steps and one frame away is still checked at Send.
    contact.locator(SEND).click()
    expect(page.locator(f'{PRECHECK} [data-ssc-finding="missing_order_id"]')).to_have_count(1)
    assert inner.evaluate("window.__sent.clicks") == 0
    submit_anyway(page)
    inner.wait_for_function("window.__sent.count === 1")
    expect(contact.get_by_text(f"Case ID: {CASE_ID}")).to_be_visible()
    settle(inner)
    sent = inner.evaluate("window.__sent")
    assert (sent["count"], sent["clicks"], sent["description"]) == (1, 1, A2Z_TEXT)
    assert_no_errors(page)


def test_case_log_records_the_sent_case_once_with_amazons_case_id(page, ext, case_log):
    for stage in ("describe", "send"):
        assert precheck_codes(case_log, text=ADS_TEXT, stage=stage) == []
    ext.set_settings(recordCases=True)
    open_help_center(page)
    contact = contact_with(page, ADS_TEXT, "advertising")
    # Continue sends nothing to Amazon: nothing is recorded yet.
    assert backend_json(case_log, "/api/v1/cases")["total"] == 0

    contact.locator(SEND).click()
    frame_at(page, CONTACT).wait_for_function("window.__sent.count === 1")
    [case] = wait_for_cases(case_log, 1)
    assert (case["text"], case["category"], case["marketplace"], case["contact_method"]) == (
        ADS_TEXT,
        "advertising",
        "US",
        "case",
    )
    case = wait_case(case_log, case["id"], lambda c: c["case_id"] is not None)
    assert case["case_id"] == CASE_ID
    assert backend_json(case_log, "/api/v1/cases")["total"] == 1
    assert_no_errors(page)


@pytest.fixture(params=["down", "slow"])
def failing_backend(request, closed_port):
    """A backend URL with nothing listening, or one that answers everything after 3 s."""
    if request.param == "down":
        yield f"http://127.0.0.1:{closed_port}"
        return
    with StubBackend(delay_all=3.0) as stub:
        yield stub.url


def seconds_until(frame, condition: str, action) -> float:
    """Run `action`; seconds until `condition` holds in `frame`."""
    start = time.monotonic()
    action()
    frame.wait_for_function(condition, timeout=10000)
    return time.monotonic() - start


@pytest.mark.alone  # times the 1.5 s budget
def test_backend_down_or_slow_never_blocks_continue_or_send(page, ext, failing_backend):
    ext.set_settings(backendUrl=failing_backend)
    open_help_center(page)
    hc = to_describe_step(page)
    describe(hc, A2Z_TEXT)  # findings, if the backend could say so
    took = seconds_until(
        frame_at(page, SPA), "window.__continued === 1", hc.locator(CONTINUE).click
    )
    assert took < 2.8, took
    contact = to_contact_step(page)
    took = seconds_until(
        frame_at(page, CONTACT), "window.__sent.count === 1", contact.locator(SEND).click
    )
    assert took < 2.8, took
    expect(page.locator(PRECHECK)).to_have_count(0)
    assert_no_errors(page)


def test_no_agents_makes_the_chat_badge_unavailable_from_the_page(page, ext):
    open_help_center(page, "agents=none")
    contact = contact_with(page, ADS_TEXT)
    contact.get_by_role("tab", name="Chat").click()
    expect(contact.get_by_text("No support agents are available right now")).to_be_visible()
    expect(contact.locator(CHAT_NOW).locator("button")).to_be_disabled()
    chat = badge(page, "chat")
    expect(chat).to_have_attribute("data-ssc-source", "page")
    expect(chat).not_to_have_attribute("data-ssc-status", "open")
    assert_no_errors(page)


def test_de_page_is_the_german_marketplace(page, ext):
    open_help_center(page, url=HELP_CENTER_DE)
    expect(page.locator(OVERLAY)).to_have_attribute("data-ssc-marketplace", "DE")
    expect_badges_match_backend(page, ext.backend_url, "DE")
    expect(help_frame(page).locator(".category-chip").first).to_be_visible()
    assert_no_errors(page)

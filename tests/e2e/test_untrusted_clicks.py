"""Only the seller's own clicks count (issue 12): a page script that fills the description and
calls .click() on the page's submit, or reaches into our overlay's open shadow root and clicks
"Submit anyway", gets nothing held, nothing recorded and nothing released by us."""

from __future__ import annotations

from playwright.sync_api import expect

from .helpers import OVERLAY, PRECHECK, assert_no_errors, submits, wait_submits
from .test_case_log import ADS_TEXT, submit_on_get_support, wait_for_cases
from .test_contact_us_kat import open_contact_us
from .test_get_support_helphub import open_get_support

FORGED_TEXT = "Forged by the page: my account was deactivated, please reinstate it."
PAGE_SUBMITS = """(text) => {
    const box = document.querySelector('#issue-details');
    box.value = text;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Submit').click();
}"""
PAGE_CLICKS_OUR_BUTTON = """(action) => document.querySelector('[data-ssc="overlay"]')
    .shadowRoot.querySelector(`[data-ssc-action="${action}"]`).click()"""


def test_a_page_scripts_submit_is_neither_held_nor_recorded(page, ext, case_log):
    ext.set_settings(recordCases=True)
    open_get_support(page)
    page.evaluate(PAGE_SUBMITS, FORGED_TEXT)
    wait_submits(page, 1)  # the page's own click went through, unheld
    expect(page.locator(PRECHECK)).to_have_count(0)
    # The seller's own submit afterwards is recorded: the only case in the log.
    page.locator("#issue-details").fill("")
    submit_on_get_support(page, ADS_TEXT, "advertising")
    wait_submits(page, 2)
    [case] = wait_for_cases(case_log, 1)
    assert case["text"] == ADS_TEXT
    assert_no_errors(page)


def test_a_page_script_cannot_press_our_panels_buttons(page, ext, case_log):
    ext.set_settings(recordCases=True)
    open_contact_us(page)
    text = "我的商品listing被下架了，请帮忙恢复（页面脚本测试）"
    page.locator("kat-textarea textarea").fill(text)
    page.locator("kat-button").click()
    panel = page.locator(PRECHECK)
    expect(panel).to_be_visible()
    page.evaluate(PAGE_CLICKS_OUR_BUTTON, "submit-anyway")
    page.evaluate(PAGE_CLICKS_OUR_BUTTON, "fix")
    # Still held: the page's submit did not happen and the panel is still up.
    expect(panel).to_be_visible()
    assert submits(page) == 0
    # The seller's own click works.
    panel.locator('[data-ssc-action="submit-anyway"]').click()
    wait_submits(page, 1)
    wait_for_cases(case_log, 1)
    expect(page.locator(f"{OVERLAY} {PRECHECK}")).to_have_count(0)
    assert_no_errors(page)

"""When no anchor finds the description box (Amazon shipped markup the rules do not know), the
overlay says so and lets the seller point at the box; the hints then work on that box
(mock_pages/unanchored_support.html)."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import UNANCHORED
from .helpers import HINT, OVERLAY, assert_no_errors, submits

TEXT = "A buyer opened an A-to-z claim on order 112-1234567-1234567 but it was delivered."


def test_point_at_the_description_box_when_no_anchor_matches(page, ext):
    page.goto(UNANCHORED)
    notice = page.locator(f"{OVERLAY} [data-ssc-anchor-notice]")
    expect(notice).to_be_visible()
    notice.locator('[data-ssc-action="point-description"]').click()
    box = page.locator("note-field input.note")
    box.click()
    box.fill(TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "a_to_z_claim")
    # The page's own box still holds what the seller typed; nothing was sent.
    assert page.evaluate("document.querySelector('note-field').value") == TEXT
    assert submits(page) == 0
    assert_no_errors(page)

"""When no anchor finds the description box (Amazon shipped markup the rules do not know), the
overlay says so and lets the seller point at the box; the hints then work on that box
(mock_pages/unanchored_support.html)."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import UNANCHORED
from .helpers import HINT, assert_no_errors, forget_pointed, point_at_description, submits

TEXT = "A buyer opened an A-to-z claim on order 112-1234567-1234567 but it was delivered."
BOX = "note-field input.note"


def test_point_at_the_description_box_when_no_anchor_matches(page, ext):
    forget_pointed(ext)  # another test may have pointed at it already
    page.goto(UNANCHORED)
    box = point_at_description(page, BOX)
    box.fill(TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "a_to_z_claim")
    # The page's own box still holds what the seller typed; nothing was sent.
    assert page.evaluate("document.querySelector('note-field').value") == TEXT
    assert submits(page) == 0
    assert_no_errors(page)
    forget_pointed(ext)

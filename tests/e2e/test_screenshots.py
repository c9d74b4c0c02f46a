"""Screenshots of the overlay at common laptop sizes, in both languages (test-artifacts/,
git-ignored), with the layout promises checked on the same pages: the panel never covers
the page's header, takes at most 30% of the window's width, and on the Help Hub leaves
its contact-method fieldset uncovered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import GET_SUPPORT, HELP_CENTER
from .helpers import HINT, OVERLAY, assert_no_errors, describe, message, settle, to_describe_step

SIZES = [(1366, 768), (1024, 640)]
# A long hint (a special channel, several materials) makes the panel as tall as it gets.
TEXTS = {
    "zh_CN": "我的账户因为订单缺陷率过高被停用了，已经提交了申诉和POA，"
    "还没有回复，请问怎么恢复销售权限？",
    "en": "My account was deactivated for a high order defect rate. I sent an appeal and a "
    "plan of action but have no answer. How do I get my selling privileges back?",
}
# The page header on each mock page (tests/e2e/mock_pages): Help Center's #navbar
# (mock-assets/sc-header.js), the Help Hub's <nav>.
HEADERS = {HELP_CENTER: "#navbar", GET_SUPPORT: "nav"}


def overlap(a: dict, b: dict) -> bool:
    """Whether two bounding boxes share any area."""
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def panel_box(page) -> dict:
    settle(page)
    box = page.locator(OVERLAY).locator(".panel").bounding_box()
    assert box is not None
    return box


def open_with_hint(page, url: str, lang: str) -> None:
    page.goto(url)
    if url == HELP_CENTER:
        describe(to_describe_step(page), TEXTS[lang])
    else:
        page.locator("#issue-details").fill(TEXTS[lang])
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "account_deactivation")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("url", [HELP_CENTER, GET_SUPPORT], ids=["help-center", "help-hub"])
def test_overlay_screenshots_leave_the_page_header_clear(page, ext, artifacts_dir, url, lang):
    ext.set_settings(uiLanguage=lang)
    open_with_hint(page, url, lang)
    name = "help-center" if url == HELP_CENTER else "help-hub"
    if (
        lang == "zh_CN"
    ):  # zones as a seller names them, zone first: "北京时间 09:00 关闭（美东时间 …"
        expect(
            page.locator(f"{OVERLAY} [data-ssc-channel='case'] [data-ssc-reply-by]")
        ).to_contain_text("预计最晚回复：北京时间 ")
        expect(page.locator(f"{OVERLAY} [data-ssc-badges]")).not_to_contain_text("New York")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        panel = panel_box(page)
        header = page.locator(HEADERS[url]).bounding_box()
        assert header is not None and header["height"] > 0
        assert not overlap(panel, header), (width, height, panel, header)
        assert panel["width"] <= 0.3 * width, (width, panel)
        if url == GET_SUPPORT:
            fieldset = page.locator("fieldset").bounding_box()
            assert not overlap(panel, fieldset), (width, height, panel, fieldset)
        page.screenshot(path=str(artifacts_dir / f"overlay-{name}-{lang}-{width}x{height}.png"))
    assert_no_errors(page)


def test_collapsed_overlay_shows_plus_and_stays_collapsed_after_reload(page, ext):
    page.goto(GET_SUPPORT)
    button = page.locator(OVERLAY).locator('[data-ssc-action="collapse"]')
    expect(button).to_have_text("–")
    expect(button).to_have_attribute("aria-expanded", "true")
    # The button says what it does now (test settings: English).
    expect(button).to_have_attribute("aria-label", message("en", "overlayCollapse"))
    try:
        button.click()
        expect(button).to_have_text("+")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_have_attribute("aria-label", message("en", "overlayExpand"))
        expect(page.locator(OVERLAY).locator(".body")).to_be_hidden()
        page.reload()
        expect(button).to_have_text("+")
        expect(page.locator(OVERLAY).locator(".body")).to_be_hidden()
        # Enter on the focused button expands it again, like a click.
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_text("–")
        expect(page.locator(OVERLAY).locator(".body")).to_be_visible()
    finally:
        ext.worker.evaluate("() => chrome.storage.local.remove('overlayCollapsed')")

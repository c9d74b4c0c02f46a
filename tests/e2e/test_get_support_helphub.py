"""The Help Hub "Get support" page: plain inputs, English labels, a real <form>."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import GET_SUPPORT
from .helpers import (
    HINT,
    OVERLAY,
    PRECHECK,
    SUBMIT_ANYWAY,
    backend_json,
    badge,
    expect_badges_match_backend,
    message,
    submits,
    wait_submits,
)

LISTING_TEXT = "My listing was removed from search, please help me get it back."
ADS_TEXT = (
    "Hello, my advertising campaign ID 12345 shows an error when I set the daily budget. "
    "Please advise how to fix it."
)


def open_get_support(page, url=GET_SUPPORT):
    page.goto(url)
    expect(page.locator(OVERLAY)).to_have_count(1)
    expect(page.locator(f"{OVERLAY} [data-ssc-hints-state='empty']")).to_be_visible()


def test_english_hint_and_en_screenshot(page, ext, artifacts_dir):
    open_get_support(page)
    page.locator("#issue-details").fill(LISTING_TEXT)
    hint = page.locator(HINT)
    expect(hint).to_have_attribute("data-ssc-category", "listing_removed")
    expect(hint.locator("[data-ssc-reasons] .reason").first).to_be_visible()
    expect(hint.locator('[data-ssc-advice="english"]')).to_have_count(0)  # English text: no advice
    expect(page.locator(OVERLAY).locator(".section-title").first).to_contain_text(
        "Support channels"
    )
    expect_badges_match_backend(page, ext.backend_url, "US")
    page.locator(OVERLAY).locator(".panel").screenshot(path=str(artifacts_dir / "overlay-en.png"))
    page.screenshot(path=str(artifacts_dir / "get-support-en-full.png"))
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_special_channel_pointer(page, ext):
    open_get_support(page)
    page.locator("#issue-details").fill(
        "Brand Registry dispute: another seller claims our brand, trademark registered in 2021."
    )
    hint = page.locator(HINT)
    expect(hint).to_have_attribute("data-ssc-category", "brand_registry")
    expect(hint.locator("[data-ssc-special]")).to_be_visible()
    categories = backend_json(ext.backend_url, "/api/v1/categories")["categories"]
    routes = next(c for c in categories if c["id"] == "brand_registry")["special_channel"]["routes"]
    expect(hint.locator("[data-ssc-special] a")).to_have_attribute("href", routes["US"])


def test_badges_say_which_channels_the_sellers_settings_rule_out(page, ext):
    """An individual seller may only write: phone and chat say "not available to you" and
    why, never green "open"; the hours themselves still match the backend."""
    ext.set_settings(plan="individual")
    open_get_support(page)
    expect_badges_match_backend(page, ext.backend_url, "US")
    for channel in ("phone", "chat"):
        barred = badge(page, channel)
        expect(barred).to_have_attribute("data-ssc-eligible", "false")
        expect(barred.locator(".pill")).to_have_text("not available to you")
        expect(barred.locator("[data-ssc-ineligible-reason='individual_plan']")).to_contain_text(
            "e-mail"
        )
        color = barred.locator(".pill").evaluate("(el) => getComputedStyle(el).backgroundColor")
        assert color != "rgb(6, 125, 98)", channel  # not the green of "open"
    expect(badge(page, "case")).not_to_have_attribute("data-ssc-eligible", "false")
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_badges_ask_for_the_settings_a_fresh_install_has_not_set(page, ext):
    """Video verification and two-factor not set yet: the phone badge keeps its schedule's
    status and asks for them (the backend's `unset`) instead of "not available to you"."""
    ext.set_settings(videoVerified=None, twoFactor=None)
    open_get_support(page)
    expect_badges_match_backend(page, ext.backend_url, "US")
    phone = badge(page, "phone")
    expect(phone).to_have_attribute("data-ssc-eligible", "unknown")
    unset = phone.locator("[data-ssc-unset]")
    expect(unset).to_have_attribute("data-ssc-unset", "video_verified two_factor")
    expect(unset).to_contain_text(message("en", "setting_video_verified"))
    expect(phone.locator(".pill")).not_to_have_text(message("en", "status_ineligible"))
    expect(badge(page, "chat")).not_to_have_attribute("data-ssc-eligible", "unknown")
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_precheck_hold_fix_then_submit_anyway_exactly_once(page, ext):
    open_get_support(page)
    page.locator("#issue-details").fill(LISTING_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    submit = page.get_by_role("button", name="Submit")
    panel = page.locator(PRECHECK)

    submit.click()
    expect(panel).to_be_visible()
    expect(panel.locator('[data-ssc-finding="missing_asin"]')).to_have_count(1)
    expect(panel.locator('[data-ssc-finding="missing_evidence"]')).to_have_count(1)
    # "Fix" returns to the form without submitting.
    panel.locator('[data-ssc-action="fix"]').click()
    expect(panel).to_have_count(0)
    assert submits(page) == 0
    assert page.evaluate("document.activeElement && document.activeElement.id") == "issue-details"

    # Held again; "Submit anyway" lets the original click through exactly once.
    submit.click()
    expect(panel).to_be_visible()
    panel.locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    expect(panel).to_have_count(0)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert submits(page) == 1
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_no_hold_without_findings_click_and_enter(page, ext):
    open_get_support(page)
    page.locator("#issue-details").fill(ADS_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "advertising")
    page.get_by_role("button", name="Submit").click()
    wait_submits(page, 1)
    expect(page.locator(PRECHECK)).to_have_count(0)
    # Enter in a single-line field submits the form implicitly: also checked, also not held.
    page.locator("#order").fill("123-1234567-1234567")
    page.locator("#order").press("Enter")
    wait_submits(page, 2)
    expect(page.locator(PRECHECK)).to_have_count(0)
    assert page.evaluate("window.__submitted") == [ADS_TEXT, ADS_TEXT]


def test_attachments_clear_missing_evidence(page, ext, tmp_path):
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n")
    open_get_support(page)
    page.locator("#issue-details").fill("My listing was removed from search, ASIN B0C1234XYZ.")
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.locator("#files").set_input_files(str(shot))
    page.get_by_role("button", name="Submit").click()
    wait_submits(page, 1)
    expect(page.locator(PRECHECK)).to_have_count(0)


def test_europe_marketplace_from_switcher_and_override(page, ext):
    # sellercentral-europe serves UK/DE/FR/IT/ES: the header switcher says "Germany".
    open_get_support(page, "https://sellercentral-europe.amazon.com/help/hub/support")
    expect_badges_match_backend(page, ext.backend_url, "DE")
    # The seller can override the marketplace from the overlay.
    page.locator(f'{OVERLAY} [data-ssc-control="marketplace"]').select_option("JP")
    expect_badges_match_backend(page, ext.backend_url, "JP")
    assert ext.settings()["marketplaceOverride"] == "JP"


def test_spa_navigation_in_and_out_of_support_pages(page, ext):
    page.goto("https://sellercentral.amazon.com/home")
    page.locator("h1").wait_for()
    page.get_by_role("button", name="Submit").click()
    assert submits(page) == 1  # not a support page: never intercepted
    # Has the content script run? The isolated world is not visible to the page, so check
    # that it stays out of the way: no overlay appears on its own.
    expect(page.locator(OVERLAY)).to_have_count(0)

    # Client-side navigation to the support page: the overlay attaches without a reload.
    page.evaluate("window.__goSupport()")
    expect(page.locator(OVERLAY)).to_have_count(1)
    expect(page.locator(f"{OVERLAY} [data-ssc-badges='US']")).to_have_count(1)
    page.locator("#d").fill(LISTING_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.get_by_role("button", name="Send").click()  # text fallback finds the submit
    expect(page.locator(PRECHECK)).to_be_visible()
    page.locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 2)

    # And back out: the overlay hides.
    page.evaluate("window.__goHome()")
    expect(page.locator(OVERLAY)).to_be_hidden()
    assert page.evaluate("document.querySelectorAll('[data-ssc=\"overlay\"]').length") == 1


def test_case_log_shows_hours_only(page, ext):
    page.goto("https://sellercentral.amazon.com/cu/case-lobby")
    expect_badges_match_backend(page, ext.backend_url, "US")
    # No description box on the case log: no hint section, nothing to intercept.
    expect(page.locator(f"{OVERLAY} [data-ssc-section='hints'] > *")).to_have_count(0)
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []

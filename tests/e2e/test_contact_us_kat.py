"""The "Contact us" flow built from KAT-style web components (shadow DOM),
rendered late, re-rendered, with Chinese labels."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import CONTACT_US
from .helpers import (
    HINT,
    OVERLAY,
    PRECHECK,
    SUBMIT_ANYWAY,
    expect_badges_match_backend,
    submits,
    wait_submits,
)

ZH_TEXT = "我的账户被停用了，昨天收到封号通知，说我违反了政策，请问怎么申诉？"


def open_contact_us(page):
    page.goto(CONTACT_US)
    expect(page.locator(OVERLAY)).to_have_count(1)
    # The form renders late (setTimeout in the page): wait for the real textarea in the shadow root.
    page.locator("kat-textarea textarea").wait_for()


def test_badges_match_backend_on_kat_page(page, ext):
    open_contact_us(page)
    data = expect_badges_match_backend(page, ext.backend_url, "US")
    # Times are shown in the seller's zone and the marketplace's zone.
    phone = next(c for c in data["channels"] if c["channel"] == "phone")
    if phone["next_change"]:
        expect(
            page.locator(f'{OVERLAY} [data-ssc-channel="phone"] [data-ssc-next]')
        ).to_contain_text("Beijing time")
        expect(
            page.locator(f'{OVERLAY} [data-ssc-channel="phone"] [data-ssc-next]')
        ).to_contain_text("US Eastern time")
    case = next(c for c in data["channels"] if c["channel"] == "case")
    if case.get("reply_by"):
        reply_by = page.locator(f'{OVERLAY} [data-ssc-channel="case"] [data-ssc-reply-by]')
        expect(reply_by).to_have_count(1)
        # As the holiday notice gives it: the seller's zone, the marketplace's in parentheses.
        expect(reply_by).to_contain_text("Beijing time (")
        expect(reply_by).to_contain_text("US Eastern time)")
    # Notices from the backend (e.g. holiday_delay) are shown.
    expect(page.locator(f"{OVERLAY} [data-ssc-notice]")).to_have_count(len(data["notices"]))
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_chinese_hint_survives_rerender_and_zh_screenshot(page, ext, artifacts_dir):
    ext.set_settings(uiLanguage="zh_CN")
    open_contact_us(page)
    page.locator("kat-textarea textarea").fill(ZH_TEXT)
    hint = page.locator(HINT)
    expect(hint).to_have_attribute("data-ssc-category", "account_deactivation")
    # Chinese UI, matched phrases, materials, English advice, and the composer's button.
    expect(page.locator(OVERLAY).locator(".section-title").first).to_contain_text("客服渠道")
    expect(hint.locator("[data-ssc-reasons] .reason").first).to_be_visible()
    expect(hint.locator("[data-ssc-material='three_piece']")).to_have_count(1)
    expect(hint.locator('[data-ssc-advice="english"]')).to_be_visible()
    expect(page.locator(OVERLAY).locator('[data-ssc-action="compose"]')).to_have_text(
        "生成英文工单"
    )
    page.locator(OVERLAY).locator(".panel").screenshot(path=str(artifacts_dir / "overlay-zh.png"))
    page.screenshot(path=str(artifacts_dir / "contact-us-zh-full.png"))

    # The SPA replaces its form: the hint stays, and we re-attach to the new textarea.
    page.evaluate("window.__rerender()")
    expect(page.locator("#cu-form.v2")).to_have_count(1)
    expect(hint).to_have_attribute("data-ssc-category", "account_deactivation")
    page.locator("kat-textarea textarea").fill(
        "My listing was removed from search, ASIN B0C1234XYZ."
    )
    expect(hint).to_have_attribute("data-ssc-category", "listing_removed")
    # Never attached twice.
    assert page.evaluate("document.querySelectorAll('[data-ssc=\"overlay\"]').length") == 1
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_precheck_holds_kat_submit_then_submit_anyway_once(page, ext):
    open_contact_us(page)
    page.locator("kat-textarea textarea").fill("我的商品listing被下架了，请帮忙恢复")
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.locator("kat-button").click()
    panel = page.locator(PRECHECK)
    expect(panel).to_be_visible()
    expect(panel.locator('[data-ssc-finding="missing_asin"]')).to_have_count(1)
    expect(panel.locator('[data-ssc-finding="non_english"]')).to_have_count(1)
    assert submits(page) == 0
    panel.locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    expect(panel).to_have_count(0)
    # Exactly once: nothing else arrives after the panel closed.
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert submits(page) == 1
    assert page.evaluate("window.__submitted[0]") == "我的商品listing被下架了，请帮忙恢复"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []

"""The case composer (features/composer.js) on the KAT "Contact us" page: the English case
replaces the seller's Chinese draft (never appended to it), with the order id and the
marketplace filled in; the placeholders left are listed with their explanations in the UI's
language;
the draft can be restored; and a Chinese paragraph added to the composed text is still
caught by non_english, the placeholders left by unfilled_placeholder. The English advice
points to the composer only where it offers a template; a case page's follow-up carries
the case id from the address and the store name from the header."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from .conftest import CONTACT_US, EXTENSION_DIR, VIEW_CASE
from .helpers import (
    HINT,
    OVERLAY,
    PRECHECK,
    ContentWorld,
    assert_no_errors,
    backend_call,
    describe,
    frame_at,
    to_describe_step,
)
from .test_contact_us_kat import open_contact_us
from .test_corrections import FBA_CHIP, UNSURE_TEXT, draft_with
from .test_get_support_helphub import open_get_support
from .test_help_center import SPA, open_help_center
from .test_hint_confidence import classify
from .test_messages import SEND, UNKNOWN, malformed

ORDER = "113-1234567-1234567"
DRAFT = f"买家发起了A-to-z索赔，说没收到货，订单号 {ORDER}，但是物流显示已经妥投。"
CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = json.loads((EXTENSION_DIR / "_locales/en/messages.json").read_text("utf-8"))


def test_compose_fills_the_order_id_and_marketplace_and_lists_what_is_left(page, ext):
    open_contact_us(page)
    box = page.locator("kat-textarea textarea")
    box.fill(DRAFT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "a_to_z_claim")
    overlay = page.locator(OVERLAY)
    # The composer offers a template: the English advice points to it.
    expect(page.locator(f'{HINT} [data-ssc-advice="english"]')).to_have_text(
        MESSAGES["adviceEnglish"]["message"]
    )
    overlay.locator('[data-ssc-composer] [data-ssc-action="compose"]').click()
    result = overlay.locator("[data-ssc-compose-result]")
    expect(result).to_have_attribute("data-ssc-compose-result", "a_to_z_claim")

    # What the backend composes for this draft is what the box holds, and nothing else.
    status, composed = backend_call(
        ext.backend_url,
        "POST",
        "/api/v1/compose",
        {"category": "a_to_z_claim", "marketplace": "US", "text": DRAFT},
    )
    assert status == 200, composed
    text = box.input_value()
    assert text == composed["text"]
    assert f"order {ORDER} on the United States marketplace" in text
    assert not CJK.search(text), "the Chinese draft was appended"
    assert page.evaluate("document.querySelector('kat-textarea').value") == text

    # Every placeholder left is listed with its explanation in English (the UI's language,
    # no Chinese in it) and an English example; what was filled in, by its name.
    left = overlay.locator("[data-ssc-remaining] [data-ssc-placeholder]")
    expect(left).to_have_count(len(composed["remaining"]))
    for i, placeholder in enumerate(composed["remaining"]):
        assert placeholder["name"] in text
        item = left.nth(i)
        expect(item).to_have_attribute("data-ssc-placeholder", placeholder["name"])
        label, explain = placeholder["label"]["en"], placeholder["explain"]["en"]
        expect(item).to_contain_text(f"{label}: {explain}")
        expect(item).to_contain_text(placeholder["example"])
        assert not CJK.search(item.inner_text()), item.inner_text()
    expect(overlay.locator("[data-ssc-filled]")).to_contain_text(f"order ID {ORDER}")
    expect(overlay.locator("[data-ssc-compose-subject]")).to_have_text(composed["subject"])

    # The seller adds a Chinese paragraph and sends: both checks speak up.
    box.fill(text + "\n买家说没收到货，我们有妥投证明。")
    page.locator("kat-button").click()
    panel = page.locator(PRECHECK)
    expect(panel.locator('[data-ssc-finding="unfilled_placeholder"]')).to_contain_text(
        composed["remaining"][0]["name"]
    )
    expect(panel.locator('[data-ssc-finding="non_english"]')).to_have_count(1)
    panel.locator('[data-ssc-action="fix"]').click()

    # "Restore my text" brings the seller's own draft back.
    box.fill(text)
    overlay.locator('[data-ssc-action="restore-draft"]').click()
    expect(box).to_have_value(DRAFT)
    expect(overlay.locator("[data-ssc-compose-result]")).to_have_count(0)
    assert_no_errors(page)


def test_malformed_compose_messages_are_refused(page, ext):
    """Only our content script composes, and only with the message's own keys and shapes."""
    good = {
        "type": "ssc:compose",
        "template": "follow_up",
        "category": None,
        "marketplace": "US",
        "text": "case 22153077391",
        "reference_numbers": [],
    }
    page.goto(ext.url("popup/popup.html"))
    assert page.evaluate(SEND, good) == UNKNOWN
    page.goto(CONTACT_US)
    expect(page.locator(OVERLAY)).to_have_count(1)
    world = ContentWorld(page)

    def send(msg):
        return world.eval(f"chrome.runtime.sendMessage({json.dumps(msg)})")

    for patch in (
        {"template": "../x"},
        {"category": "Logistics"},
        {"marketplace": "ZZ"},
        {"text": 5},
        {"reference_numbers": "FBA15DJ8K4ZN"},
        {"values": {"COLOUR": "red"}},
        {"values": {"CASE_ID": "case 1"}},
        {"values": {"STORE_NAME": "x" * 301}},
        {"url": "https://evil.example"},
    ):
        assert send({**good, **patch}) == malformed("ssc:compose"), patch
    reply = send(good)
    assert reply["ok"] is True and reply["data"]["subject"] == "Follow-up on case 22153077391"
    reply = send({**good, "text": "", "values": {"CASE_ID": "16496946351"}})
    assert reply["ok"] is True and reply["data"]["subject"] == "Follow-up on case 16496946351"
    assert_no_errors(page)


def test_no_composer_no_pointer_to_it(page, ext):
    """Brand Registry goes to its own channel: no template, so the advice names none."""
    open_contact_us(page)
    page.locator("kat-textarea textarea").fill(
        "品牌备案的商品标题和图片被别人改了，品牌旗舰店也被修改。"
    )
    advice = page.locator(f'{HINT} [data-ssc-advice="english"]')
    expect(advice).to_have_text(MESSAGES["adviceEnglishNoComposer"]["message"])
    expect(page.locator(f'{OVERLAY} [data-ssc-action="compose"]')).to_have_count(0)
    assert_no_errors(page)


def test_on_a_case_page_the_reply_gets_the_follow_up_with_its_case_id(page, ext):
    """A follow-up goes on the original case: its page offers the follow-up, filled with the
    case id from the page's address, the store name from the page header and today's date
    on the marketplace."""
    page.goto(VIEW_CASE)
    expect(page.locator(OVERLAY)).to_have_count(1)
    page.locator("kat-button.reply-button").click()
    composer = page.locator(f"{OVERLAY} [data-ssc-composer]")
    expect(composer).to_have_attribute("data-ssc-composer", "case")
    expect(composer.locator("[data-ssc-template] option")).to_have_count(1)
    composer.locator('[data-ssc-action="compose"]').click()
    expect(page.locator(f"{OVERLAY} [data-ssc-compose-result]")).to_have_attribute(
        "data-ssc-compose-result", "follow_up"
    )
    expect(page.locator(f"{OVERLAY} [data-ssc-compose-subject]")).to_have_text(
        "Follow-up on case 22153077391"
    )
    replies = page.locator("kat-textarea.reply-text textarea")
    filled = [replies.nth(i).input_value() for i in range(replies.count())]
    assert any("We are writing again on case 22153077391, which" in t for t in filled), filled
    store = page.locator("#navbar .dropdown-account-switcher-header-label-global").inner_text()
    assert any(t.rstrip().endswith("\n" + store) for t in filled), filled  # the signature
    expect(page.locator(f"{OVERLAY} [data-ssc-filled]")).to_contain_text(f"store name {store}")
    assert_no_errors(page)


def test_a_failed_compose_says_why_in_the_sellers_words(page, ext, closed_port):
    """The background's error codes read as in the options page (lib/errors.js), and the
    reply box keeps what the seller wrote."""
    page.goto(VIEW_CASE)
    expect(page.locator(OVERLAY)).to_have_count(1)
    page.locator("kat-button.reply-button").click()
    button = page.locator(f'{OVERLAY} [data-ssc-composer] [data-ssc-action="compose"]')
    expect(button).to_have_count(1)
    reply = page.locator("kat-textarea.reply-text textarea").first
    reply.fill("还没有回复")
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    button.click()
    error = page.locator(f"{OVERLAY} [data-ssc-compose-error]")
    expect(error).to_have_attribute("data-ssc-compose-error", "offline")
    why = MESSAGES["errorOffline"]["message"]
    expect(error).to_have_text(MESSAGES["composeFailed"]["message"].replace("$WHY$", why))
    expect(reply).to_have_value("还没有回复")
    assert_no_errors(page)


def test_a_template_the_backend_refuses_shows_its_bilingual_reason(page, ext):
    """A category's own template for another category (as stale data could offer it): the
    backend's reason, in both languages, not "error code template_not_for_category"."""
    open_contact_us(page)
    expect(page.locator(f'{OVERLAY} [data-ssc-action="compose"]')).to_have_count(0)
    box = page.locator("kat-textarea textarea")
    box.fill("My FBA shipment is missing 48 units.")
    expect(page.locator(f'{OVERLAY} [data-ssc-action="compose"]')).to_have_count(1)
    ContentWorld(page).eval(
        'SSC.features.find((f) => f.id === "composer").impl'
        '.compose("logistics", "plan_of_action", null)'
    )
    error = page.locator(f"{OVERLAY} [data-ssc-compose-error]")
    expect(error).to_have_attribute("data-ssc-compose-error", "template_not_for_category")
    expect(error).to_contain_text("'plan_of_action' is for account_deactivation")
    expect(error).to_contain_text("这个模板不适用于")
    expect(box).to_have_value("My FBA shipment is missing 48 units.")
    assert_no_errors(page)


def test_the_plan_of_action_names_the_account_health_appeal_and_the_attached_files(page, ext):
    open_get_support(page)
    box = page.locator("#issue-details")
    box.fill("我的账号被封了，需要写POA申诉")
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "account_deactivation")
    page.locator("#files").set_input_files(
        [
            {"name": "account-health.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"},
            {"name": "timeline.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"},
        ]
    )
    page.locator(f'{OVERLAY} [data-ssc-composer] [data-ssc-action="compose"]').click()
    expect(page.locator(f"{OVERLAY} [data-ssc-submit-where]")).to_contain_text(
        "Account Health page"
    )
    expect(box).to_have_value(re.compile(r"Attached: account-health\.pdf, timeline\.pdf\."))
    assert_no_errors(page)


def test_the_composer_offers_the_category_the_precheck_uses(page, ext, case_log):
    """The seller's pick among our hints outranks Amazon's chip, also after a reload, when
    only the tab's draft remembers it (ctx.caseCategory, as for the pre-submit check)."""
    suggestions = classify(case_log, UNSURE_TEXT)
    pick = next(s["category"] for s in suggestions[1:] if s["category"] != FBA_CHIP[1])
    open_help_center(page, "keepstep=1")
    hc = to_describe_step(page, FBA_CHIP[0])
    describe(hc, UNSURE_TEXT)
    page.locator(f'{OVERLAY} [data-ssc-alt="{pick}"]').click()
    composer = page.locator(f"{OVERLAY} [data-ssc-composer]")
    expect(composer).to_have_attribute("data-ssc-composer", pick)
    draft_with(ext, UNSURE_TEXT, hintPick=pick, pageCategory=FBA_CHIP[1])
    page.reload()
    frame_at(page, SPA).wait_for_function("window.__step === 'describe'")
    expect(composer).to_have_attribute("data-ssc-composer", pick)
    assert_no_errors(page)

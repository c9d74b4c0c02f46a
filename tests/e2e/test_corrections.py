"""The seller's corrections (issue 13): a recorded case carries the category the seller chose
and our top suggestion (`suggested`), kept in the tab's draft across the Help Center's steps
and a reload; the options page shows how many corrections the classifier learns from and
forgets them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import (
    CONTINUE,
    HINT,
    OVERLAY,
    SEND,
    SUBMIT_ANYWAY,
    assert_no_errors,
    backend_call,
    backend_json,
    contact_frame,
    describe,
    frame_at,
    session_drafts,
    to_contact_step,
    to_describe_step,
    wait_for,
)
from .test_case_log import wait_for_cases
from .test_help_center import A2Z_TEXT, CONTACT, SPA, open_help_center
from .test_hint_confidence import classify

# Three suggestions today: a top and two alternatives (the test checks it has one).
UNSURE_TEXT = "Hello, I have a problem with my seller account and an order, please check."
FBA_CHIP = ("FBA related", "logistics")  # Amazon's chip and our category for it (selectors)


def click_through(page, control, frame, gone_through: str) -> None:
    """Click the page's `control`; if our check holds it, let it through ("Continue anyway" /
    "Submit anyway") until `gone_through` holds in `frame`."""
    control.click()
    anyway = page.locator(SUBMIT_ANYWAY)

    def through():
        if frame.evaluate(gone_through):
            return True
        if anyway.count():
            anyway.click()
        return False

    wait_for(through, timeout=10, what=gone_through)


def draft_with(ext, text: str, **expected) -> dict:
    """The tab's saved draft for `text`, once it holds `expected`."""

    def found():
        for draft in session_drafts(ext).values():
            if draft.get("description") == text and expected.items() <= draft.items():
                return draft
        return None

    return wait_for(found, what=f"a saved draft of {text[:20]!r}… with {expected}")


def send_after_a_reload(page) -> None:
    """From the troubleshooting step: reload the page (only the draft remembers the case;
    keepstep=1 keeps the mock on its step), on to the contact step and Send."""
    page.reload()
    expect(page.locator(OVERLAY)).to_have_count(1)
    frame_at(page, SPA).wait_for_function("window.__step === 'troubleshoot'")
    to_contact_step(page)
    click_through(
        page,
        contact_frame(page).locator(SEND),
        frame_at(page, CONTACT),
        "window.__sent.count === 1",
    )


@pytest.mark.parametrize("chip", [False, True], ids=["pick", "pick-over-amazons-chip"])
def test_picking_an_alternative_records_a_correction(page, ext, case_log, chip):
    """The seller picks one of our alternatives on the describe step (also after picking a
    chip on Amazon's form: the later, finer choice wins); the page reloads before Send. The
    case is recorded with category = the pick and suggested = our top suggestion."""
    suggestions = classify(case_log, UNSURE_TEXT)
    assert len(suggestions) > 1, suggestions  # premise: there is an alternative to pick
    top = suggestions[0]["category"]
    pick = next(s["category"] for s in suggestions[1:] if s["category"] != FBA_CHIP[1])
    ext.set_settings(recordCases=True)
    open_help_center(page, "keepstep=1")
    hc = to_describe_step(page, FBA_CHIP[0] if chip else None)
    describe(hc, UNSURE_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", top)
    page.locator(f'{OVERLAY} [data-ssc-alt="{pick}"]').click()
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", pick)
    page_category = FBA_CHIP[1] if chip else None
    draft_with(ext, UNSURE_TEXT, suggested=top, hintPick=pick, pageCategory=page_category)
    click_through(page, hc.locator(CONTINUE), frame_at(page, SPA), "window.__continued === 1")
    send_after_a_reload(page)

    [case] = wait_for_cases(case_log, 1)
    assert (case["text"], case["category"], case["suggested"]) == (UNSURE_TEXT, pick, top)
    assert backend_json(case_log, "/api/v1/corrections") == {"count": 1}
    assert_no_errors(page)


def test_the_category_picked_on_amazons_form_is_the_sellers_choice(page, ext, case_log):
    """No pick among our hints: the chip picked on Amazon's form is what the seller chose;
    our top suggestion is still `suggested`."""
    top = classify(case_log, A2Z_TEXT)[0]["category"]
    assert top != FBA_CHIP[1]  # premise: the chip disagrees with our top suggestion
    ext.set_settings(recordCases=True)
    open_help_center(page, "keepstep=1")
    hc = to_describe_step(page, FBA_CHIP[0])
    describe(hc, A2Z_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", top)
    draft_with(ext, A2Z_TEXT, suggested=top, hintPick=None, pageCategory=FBA_CHIP[1])
    click_through(page, hc.locator(CONTINUE), frame_at(page, SPA), "window.__continued === 1")
    send_after_a_reload(page)

    [case] = wait_for_cases(case_log, 1)
    assert (case["category"], case["suggested"]) == (FBA_CHIP[1], top)
    assert_no_errors(page)


# ---------------------------------------------------------------- the options page

SECTION = "#corrections"


def post_case(base_url: str, text: str, category: str, suggested: str | None) -> None:
    body = {"text": text, "category": category, "suggested": suggested, "marketplace": "US"}
    status, case = backend_call(base_url, "POST", "/api/v1/cases", body)
    assert status == 201, case


def open_options(page, ext):
    page.goto(ext.url("options/options.html"))
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    return page.locator(SECTION)


def test_options_show_the_corrections_and_forget_them(page, ext, case_log):
    post_case(case_log, "My FBA shipment is stuck in receiving.", "logistics", "advertising")
    post_case(case_log, "The buyer wants a refund for a late parcel.", "a_to_z_claim", "other")
    post_case(case_log, "Campaign 12 stopped spending.", "advertising", "advertising")  # agreed
    section = open_options(page, ext)
    expect(section).to_have_attribute("data-ssc-corrections-state", "live")
    count = section.locator("#corrections-count")
    expect(count).to_have_text("Corrections it learns from: 2")
    expect(count).to_have_attribute("data-ssc-corrections-count", "2")

    # "Forget them" asks first; Cancel forgets nothing.
    forget = section.locator('[data-ssc-action="forget-corrections"]')
    confirm = section.locator("[data-ssc-confirm]")
    forget.click()
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("Forget all corrections (2)?")
    confirm.locator('[data-ssc-action="cancel-forget"]').click()
    expect(confirm).to_be_hidden()
    assert backend_json(case_log, "/api/v1/corrections") == {"count": 2}

    forget.click()
    confirm.locator('[data-ssc-action="confirm-forget"]').click()
    result = section.locator("[data-ssc-corrections-result]")
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_have_text("Corrections forgotten: 2. Your cases stay in the log.")
    expect(section).to_have_attribute("data-ssc-corrections-state", "empty")
    expect(count).to_have_text("No corrections yet.")
    expect(forget).to_be_hidden()
    assert backend_json(case_log, "/api/v1/corrections") == {"count": 0}
    assert backend_json(case_log, "/api/v1/cases")["total"] == 3  # the cases stay
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Cannot reach the backend"), ("zh_CN", "无法连接后端")],
)
def test_options_say_when_the_backend_is_not_running(page, ext, closed_port, lang, words):
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}", uiLanguage=lang)
    section = open_options(page, ext)
    expect(section).to_have_attribute("data-ssc-corrections-state", "error")
    count = section.locator("#corrections-count")
    expect(count).to_have_attribute("data-ok", "false")
    expect(count).to_contain_text(words)
    expect(count).to_contain_text("ssc serve")
    expect(section.locator('[data-ssc-action="forget-corrections"]')).to_be_hidden()
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []

"""Keyboard and screen-reader use of our UI: axe-core (npm, pinned in package-lock.json,
installed by `make test`) finds no serious or critical violation in the overlay (in its
open shadow root), the pre-submit panel, the popup and the options page; and the keys a
seller uses work: Esc closes the pre-submit panel as Fix does, Tab stays in it, Enter
and Space press our buttons, arrow keys move between the popup's tabs and through the
time-zone picker."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import GET_SUPPORT, REPO
from .helpers import OVERLAY, PRECHECK, SUBMIT_ANYWAY, backend_json, submits, wait_submits
from .test_case_log import new_case

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
LISTING_TEXT = "My listing was removed from search, please help me get it back."


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make test` (npm ci)", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def serious_violations(page, axe_source: str, within: str | None = None) -> list[str]:
    """axe-core's serious and critical violations in the page, or in the element `within`
    (with its open shadow root). Injected with page.evaluate, which an extension page's
    script-src 'self' does not stop."""
    page.evaluate(axe_source)
    return page.evaluate(
        """async (within) => {
            const context = within ? document.querySelector(within) : document;
            const got = await axe.run(context, { resultTypes: ["violations"] });
            return got.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => {
                const where = v.nodes.map((n) => n.target.join(" > ")).join(", ");
                return `${v.id} (${v.impact}): ${where}`;
              });
        }""",
        within,
    )


def hold_on_get_support(page) -> None:
    """Type a description with findings and press Submit: the pre-submit panel opens."""
    page.goto(GET_SUPPORT)
    page.locator("#issue-details").fill(LISTING_TEXT)
    expect(page.locator(f"{OVERLAY} [data-ssc-hint]")).to_have_attribute(
        "data-ssc-category", "listing_removed"
    )
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(PRECHECK)).to_be_visible()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_overlay_and_precheck_panel_pass_axe(page, ext, axe_source, lang):
    ext.set_settings(uiLanguage=lang)
    hold_on_get_support(page)
    assert page.locator(OVERLAY).evaluate("(host) => host.shadowRoot !== null")  # open: axe sees in
    assert serious_violations(page, axe_source, OVERLAY) == []


def test_precheck_panel_by_keyboard(page, ext):
    hold_on_get_support(page)
    panel = page.locator(PRECHECK)
    dialog = panel.locator("[role='dialog']")
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog).to_have_accessible_name("Check before you send")
    # Fix has the focus; Tab goes through the dialog's controls and comes back to it.
    fix = panel.locator('[data-ssc-action="fix"]')
    expect(fix).to_be_focused()
    controls = dialog.locator("a[href], button").count()
    for _ in range(controls):
        page.keyboard.press("Tab")
    expect(fix).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(panel.locator(SUBMIT_ANYWAY)).to_be_focused()
    # Esc is Fix: the panel closes, nothing is sent, the description has the focus.
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    assert submits(page) == 0
    assert page.evaluate("document.activeElement.id") == "issue-details"
    # Held again: Space on "Submit anyway" sends it, once.
    page.get_by_role("button", name="Submit").click()
    expect(panel).to_be_visible()
    panel.locator(SUBMIT_ANYWAY).focus()
    page.keyboard.press("Space")
    wait_submits(page, 1)
    expect(panel).to_have_count(0)
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_popup_passes_axe_and_its_tabs_work_by_keyboard(page, ext, case_log, axe_source, lang):
    ext.set_settings(uiLanguage=lang)
    new_case(case_log)
    page.goto(ext.url("popup/popup.html"))
    expect(page.locator("body[data-ssc-state='live']")).to_have_count(1)
    cases_tab = page.locator("#tab-cases")
    hours_tab = page.locator("#tab-hours")
    # An open case: its tab is shown first, not below the clock.
    expect(cases_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("[data-ssc-case]")).to_be_visible()
    expect(cases_tab).to_contain_text("(1)")
    assert serious_violations(page, axe_source) == []
    cases_tab.focus()
    page.keyboard.press("ArrowLeft")
    expect(hours_tab).to_be_focused()
    expect(hours_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#clock")).to_be_visible()
    expect(page.locator("[data-ssc-case]")).to_be_hidden()
    assert serious_violations(page, axe_source) == []
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_options_page_passes_axe_and_its_zone_picker_works_by_keyboard(page, ext, axe_source, lang):
    ext.set_settings(uiLanguage=lang)
    page.goto(ext.url("options/options.html"))
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    assert serious_violations(page, axe_source) == []
    zone = page.locator("#sellerTimezone")
    expect(zone).to_have_attribute("role", "combobox")
    # Entering the field lists the common seller zones first (the served marketplaces
    # document's `seller_common` zones, in its order), by the names sellers use.
    zone.focus()
    options = page.locator("#tz-options [role='option']")
    zones = backend_json(ext.backend_url, "/api/v1/marketplaces")["zones"]
    common = [z for z in zones if z.get("seller_common")]
    assert common
    for i, served in enumerate(common):
        expect(options.nth(i)).to_have_attribute("data-ssc-zone", served["id"])
    expect(options.first).to_contain_text(common[0]["name"]["zh" if lang == "zh_CN" else "en"])
    assert serious_violations(page, axe_source) == []  # with the list open
    # Search by the zone's name, pick with the arrow keys and Enter (the form is not sent).
    zone.fill("美西" if lang == "zh_CN" else "pacific")
    page.keyboard.press("ArrowDown")
    expect(zone).to_have_attribute("aria-activedescendant", "tz-option-0")
    page.keyboard.press("Enter")
    expect(zone).to_have_value("America/Los_Angeles")
    expect(page.locator("#tz-options")).to_be_hidden()
    expect(page.locator("#saved")).to_be_hidden()
    expect(page.locator("#tz-chosen")).to_contain_text(
        "美西时间" if lang == "zh_CN" else "US Pacific time"
    )
    # A zone that does not exist: the error is wholly in the page's language.
    zone.fill("Mars/Olympus")
    page.locator("#save").click()
    error = page.locator("#tz-error")
    expect(error).to_be_visible()
    if lang == "zh_CN":
        assert not any(c.isascii() and c.isalpha() for c in error.text_content())
    assert ext.settings()["sellerTimezone"] == "Asia/Shanghai"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []

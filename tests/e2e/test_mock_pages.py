"""The mock Seller Central pages on their own, in a Chromium WITHOUT the extension: each mock
behaves as its header comment says (steps, frames, shadow roots, .value, what it records), so
the extension's tests can trust them."""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from .conftest import (
    HELP_CENTER,
    HELP_CENTER_DE,
    MOCK_DIR,
    MOCK_ROUTES,
    REPO,
    UNANCHORED,
    VIEW_CASE,
    route_mocks,
)
from .helpers import (
    CASE_LINK,
    CHAT_NOW,
    CONTACT_FRAME,
    CONTINUE,
    DESCRIPTION,
    HELP_FRAME,
    REFERENCES,
    SEND,
    STEPS_TAKEN,
    contact_frame,
    frame_at,
    help_frame,
    to_contact_step,
    to_describe_step,
    with_query,
)

REGIONAL = "#navbar .dropdown-account-switcher-header-label-regional"
FRAME_PATH = "/help/center/frame"
CONTACT_PATH = "/help/center/contact"


@pytest.fixture(scope="module")
def plain_browser(extension_context, chromium_path):
    """A second Chromium, without any extension, from the session's Playwright."""
    browser = extension_context.browser.browser_type.launch(
        executable_path=chromium_path, headless=True, args=["--no-sandbox"]
    )
    yield browser
    browser.close()


@pytest.fixture()
def plain(plain_browser):
    """A page serving the mocks without the extension; console and page errors are collected
    in page.ssc_errors."""
    context = plain_browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    route_mocks(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.ssc_errors = errors
    yield page
    context.close()


def test_mock_assets_are_served_with_their_content_type(plain):
    base = "https://sellercentral.amazon.co.uk/mock-assets/"
    response = plain.goto(base + "kat-mock.js")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/javascript")
    for bad in ("nope.js", "%2e%2e%2fconftest.py", "help_center.html%3F"):
        assert plain.goto(base + bad).status == 404, bad
    assert all((MOCK_DIR / name).is_file() for name in MOCK_ROUTES.values())


def test_help_center_steps_frames_and_state(plain):
    plain.goto(HELP_CENTER)
    expect(plain.locator(REGIONAL)).to_have_text("United States")
    expect(plain.locator("#navbar .dropdown-account-switcher-header-label-global")).to_have_text(
        "Example Store"
    )
    hc = help_frame(plain)
    # Step 1: chips filter the issue cards; the id is on the wrapper div, not the kat-button.
    expect(hc.locator("kat-box.issue-card")).to_have_count(4)
    expect(hc.locator("kat-button.category-chip")).to_have_count(3)
    expect(hc.locator("kat-button#issueNotListedButton")).to_have_count(0)
    hc.locator('kat-button.category-chip[label="A-to-z Claims"]').click()
    expect(hc.locator("kat-box.issue-card")).to_have_count(1)
    spa = frame_at(plain, FRAME_PATH)
    assert spa.evaluate("[window.__step, window.__chip]") == ["issues", "A-to-z Claims"]
    # The iframe is reachable the way automation reaches it: querySelectorAll + contentDocument.
    assert plain.evaluate(
        "!!Array.from(document.querySelectorAll('iframe'))"
        ".find((f) => f.contentDocument.querySelector('#issueNotListedButton'))"
    )

    # Step 2 replaces the DOM; the chosen chip is kept.
    to_describe_step(plain)
    expect(hc.locator(".meld-step-issues")).to_have_count(0)
    expect(hc.locator('kat-button.category-chip[aria-pressed="true"]')).to_have_attribute(
        "label", "A-to-z Claims"
    )
    expect(hc.locator(f"{DESCRIPTION} label")).to_have_text("What do you need help with?")
    expect(hc.locator('kat-label[for="meld-steps-taken"] label')).to_have_text(
        "What steps have you taken already?"
    )
    expect(hc.locator('kat-label[for="meld-reference-numbers"] label')).to_have_text(
        "Reference numbers"
    )
    expect(hc.locator("kat-file-upload input[type=file]")).to_have_count(1)
    assert spa.evaluate(
        "['kat-textarea', 'kat-input', 'kat-button', 'kat-file-upload']"
        ".every((t) => document.querySelector(t).shadowRoot.mode === 'open')"
    )
    # Continue is disabled while the description is empty: a click does not get through.
    cont = hc.locator(CONTINUE)
    expect(cont).to_have_attribute("aria-disabled", "true")
    cont.click(force=True)
    assert spa.evaluate("window.__continued") == 0
    hc.locator(f"{DESCRIPTION} textarea").fill("Buyer filed an A-to-z claim.")
    hc.locator(f"{STEPS_TAKEN} input").fill("Contacted the buyer")
    hc.locator(f"{REFERENCES} input").fill("113-1234567-1234567")
    assert spa.evaluate(f"document.querySelector('{DESCRIPTION}').value") == (
        "Buyer filed an A-to-z claim."
    )
    expect(cont).not_to_have_attribute("aria-disabled", "true")
    cont.click()

    # Step 3; Back restores the describe step with its values, from a fresh DOM.
    expect(hc.get_by_role("button", name="Contact an associate")).to_be_visible()
    assert spa.evaluate("[window.__step, window.__continued]") == ["troubleshoot", 1]
    assert spa.evaluate("window.__describe") == {
        "text": "Buyer filed an A-to-z claim.",
        "steps": "Contacted the buyer",
        "refs": "113-1234567-1234567",
        "chip": "A-to-z Claims",
    }
    hc.get_by_role("button", name="Back").click()
    expect(hc.locator(f"{REFERENCES} input")).to_have_value("113-1234567-1234567")
    hc.locator(CONTINUE).click()
    assert spa.evaluate("window.__continued") == 2

    # Step 4: <spl-hill-form>'s open shadow root holds the contact iframe.
    contact = to_contact_step(plain)
    assert spa.evaluate(
        "document.querySelector('spl-hill-form').shadowRoot.mode === 'open' && "
        "!!document.querySelector('spl-hill-form').shadowRoot"
        ".querySelector('iframe.spl-element-frame').contentDocument.querySelector('kat-tabs')"
    )
    expect(contact.locator("kat-tabs")).to_have_attribute("selected", "Email")
    expect(contact.locator('kat-tab[tab-id="Chat"]')).to_be_hidden()
    expect(contact.locator('kat-input[type="email"][required] input')).to_have_value(
        "seller@example.com"
    )
    contact.locator('kat-input[label="Subject"] input').fill("A-to-z claim on a delivered order")
    contact.locator(SEND).click()
    expect(contact.get_by_text("Case ID: 22153077391")).to_be_visible()
    expect(contact.locator(CASE_LINK)).to_have_attribute(
        "href", "/cu/case-dashboard/view-case?caseID=22153077391"
    )
    inner = frame_at(plain, CONTACT_PATH)
    assert inner.evaluate("window.__sent") == {
        "count": 1,
        "clicks": 1,
        "email": "seller@example.com",
        "subject": "A-to-z claim on a delivered order",
        "description": "Buyer filed an A-to-z claim.",
        "tab": "Email",
        "caseId": "22153077391",
    }
    # The link opens the case page in the top document.
    contact.locator(CASE_LINK).click()
    expect(plain).to_have_url(VIEW_CASE)
    expect(plain.locator("div.view-case")).to_contain_text("ID: 22153077391")
    assert plain.ssc_errors == []


def test_send_counts_every_click_and_checks_the_email(plain):
    plain.goto(HELP_CENTER)
    hc = to_describe_step(plain)
    hc.locator(f"{DESCRIPTION} textarea").fill("Payment is on hold.")
    hc.locator(CONTINUE).click()
    contact = to_contact_step(plain)
    contact.locator('kat-input[type="email"] input').fill("")
    contact.locator(SEND).click()
    contact.locator(SEND).click()
    expect(contact.locator(".error")).to_be_visible()
    inner = frame_at(plain, CONTACT_PATH)
    assert inner.evaluate("[window.__sent.clicks, window.__sent.count]") == [2, 0]
    contact.locator('kat-input[type="email"] input').fill("me@example.org")
    contact.locator(SEND).click()
    expect(contact.locator(CASE_LINK)).to_have_count(1)
    assert inner.evaluate("[window.__sent.clicks, window.__sent.count, window.__sent.email]") == [
        3,
        1,
        "me@example.org",
    ]
    assert plain.ssc_errors == []


@pytest.mark.parametrize(
    ("agents", "message", "chats"),
    [
        ("", "An associate is available to chat.", 1),
        ("none", "No support agents are available right now", 0),
        ("closed", "Support currently unavailable", 0),
    ],
)
def test_chat_tab_and_agents_variants(plain, agents, message, chats):
    plain.goto(with_query(HELP_CENTER, f"agents={agents}"))
    hc = to_describe_step(plain)
    hc.locator(f"{DESCRIPTION} textarea").fill("Need help with my account.")
    hc.locator(CONTINUE).click()
    contact = to_contact_step(plain)
    contact.get_by_role("tab", name="Chat").click()
    expect(contact.locator("kat-tabs")).to_have_attribute("selected", "Chat")
    expect(contact.locator('kat-tab[tab-id="Email"]')).to_be_hidden()
    expect(contact.locator('kat-tab[tab-id="Chat"]')).to_contain_text(message)
    chat = contact.locator(CHAT_NOW)
    if chats:
        expect(chat).not_to_have_attribute("aria-disabled", "true")
    else:
        expect(chat.locator("button")).to_be_disabled()
    chat.click(force=True)
    assert frame_at(plain, CONTACT_PATH).evaluate("window.__chat.count") == chats
    assert plain.ssc_errors == []


def test_noupload_and_chips_variants(plain):
    plain.goto(with_query(HELP_CENTER, "noupload=1&chips=0"))
    hc = help_frame(plain)
    expect(hc.locator("kat-box.issue-card")).to_have_count(4)
    expect(hc.locator("kat-button.category-chip")).to_have_count(0)
    to_describe_step(plain)
    expect(hc.locator(CONTINUE)).to_have_count(1)
    expect(hc.locator("kat-file-upload")).to_have_count(0)
    expect(hc.locator(".category-chips")).to_have_count(0)
    assert plain.ssc_errors == []


def test_late_variant_renders_the_frame_and_every_step_late(plain):
    plain.goto(with_query(HELP_CENTER, "late=2000"), wait_until="domcontentloaded")
    # Nothing framed yet at load; the iframe and then its first step arrive later.
    assert plain.locator("iframe").count() == 0
    expect(plain.locator("main .loading")).to_be_visible()
    hc = help_frame(plain)
    hc.locator("#issueNotListedButton > kat-button").click()
    expect(hc.locator(".loading")).to_be_visible()
    expect(hc.locator(DESCRIPTION)).to_have_count(0)
    expect(hc.locator(DESCRIPTION)).to_have_count(1)
    hc.locator(f"{DESCRIPTION} textarea").fill("Inbound shipment stuck.")
    hc.locator(CONTINUE).click()
    contact = to_contact_step(plain)
    expect(contact.locator("kat-tabs")).to_have_count(1)
    assert plain.ssc_errors == []


@pytest.mark.parametrize(
    ("url", "regional"),
    [
        (HELP_CENTER_DE, "Germany"),
        (HELP_CENTER_DE.replace("amzn1.mp.o.A1PA6795UKMFR9", "A13V1IB3VIYZZH"), "France"),
        ("https://sellercentral-europe.amazon.com/help/center", "United Kingdom"),
        ("https://sellercentral.amazon.co.jp/help/center", "Japan"),
    ],
)
def test_header_shows_the_marketplace_from_mons_sel_mkid(plain, url, regional):
    plain.goto(url)
    expect(plain.locator(REGIONAL)).to_have_text(regional)
    # The query reaches both frames unchanged.
    query = url.partition("?")[2]
    expect(plain.locator(HELP_FRAME)).to_have_attribute(
        "src", "/help/center/frame" + ("?" + query if query else "")
    )
    assert plain.ssc_errors == []


def test_view_case_page(plain):
    plain.goto(VIEW_CASE)
    view = plain.locator("div.view-case")
    expect(view.locator("kat-box")).to_have_count(2)
    expect(view.locator('kat-box [data-testid="sender-label"]').first).to_have_text("Amazon")
    expect(view.locator('kat-box [data-testid="reciever"]').first).to_have_text("Example Store")
    expect(view).to_contain_text("ID: 22153077391")
    expect(view).to_contain_text("Status: Answered")
    expect(view).to_contain_text("Answered cases cannot be reopened after 5 days with no activity.")
    assert re.search(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2} PST", view.inner_text())

    view.locator('kat-button[label="Reply"]').click()
    tabs = view.locator("kat-tabs")
    expect(tabs).to_have_attribute("selected", "Email")
    view.locator('kat-tab[tab-id="Email"] kat-textarea textarea').fill("Thanks, solved.")
    view.locator('kat-tab[tab-id="Email"] kat-button[label="Send"]').click()
    plain.locator("kat-tabs [role=tab]", has_text="Chat").click()
    view.locator('kat-tab[tab-id="Chat"] kat-textarea textarea').fill("Hi")
    view.locator('kat-tab[tab-id="Chat"] kat-button[label="Send"]').click()
    assert plain.evaluate("window.__replies") == [
        {"tab": "Email", "text": "Thanks, solved."},
        {"tab": "Chat", "text": "Hi"},
    ]
    view.locator('kat-button[label="Reopen case"]').click()
    expect(view).to_contain_text("Status: Re-opened")
    assert plain.evaluate("window.__reopened") == 1

    plain.goto(VIEW_CASE.replace("22153077391", "16496946351") + "&status=Resolved")
    expect(view).to_contain_text("ID: 16496946351")
    expect(view).to_contain_text("Status: Resolved")
    assert plain.ssc_errors == []


def test_case_lobby(plain):
    plain.goto("https://sellercentral.amazon.com/cu/case-lobby")
    expect(plain.locator("td.case-id")).to_have_text("1234567891")
    expect(plain.locator("td.case-id a")).to_have_attribute(
        "href", "/cu/case-dashboard/view-case?caseID=1234567891"
    )
    expect(plain.locator(REGIONAL)).to_have_text("United States")
    assert plain.ssc_errors == []


def _anchor(rules: dict, name: str) -> dict:
    return rules["anchors"].get(name, {"selectors": [], "texts": {}})


ALL_TEXT = """() => {
    const out = [];
    const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
            if (el.shadowRoot) walk(el.shadowRoot);
            for (const node of el.childNodes)
                if (node.nodeType === Node.TEXT_NODE && !['style', 'script'].includes(el.localName))
                    out.push(node.textContent);
            for (const attr of ['label', 'placeholder', 'aria-label', 'caption', 'title'])
                if (el.getAttribute(attr)) out.push(el.getAttribute(attr));
        }
    };
    walk(document.body);
    return out.join('\\n').toLowerCase();
}"""


def test_unanchored_page_matches_no_known_anchor(plain):
    plain.goto(UNANCHORED)
    box = plain.locator("note-field input.note")
    expect(box).to_be_visible()
    rules = yaml.safe_load((REPO / "shared-rules/selectors.yaml").read_text(encoding="utf-8"))
    text = plain.evaluate(ALL_TEXT)
    for name in ("description", "submit", "continue"):
        anchor = _anchor(rules, name)
        for entry in anchor.get("selectors", []):
            # Playwright's CSS walks open shadow roots, as the extension does.
            assert plain.locator(entry["selector"]).count() == 0, (name, entry["selector"])
        for words in anchor.get("texts", {}).values():
            for word in words:
                assert word.lower() not in text, (name, word)
    # No multi-line text box either (the extension's role fallback).
    assert plain.locator("textarea, [contenteditable]").count() == 0

    box.fill("Where is my money from last week?")
    plain.locator(".pass-on").click()
    assert plain.evaluate("[window.__submits, window.__submitted]") == [
        1,
        ["Where is my money from last week?"],
    ]
    assert plain.evaluate("document.querySelector('note-field').value") == (
        "Where is my money from last week?"
    )
    assert plain.ssc_errors == []


def test_contact_frame_is_nested_as_in_the_reference(plain):
    """The contact iframe sits in <spl-hill-form>'s shadow root inside the SPA's frame, and
    shows the case id only after Send."""
    plain.goto(HELP_CENTER)
    hc = to_describe_step(plain)
    hc.locator(f"{DESCRIPTION} textarea").fill("Question about fees.")
    hc.locator(CONTINUE).click()
    to_contact_step(plain)
    expect(hc.locator(CONTACT_FRAME)).to_have_count(1)
    expect(plain.locator(CONTACT_FRAME)).to_have_count(0)  # not in the top document
    expect(contact_frame(plain).locator(CASE_LINK)).to_have_count(0)
    assert plain.ssc_errors == []


def test_chat_window_keepstep_and_spa_variants(plain):
    """Chat now opens the chat window at /hill/website/chat?caseID=; keepstep=1 keeps the
    SPA's step (not its values) over a reload; /home moves into the Help Center by
    history.pushState."""
    plain.goto(with_query(HELP_CENTER, "keepstep=1&pixel=1"))
    hc = to_describe_step(plain)
    hc.locator(f"{DESCRIPTION} textarea").fill("Need help with my account.")
    hc.locator(CONTINUE).click()
    contact = to_contact_step(plain)
    frame_at(plain, CONTACT_PATH).wait_for_load_state("load")  # its pixel arrived
    contact.get_by_role("tab", name="Chat").click()
    with plain.expect_popup() as opened:
        contact.locator(CHAT_NOW).click()
    chat = opened.value
    expect(chat).to_have_url(
        "https://sellercentral.amazon.com/hill/website/chat?caseID=22153077391"
    )
    expect(chat.locator("h1")).to_have_text("Selling Partner Support")
    assert "22153077391" not in chat.locator("body").inner_text()  # only in the URL
    chat.close()

    plain.reload()
    spa = frame_at(plain, FRAME_PATH)
    spa.wait_for_function("window.__step === 'contact'")
    assert spa.evaluate("[window.__describe, window.__continued]") == [None, 0]
    expect(contact_frame(plain).locator(SEND)).to_have_count(1)

    plain.goto("https://sellercentral.amazon.com/home")
    plain.evaluate("window.__goHelpCenter()")
    expect(plain).to_have_url(HELP_CENTER)
    to_describe_step(plain)
    assert plain.evaluate("typeof window.__goHome") == "function"  # no reload
    assert plain.ssc_errors == []

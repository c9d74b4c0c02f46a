"""A hostile or broken page cannot break our UI, and cannot read or forge our messages.

Each test stages its attack with an init script on the routed Seller Central page, so it
runs in the page's own world before the page's scripts and before our content scripts.
"""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import CONTACT_US, GET_SUPPORT
from .helpers import HINT, OVERLAY, PRECHECK, SUBMIT_ANYWAY, backend_json, badge, wait_submits
from .test_case_log import wait_for_cases
from .test_get_support_helphub import LISTING_TEXT

# The page replaces the built-ins our code would use if it ran in the page's world. Every
# replacement records who called it (the stack names chrome-extension:// for our code).
HIJACK_BUILTINS = """
(() => {
  const h = (window.__hostile = { calls: [], pageSubmitClicks: 0 });
  const record = (name) => h.calls.push({ name, stack: String(new Error().stack) });
  const realAttach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    record("attachShadow");
    // KAT components are the page's own: they still work. Anything else is refused.
    if (/^kat-/.test(this.localName)) return realAttach.call(this, init);
    throw new Error("hostile attachShadow");
  };
  window.fetch = function () {
    record("fetch");
    return Promise.reject(new TypeError("hostile fetch"));
  };
  window.fetch.hostile = true;
  JSON.parse = function () {
    record("JSON.parse");
    return { ok: true, data: { findings: [] }, hijacked: true };
  };
  JSON.stringify = function () {
    record("JSON.stringify");
    return '"hijacked"';
  };
  // (Playwright's own helpers in the page's world need these two: recorded, not broken.)
  const RealMO = window.MutationObserver;
  window.MutationObserver = function (cb) {
    record("MutationObserver");
    return new RealMO(cb);
  };
  const realQS = Document.prototype.querySelector;
  Document.prototype.querySelector = function (s) {
    record("querySelector");
    return realQS.call(this, s);
  };
  const realGCS = window.getComputedStyle;
  window.getComputedStyle = function (el, pseudo) {
    record("getComputedStyle");
    return realGCS.call(window, el, pseudo);
  };
  Object.defineProperty(Object.prototype, "ok", {
    get() { record("Object.prototype.ok"); return true; },
    configurable: true,
  });
  // The page's own script keeps working next to ours.
  window.addEventListener("click", (e) => {
    if (e.target && e.target.type === "submit") h.pageSubmitClicks += 1;
  });
})();
"""

# Style attacks on everything, and on our host in particular. The page's own form is spared
# so the seller (and this test) can still type and submit.
CSS_ATTACK = """
(() => {
  const css = `
    *:not(html):not(body):not(head):not(form):not(form *) {
      display: none !important; visibility: hidden !important; opacity: 0 !important;
    }
    div, [data-ssc], [data-ssc] *, body > div:last-child, body > :last-child {
      all: unset !important; display: none !important; visibility: hidden !important;
      opacity: 0 !important; pointer-events: none !important;
    }
    [data-ssc="overlay"] {
      position: absolute !important; left: -99999px !important; width: 0 !important;
      height: 0 !important; overflow: hidden !important; transform: scale(0) !important;
      filter: opacity(0) !important; clip-path: inset(50%) !important; contain: strict !important;
      z-index: -1 !important;
    }
    [data-ssc]::part(panel), ::part(panel) { display: none !important; }
    [data-ssc-hint], [data-ssc-channel], [data-ssc="precheck"] { display: none !important; }
  `;
  const add = () => {
    const style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);
    // A script that restyles our host (and keeps doing it) once it shows up.
    const hit = () => {
      const host = document.querySelector("[data-ssc]");
      if (host && !host.dataset.hostileStyled) {
        host.dataset.hostileStyled = "1";
        host.setAttribute("style", "display:none !important; visibility:hidden !important");
      }
    };
    new MutationObserver(hit).observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.head) add();
  else document.addEventListener("DOMContentLoaded", add);
})();
"""

FAKE_TEXT = "FAKE from the page: my listing was removed, please help"

# Messages and events shaped like ours, from the page.
FORGE_MESSAGES = """
(fake) => {
  const shapes = [
    { type: "ssc:caseRecord", text: fake, category: "other", marketplace: "US",
      contact_method: "case" },
    { type: "ssc:precheck", text: fake, marketplace: "US", category: null,
      contact_method: "case", attachments: [] },
    { type: "ssc:caseIdSeen", case_id: "12345678901" },
    { type: "ssc:testConnection", url: "https://evil.example" },
    { ok: true, data: { findings: [{ code: "missing_asin", severity: "error",
      message: { en: fake, zh: fake } }] } },
    { source: "ssc", event: "submitted", detail: { text: fake } },
  ];
  for (const m of shapes) {
    window.postMessage(m, "*");
    window.postMessage(JSON.stringify(m), "*");
    window.top.postMessage(m, location.origin);
  }
  for (const name of ["ssc:submitted", "submitted", "ssc:precheck", "ssc:caseRecord", "ssc",
                      "ssc:selectors", "backend-online", "marketplace"]) {
    const detail = { text: fake, category: "other", marketplace: "US", contact_method: "case" };
    window.dispatchEvent(new CustomEvent(name, { detail }));
    document.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
    const host = document.querySelector('[data-ssc="overlay"]');
    if (host) host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
  // A click on our "Submit anyway" forged from the page (no panel is open).
  const root = document.querySelector('[data-ssc="overlay"]').shadowRoot;
  const btn = root.querySelector('[data-ssc-action="submit-anyway"]');
  if (btn) btn.click();
  // The extension is not reachable from the page's world at all.
  let direct = "no chrome.runtime";
  try {
    if (window.chrome && chrome.runtime && chrome.runtime.sendMessage) {
      chrome.runtime.sendMessage(shapes[0]);
      direct = "sent";
    }
  } catch (e) {
    direct = "refused: " + e.message;
  }
  return direct;
}
"""

SPY_ON = """() => {
  self.__sscSeen = [];
  self.__sscSpy = (m) => { self.__sscSeen.push(JSON.stringify(m)); };
  chrome.runtime.onMessage.addListener(self.__sscSpy);
}"""
SPY_OFF = """() => {
  chrome.runtime.onMessage.removeListener(self.__sscSpy);
  return self.__sscSeen;
}"""


def ours(calls: list[dict]) -> list[dict]:
    return [c for c in calls if "chrome-extension://" in c["stack"]]


def test_page_that_replaces_builtins_cannot_touch_our_code(page, ext):
    page.add_init_script(HIJACK_BUILTINS)
    page.goto(GET_SUPPORT)
    # The overlay still mounts (attachShadow), finds the form and shows live badges.
    expect(page.locator(f"{OVERLAY} [data-ssc-badges='US'][data-ssc-source='live']")).to_have_count(
        1
    )
    for channel in ("phone", "chat", "case"):
        expect(badge(page, channel)).to_be_visible()
    # Hints (classify through the service worker; the page's fetch and JSON are not ours).
    page.locator("#issue-details").fill(LISTING_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    # Precheck holds the submit with real findings, then "Submit anyway" lets it through once.
    page.get_by_role("button", name="Submit").click()
    panel = page.locator(PRECHECK)
    expect(panel).to_be_visible()
    expect(panel.locator('[data-ssc-finding="missing_asin"]')).to_have_count(1)
    panel.locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    # Our code never called one of the page's replacements ...
    calls = page.evaluate("window.__hostile.calls")
    assert ours(calls) == [], ours(calls)
    # ... and the page's own code still has them, and still runs.
    assert page.evaluate("window.fetch.hostile === true && JSON.stringify({}) === '\"hijacked\"'")
    assert page.evaluate("window.__hostile.pageSubmitClicks") >= 1
    assert page.evaluate("window.__submitted") == [LISTING_TEXT]
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_page_that_replaces_builtins_on_kat_page(page, ext):
    """The KAT page's own components go through the page's (hijacked) attachShadow; ours not."""
    page.add_init_script(HIJACK_BUILTINS)
    page.goto(CONTACT_US)
    page.locator("kat-textarea textarea").fill("我的商品listing被下架了，请帮忙恢复")
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.locator("kat-button").click()
    expect(page.locator(PRECHECK)).to_be_visible()
    page.locator(PRECHECK).locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    calls = page.evaluate("window.__hostile.calls")
    assert any(c["name"] == "attachShadow" for c in calls)  # the page's own KAT components
    assert ours(calls) == [], ours(calls)
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_css_that_targets_everything_cannot_hide_our_overlay(page, ext, artifacts_dir):
    page.add_init_script(CSS_ATTACK)
    page.goto(GET_SUPPORT)
    host = page.locator(OVERLAY)
    expect(host).to_have_count(1)
    assert page.evaluate("document.querySelector('[data-ssc]').dataset.hostileStyled") == "1"
    # The page hid everything of its own except the form; our panel and badges still show.
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).display") == "none"
    expect(host.locator(".panel")).to_be_visible()
    for channel in ("phone", "chat", "case"):
        expect(badge(page, channel)).to_be_visible()
    box = host.locator(".panel").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50, box
    # The panel is really on top: a click at its centre lands on our host.
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y) === document.querySelector('[data-ssc]')",
        [box["x"] + box["width"] / 2, box["y"] + 20],
    )
    assert hit
    # The hint shows and is clickable; the precheck panel shows and is usable.
    page.locator("#issue-details").fill(LISTING_TEXT)
    expect(page.locator(HINT)).to_be_visible()
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.get_by_role("button", name="Submit").click()
    panel = page.locator(PRECHECK)
    expect(panel).to_be_visible()
    expect(panel.locator('[data-ssc-finding="missing_asin"]')).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "hostile-css.png"))
    panel.locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    expect(panel).to_have_count(0)
    # The collapse button in the header still works.
    host.locator('[data-ssc-action="collapse"]').click()
    expect(host.locator("[data-ssc-section='badges']")).to_be_hidden()
    host.locator('[data-ssc-action="collapse"]').click()
    expect(badge(page, "phone")).to_be_visible()
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_css_hiding_every_element_but_the_document(page, ext):
    """`* { display:none !important }` everywhere but <html> and <body>: the page is blank,
    our badges are not."""
    page.add_init_script(
        """document.addEventListener("DOMContentLoaded", () => {
            const s = document.createElement("style");
            s.textContent = "*:not(html):not(body) { display: none !important; all: unset; }";
            document.head.appendChild(s);
        });"""
    )
    page.goto(GET_SUPPORT)
    for channel in ("phone", "chat", "case"):
        expect(badge(page, channel)).to_be_visible()
    assert page.evaluate("getComputedStyle(document.forms[0]).display") == "none"
    assert page.ssc_errors == []


def test_forged_messages_and_events_do_nothing(page, ext, case_log):
    ext.set_settings(recordCases=True)
    ext.worker.evaluate(SPY_ON)
    try:
        page.goto(GET_SUPPORT)
        expect(page.locator(f"{OVERLAY} [data-ssc-hints-state='empty']")).to_be_visible()
        page.evaluate(
            "() => { window.__pageMessages = 0;"
            " window.addEventListener('message', () => { window.__pageMessages += 1; }); }"
        )
        direct = page.evaluate(FORGE_MESSAGES, FAKE_TEXT)
        assert direct != "sent"
        # The page's own message listener got them all; nothing else happened.
        page.wait_for_function("window.__pageMessages >= 18")
        page.wait_for_timeout(600)
        expect(page.locator(PRECHECK)).to_have_count(0)
        expect(page.locator(HINT)).to_have_count(0)
        assert page.evaluate("window.__submits") == 0
        seen = ext.worker.evaluate(SPY_OFF)
    finally:
        ext.worker.evaluate(
            "() => self.__sscSpy && chrome.runtime.onMessage.removeListener(self.__sscSpy)"
        )
    assert [m for m in seen if "FAKE" in m or "evil" in m or "12345678901" in m] == []
    assert backend_json(case_log, "/api/v1/cases")["total"] == 0
    # The real thing still works after the noise: the page's submit is recorded once.
    page.locator("#issue-details").fill(LISTING_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.get_by_role("button", name="Submit").click()
    page.locator(PRECHECK).locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    [case] = wait_for_cases(case_log, 1)
    assert case["text"] == LISTING_TEXT
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []

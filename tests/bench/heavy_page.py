"""A heavy Seller Central page for the heavy-page benchmark (tests/bench/heavy.py).

Served by the bench's own route on real support-page URLs (so the extension's real
match patterns and support-page list apply):

- ``/help/hub/support?bench=heavy&n=N``: N ordinary elements in the body (header, nav,
  tables, cards, nested divs, as a Seller Central SPA), 160 KAT-like hosts whose open shadow
  roots hold 1,250 elements in all, and a same-origin iframe with the case form: a
  ``kat-textarea.meld-text-area`` (its native textarea in an open shadow root) and a
  ``kat-button#meld-default-continue`` labelled "Continue";
- ``/cu/case-lobby?bench=heavy&n=N``: the same page without the iframe, so without any form;
- ``/help/center/frame?bench=heavy-frame``: the iframe's document;
- ``/mock-assets/kat-mock.js?bench=heavy``: the shared KAT stand-ins
  (tests/e2e/mock_pages/kat-mock.js), read from disk.

A page script in the page's own world changes the DOM RATE times a second from a
fixed-rate scheduler and counts the changes it achieved: a change more than 20 ms past its
due time (a frame at 60 Hz) is dropped, as a busy SPA drops frames, so a main thread kept
busy by someone else shows as a lower rate. The mix: counter text (half as a new text node,
half in place), class and attribute toggles, rows of spans added and removed, and 3 in 20
changes inside the shadow roots. Blocks are `contain: content` and the off-screen ones
`content-visibility: auto`: without that the 20,000-element page cannot keep up with its
own changes even without any extension. ``window.__heavy`` holds the counts, the long
tasks seen (PerformanceObserver) and the keystroke time in the frame;
``__heavy.arm(selector, notBefore, waitMs)`` waits for a new hint in the overlay.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

KAT_MOCK = Path(__file__).resolve().parents[1] / "e2e" / "mock_pages" / "kat-mock.js"

ORIGIN = "https://sellercentral.amazon.com"
FORM_PATH = "/help/hub/support"
NO_FORM_PATH = "/cu/case-lobby"
FRAME_PATH = "/help/center/frame"  # where the Help Center case form lives
KAT_MOCK_PATH = "/mock-assets/kat-mock.js"
FRAME_ID = "case-frame"
TEXTAREA = "kat-textarea.meld-text-area textarea"
CONTINUE = "kat-button#meld-default-continue"

RATE = 200  # DOM changes per second
HOSTS = 160  # KAT-like hosts with an open shadow root
SHADOW_ELEMENTS = 1250  # elements inside those shadow roots, in all
# Host tags, all defined by kat-mock.js (a bare stand-in is defined for any it lacks).
# Labels are neutral: no host may look like a submit button or a description box.
HOST_TAGS = ("kat-button", "kat-link", "kat-label", "kat-box", "kat-expander")
HOST_LABELS = ("Filter", "Export", "Refresh", "Open", "Next page", "Sort", "Columns", "Print")


def url(n: int, form: bool) -> str:
    return f"{ORIGIN}{FORM_PATH if form else NO_FORM_PATH}?bench=heavy&n={n}"


def frame_url() -> str:
    return f"{ORIGIN}{FRAME_PATH}?bench=heavy-frame"


def kat_mock_ready() -> bool:
    return KAT_MOCK.is_file()


def kat_mock() -> str:
    if not KAT_MOCK.is_file():
        raise RuntimeError(f"{KAT_MOCK} is missing: the heavy page needs the shared KAT mock")
    return KAT_MOCK.read_text(encoding="utf-8")


class _Body:
    """HTML text plus how many elements it has opened."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.count = 0

    def open(self, tag: str, attrs: str = "") -> None:
        self.parts.append(f"<{tag}{attrs}>")
        self.count += 1

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def leaf(self, tag: str, text: str = "", attrs: str = "") -> None:
        self.open(tag, attrs)
        self.parts.append(text)
        self.close(tag)


TABLE_ROWS = 12


def _table(b: _Body, rng: random.Random, host) -> None:
    b.open("section", ' class="sc-table-block"')
    b.leaf("h3", f"Orders {rng.randint(100, 999)}")
    b.open("table", ' class="sc-table"')
    b.open("tbody")
    b.open("tr", ' class="sc-head"')
    b.close("tr")
    for _ in range(TABLE_ROWS):
        b.open("tr", ' class="sc-row"')
        b.open("td")
        b.leaf("a", f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}", ' href="#o"')
        b.close("td")
        b.open("td")
        b.leaf("span", str(rng.randint(1, 99)), " data-c")
        b.close("td")
        b.open("td")
        b.leaf("span", rng.choice(("Shipped", "Pending", "Unshipped")), " data-t")
        b.close("td")
        b.open("td")
        host(b)
        b.close("td")
        b.close("tr")
    b.close("tbody")
    b.close("table")
    b.close("section")


def _card(b: _Body, rng: random.Random, host) -> None:
    b.open("div", ' class="sc-card"')
    b.open("div", ' class="sc-card-head"')
    b.leaf("span", f"Listing {rng.randint(1, 9999)}", " data-t")
    b.leaf("a", "Edit", ' href="#e"')
    b.close("div")
    b.open("div", ' class="sc-card-body"')
    b.leaf("p", "Inventory health")
    b.open("ul")
    b.leaf("li", str(rng.randint(0, 500)), " data-c")
    b.leaf("li", str(rng.randint(0, 500)), " data-cd")
    b.close("ul")
    host(b)
    b.close("div")
    b.close("div")


def _nested(b: _Body, rng: random.Random, depth: int) -> None:
    b.open("div", f' class="sc-n{depth}"')
    if depth:
        _nested(b, rng, depth - 1)
    b.leaf("span", rng.choice(("ok", "new", "1", "2")), " data-cd" if depth == 3 else "")
    b.close("div")


def _counted(fn, *args) -> int:
    probe = _Body()
    fn(probe, *args)
    return probe.count


# The page script at the end of the body (see the module docstring).
PAGE_SCRIPT = r"""
(() => {
  const H = window.__heavy;
  const RATE = __RATE__, SLOT = 1000 / RATE, SHADOW_TOTAL = __SHADOW__;
  const TAGS = __TAGS__, LABELS = __LABELS__;
  for (const tag of TAGS) {
    if (!customElements.get(tag)) {
      customElements.define(tag, class extends HTMLElement {
        constructor() {
          super();
          const s = document.createElement("slot");
          this.attachShadow({ mode: "open" }).append(s);
        }
      });
    }
  }
  const hosts = [...document.querySelectorAll("[data-bench-host]")];
  const deepCount = (root) => {
    let c = 0;
    for (const el of root.querySelectorAll("*")) {
      c += 1;
      if (el.shadowRoot) c += deepCount(el.shadowRoot);
    }
    return c;
  };
  for (const h of hosts) if (!h.shadowRoot) h.attachShadow({ mode: "open" });
  let remaining = SHADOW_TOTAL - hosts.reduce((a, h) => a + deepCount(h.shadowRoot), 0);
  const shadow = { counters: [], toggles: [], lists: [] };
  hosts.forEach((h, i) => {
    let k = Math.floor(remaining / (hosts.length - i));
    remaining -= k;
    if (k <= 0) return;
    const box = document.createElement("div");
    box.className = "kat-inner";
    k -= 1;
    // A counter, a list for rows (every fourth host), a toggle, a link, then spans.
    const kinds = ["c", i % 4 === 0 ? "live" : "t", "t", "a"];
    for (let j = 0; k > 0; j++, k--) {
      const kind = kinds[j] || "span";
      let el;
      if (kind === "live") {
        el = document.createElement("div");
        shadow.lists.push(el);
      } else if (kind === "a") {
        el = document.createElement("a");
        el.href = "#k";
        el.textContent = LABELS[(i + j) % LABELS.length];
      } else {
        el = document.createElement("span");
        el.textContent = String(i + j);
        if (kind === "c") shadow.counters.push(el);
        else if (kind === "t") shadow.toggles.push(el);
      }
      box.append(el);
    }
    h.shadowRoot.append(box);
  });
  let roots = 0;
  const countRoots = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) {
        roots += 1;
        countRoots(el.shadowRoot);
      }
    }
  };
  countRoots(document);
  H.counts = {
    body_elements: document.body.querySelectorAll("*").length,
    hosts: hosts.length,
    shadow_roots: roots,
    shadow_elements: hosts.reduce((a, h) => a + deepCount(h.shadowRoot), 0),
    iframes: document.querySelectorAll("iframe").length,
  };

  const light = {
    counters: [...document.querySelectorAll("[data-c]")],
    inPlace: [...document.querySelectorAll("[data-cd]")],
    toggles: [...document.querySelectorAll("[data-t]")],
    lists: [...document.querySelectorAll("[data-live]")],
  };
  const pick = (list, j) => list[j % list.length];
  const row = (slot) => {
    const r = document.createElement("div");
    r.className = "live-row";
    for (let i = 0; i < 4; i++) {
      const s = document.createElement("span");
      s.textContent = String(slot + i);
      r.append(s);
    }
    return r;
  };
  const addRemove = (list, slot) => {
    list.append(row(slot));
    if (list.childElementCount > 4) list.firstElementChild.remove();
  };
  const toggle = (el, slot) => {
    el.classList.toggle("is-active");
    el.setAttribute("aria-expanded", slot % 2 ? "true" : "false");
  };
  // One change per slot; the mix per 20 slots: 4 counters as new text nodes, 4 in place,
  // 5 toggles, 4 row changes in the light DOM, 3 changes inside shadow roots.
  function change(slot) {
    const m = slot % 20, j = (slot / 20) | 0;
    if (m < 4) pick(light.counters, j * 4 + m).textContent = String(slot);
    else if (m < 8) pick(light.inPlace, j * 4 + m).firstChild.data = String(slot);
    else if (m < 13) toggle(pick(light.toggles, j * 5 + m), slot);
    else if (m < 17) addRemove(pick(light.lists, j * 4 + m), slot);
    else if (m === 17) pick(shadow.counters, j).textContent = String(slot);
    else if (m === 18) addRemove(pick(shadow.lists, j), slot);
    else toggle(pick(shadow.toggles, j), slot);
  }
  // A change more than LATE ms past its due time (more than a frame at 60 Hz) is lost:
  // the main thread was busy. Timer jitter below that costs nothing.
  const LATE = 20;
  const t0 = performance.now();
  let next = 0;
  H.t0 = t0;
  H.done = 0;
  H.lost = 0;
  H.errors = [];
  for (const [name, list] of Object.entries({ ...light, ...shadow })) {
    if (!list.length) H.errors.push("nothing to change: " + name);
  }
  H.stats = () => ({ now: performance.now(), done: H.done, lost: H.lost });
  function tick() {
    const now = performance.now();
    for (const due = Math.floor((now - t0) / SLOT); next <= due; next++) {
      if (t0 + next * SLOT + LATE < now) {
        H.lost += 1;
        continue;
      }
      try {
        change(next);
      } catch (err) {
        H.errors.push(String(err));
      }
      H.done += 1;
    }
    setTimeout(tick, Math.max(0, Math.ceil(t0 + next * SLOT - performance.now())));
  }
  setTimeout(tick, 0);
  H.ready = true;
})();
"""

# First thing in <head>: long tasks, the frame's keystroke time, and the hint probe.
HEAD_SCRIPT = r"""
(() => {
  const H = (window.__heavy = { ready: false, longtasks: [], lastInputAbs: 0 });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) H.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (err) { H.longtaskError = String(err); }
  H.abs = () => performance.timeOrigin + performance.now();
  H.longtasksBetween = (a, b) => H.longtasks.filter(([s]) => s >= a && s < b).length;
  // Resolves with the absolute time a new `selector` in the overlay was painted (the first
  // task after the next frame), no earlier than `notBefore` ms after the last keystroke;
  // null without an overlay or after `waitMs`.
  H.arm = (selector, notBefore, waitMs) => {
    const host = document.querySelector('[data-ssc="overlay"]');
    const root = host && host.shadowRoot;
    if (!root) { H.done_ = Promise.resolve(null); return false; }
    const before = root.querySelector(selector);
    H.done_ = new Promise((resolve) => {
      const timer = setTimeout(() => { mo.disconnect(); resolve(null); }, waitMs);
      const mo = new MutationObserver(() => {
        const now = root.querySelector(selector);
        if (!now || now === before || H.abs() - H.lastInputAbs < notBefore) return;
        mo.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(() => setTimeout(() => resolve(H.abs()), 0));
      });
      mo.observe(root, { childList: true, subtree: true, attributes: true });
    });
    return true;
  };
})();
"""

STYLE = """
body { margin: 0; font: 13px sans-serif; }
#sc-header { background: #232f3e; color: #fff; padding: 6px; }
#sc-header a { color: #fff; margin-right: 8px; }
#sc-layout { display: flex; }
#sc-nav { width: 200px; flex: none; }
#sc-main { flex: 1; min-width: 0; }
.sc-card { display: inline-block; width: 220px; margin: 4px; border: 1px solid #ccc; }
.sc-table td { padding: 2px 6px; }
.is-active { font-weight: bold; }
#case-frame { width: 720px; height: 320px; border: 1px solid #999; }
/* Contained, and off-screen blocks not rendered: without it the 20,000-element page
   alone loses a third of its own changes. */
.sc-table-block, .sc-cards, .sc-n3, #live > div, .sc-pad { contain: content; }
.sc-table-block, .sc-cards { content-visibility: auto; contain-intrinsic-size: auto 300px; }
"""


@cache
def page_html(n: int, form: bool) -> str:
    """The top document: exactly `n` elements in the body (before the script runs)."""
    rng = random.Random(n * 2 + form)
    b = _Body()
    hosts_left = [HOSTS]
    every = max(1, n // HOSTS)
    next_host = [every // 2]

    def host(body: _Body) -> None:
        if hosts_left[0] and body.count >= next_host[0]:
            tag = HOST_TAGS[hosts_left[0] % len(HOST_TAGS)]
            label = HOST_LABELS[hosts_left[0] % len(HOST_LABELS)]
            body.leaf(tag, "", f' data-bench-host label="{label}" text="{label}"')
            hosts_left[0] -= 1
            next_host[0] += every
        else:
            body.leaf("span", str(rng.randint(1, 9)))

    b.open("header", ' id="sc-header"')
    b.open("nav")
    for name in ("Catalog", "Inventory", "Pricing", "Orders", "Advertising", "Reports"):
        b.leaf("a", name, ' href="#n"')
    b.close("nav")
    b.leaf("span", "United States", ' id="partner-switcher"')
    b.close("header")
    b.open("div", ' id="sc-layout"')
    b.open("aside", ' id="sc-nav"')
    b.open("ul")
    for i in range(20):
        b.open("li")
        b.leaf("a", f"Menu {i}", ' href="#m"')
        b.close("li")
    b.close("ul")
    b.close("aside")
    b.open("main", ' id="sc-main"')
    if form:
        b.open("section", ' id="case-section"')
        b.leaf("h2", "Get support")
        b.leaf("iframe", "", f' id="{FRAME_ID}" src="{FRAME_PATH}?bench=heavy-frame"')
        b.close("section")
    b.open("div", ' id="live"')
    for _ in range(10):
        b.leaf("div", "", " data-live")
    b.close("div")
    script_elements = 1
    budget = n - script_elements
    table, card, nested = (
        _counted(_table, random.Random(0), lambda x: x.leaf("span")),
        _counted(_card, random.Random(0), lambda x: x.leaf("span")),
        _counted(_nested, random.Random(0), 3),
    )
    # Blocks in turn until the next would overshoot; then spans up to `n` exactly.
    kinds = [("table", table), ("cards", 1 + card * 6), ("nested", nested * 8)]
    i = 0
    while True:
        kind, size = kinds[i % len(kinds)]
        if b.count + size + 1 > budget:
            break
        if kind == "table":
            _table(b, rng, host)
        elif kind == "cards":
            b.open("div", ' class="sc-cards"')
            for _ in range(6):
                _card(b, rng, host)
            b.close("div")
        else:
            for _ in range(8):
                _nested(b, rng, 3)
        i += 1
    b.open("div", ' class="sc-pad"')
    while hosts_left[0]:
        next_host[0] = 0
        host(b)
    while b.count < budget:
        b.leaf("span", ".")
    b.close("div")
    b.close("main")
    b.close("div")
    if b.count != budget:
        raise AssertionError(f"generator miscounted: {b.count} != {budget}")
    script = (
        PAGE_SCRIPT.replace("__RATE__", str(RATE))
        .replace("__SHADOW__", str(SHADOW_ELEMENTS))
        .replace("__TAGS__", repr(list(HOST_TAGS)).replace("'", '"'))
        .replace("__LABELS__", repr(list(HOST_LABELS)).replace("'", '"'))
    )
    title = "Get support" if form else "Case log"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} - Seller Central (heavy bench)</title>"
        f"<script>{HEAD_SCRIPT}</script>"
        f'<script src="{KAT_MOCK_PATH}?bench=heavy"></script>'
        f"<style>{STYLE}</style></head>\n<body>"
        + "".join(b.parts)
        + f"<script>{script}</script></body></html>\n"
    )


FRAME_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contact us</title>
<script>
  // Registered before any content script: the keystroke's time, on the top's clock base.
  document.addEventListener("input", (e) => {{
    try {{ top.__heavy.lastInputAbs = performance.timeOrigin + e.timeStamp; }} catch (err) {{}}
  }}, true);
  window.__submits = 0;
</script>
<script src="{KAT_MOCK_PATH}?bench=heavy"></script>
<style>body {{ margin: 8px; font: 13px sans-serif; }}</style>
</head><body>
<div class="meld-form">
  <h3>Contact us</h3>
  <div class="meld-field">
    <kat-textarea class="meld-text-area" rows="6"></kat-textarea>
  </div>
  <div class="meld-actions">
    <kat-button label="Continue" id="meld-default-continue"></kat-button>
  </div>
</div>
<script>
  document.getElementById("meld-default-continue")
    .addEventListener("click", () => {{ window.__submits += 1; }});
</script>
</body></html>
"""


def is_bench_url(address: str) -> bool:
    return "bench=heavy" in address


def serve(route) -> None:
    """Playwright route handler for every bench URL above."""
    address = route.request.url
    path = re.sub(r"^https://[^/]+", "", address).split("?")[0]
    query = address.split("?", 1)[1] if "?" in address else ""
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    if path == KAT_MOCK_PATH:
        route.fulfill(status=200, content_type="text/javascript", body=kat_mock())
    elif params.get("bench") == "heavy-frame":
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=FRAME_HTML)
    elif params.get("bench") == "heavy" and path in (FORM_PATH, NO_FORM_PATH):
        body = page_html(int(params.get("n", "5000")), path == FORM_PATH)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
    else:
        route.fulfill(status=404, content_type="text/plain", body="not a bench page")

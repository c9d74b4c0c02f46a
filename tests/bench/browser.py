"""In the browser: the extension in headless Chromium on the mock KAT "Contact us" page
(tests/e2e), against the real backend.

- keystroke -> hint painted, minus the extension's own debounce (read from its source);
- submit click -> pre-submit panel painted;
- page overhead: load + form render with the extension / without it (a second browser
  with the same flags and mock pages, but no extension), loads alternating between them;
  a third browser has an extension whose content script does nothing, which shows what
  injecting any content script costs the page's load event;
- long tasks (PerformanceObserver 'longtask') from navigation until the overlay's badges
  are shown, and the main thread's script time (CDP Performance.getMetrics).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.conftest import (
    CHROMIUM,
    CONTACT_US,
    EXTENSION_DIR,
    TEST_SETTINGS,
    Extension,
    launch_context,
    ready_service_worker,
)
from tests.e2e.helpers import HINT, OVERLAY, PRECHECK

from . import corpus
from .stats import percentile, summary

HINTS_JS = EXTENSION_DIR / "content" / "features" / "category-hints.js"
TEXTAREA = "kat-textarea textarea"
SUBMIT = "kat-button"
FIX = '[data-ssc-action="fix"]'
WAIT_MS = 10_000


def debounce_ms() -> int:
    """The hint debounce, as the extension defines it."""
    found = re.search(r"\bDEBOUNCE_MS\s*=\s*(\d+)", HINTS_JS.read_text(encoding="utf-8"))
    if not found:
        raise RuntimeError(f"no DEBOUNCE_MS in {HINTS_JS}")
    return int(found.group(1))


# Runs in the page's own world before its scripts. "Painted" = the first task after the
# next animation frame, i.e. after the browser rendered the change.
PROBE = """
(() => {
  const b = (window.__bench = {
    longtasks: [], lastInput: 0, click: 0, formAt: null, formPainted: null,
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        b.longtasks.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (err) { b.longtaskError = String(err); }
  const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn, 0));
  b.afterPaint = afterPaint;
  const form = new MutationObserver(() => {
    if (b.overlayAt === undefined && document.querySelector('[data-ssc="overlay"]')) {
      b.overlayAt = performance.now();
    }
    if (b.formAt === null && document.getElementById("cu-form")) {
      b.formAt = performance.now();
      afterPaint(() => { b.formPainted = performance.now(); });
    }
  });
  form.observe(document, { childList: true, subtree: true });
  // Registered before any content script: sees every keystroke and click first.
  document.addEventListener("input", (e) => { b.lastInput = e.timeStamp; }, true);
  window.addEventListener("click", (e) => { b.click = e.timeStamp; }, true);
  // Resolve when a new element matching `selector` appears in the overlay's shadow root
  // (no earlier than `notBefore` ms after the last input), with the time it was painted.
  b.arm = (selector, notBefore) => {
    const root = document.querySelector('[data-ssc="overlay"]').shadowRoot;
    const before = root.querySelector(selector);
    b.done = new Promise((resolve) => {
      const timer = setTimeout(() => { mo.disconnect(); resolve(null); }, WAIT_MS);
      const mo = new MutationObserver(() => {
        const now = root.querySelector(selector);
        if (!now || now === before || performance.now() - b.lastInput < notBefore) return;
        mo.disconnect();
        clearTimeout(timer);
        afterPaint(() => resolve(performance.now()));
      });
      mo.observe(root, { childList: true, subtree: true });
    });
  };
})();
""".replace("WAIT_MS", str(WAIT_MS))


def _open(page, with_extension: bool) -> None:
    page.goto(CONTACT_US)
    page.wait_for_function("() => window.__bench.formPainted !== null", timeout=WAIT_MS)
    if with_extension:
        page.locator(f"{OVERLAY} [data-ssc-channel]").first.wait_for(timeout=WAIT_MS)


def noop_extension(folder: Path) -> Path:
    """An extension injecting a content script that does nothing, into the same pages and
    at the same time (document_idle) as ours."""
    ours = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "noop.js").write_text("void 0;\n", encoding="utf-8")
    manifest = {
        "manifest_version": 3,
        "name": "no-op content script",
        "version": "1.0",
        "content_scripts": [
            {**ours["content_scripts"][0], "js": ["noop.js"]},
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def _new_page(context):
    page = context.new_page()
    page.add_init_script(PROBE)
    return page


def _overlapping(longtasks: list[dict], start: float, end: float) -> int:
    return sum(1 for t in longtasks if t["start"] < end and t["start"] + t["duration"] > start)


def _content_script_window(got: dict) -> float:
    """How long after DOMContentLoaded the extension had loaded: content scripts run at
    document_idle (after DOMContentLoaded) and mount the overlay once booted (+50 ms)."""
    return got["overlay"] - got["dcl"] + 50


def page_overhead(contexts: dict, loads: int, settle_ms: int) -> dict:
    """Loads in each browser of `contexts` in turn (the order reversed every other round),
    each in a fresh tab. "with" is ours, "without" has no extension."""
    samples = {
        name: {
            "form_ms": [],
            "load_ms": [],
            "script_ms": [],
            "longtasks": [],
            "at_load": [],
            "detail": [],
        }
        for name in contexts
    }
    order = list(contexts)
    for i in range(loads):
        for name in order if i % 2 == 0 else order[::-1]:
            page = _new_page(contexts[name])
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            _open(page, with_extension=(name == "with"))
            page.wait_for_timeout(settle_ms)
            got = page.evaluate(
                """() => {
                    const nav = performance.getEntriesByType('navigation')[0];
                    return {
                        form: window.__bench.formPainted,
                        load: nav.loadEventEnd,
                        dcl: nav.domContentLoadedEventStart,
                        overlay: window.__bench.overlayAt ?? null,
                        longtasks: window.__bench.longtasks,
                        longtaskError: window.__bench.longtaskError || null,
                    };
                }"""
            )
            if got["longtaskError"]:
                raise RuntimeError(f"long-task observer unavailable: {got['longtaskError']}")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            s = samples[name]
            s["form_ms"].append(got["form"])
            s["load_ms"].append(got["load"])
            s["longtasks"].append(len(got["longtasks"]))
            s["detail"].append({k: got[k] for k in ("dcl", "overlay", "longtasks")})
            s["script_ms"].append(metrics.get("ScriptDuration", 0.0) * 1000)
            cdp.detach()
            page.close()
    # Long tasks at content-script load; for the pages without the extension, the same
    # window after DOMContentLoaded (the typical one of the pages with it) as a baseline.
    windows = [_content_script_window(d) for d in samples["with"]["detail"]]
    typical = percentile(windows, 50)
    for name, s in samples.items():
        for d, window in zip(
            s["detail"], windows if name == "with" else [typical] * loads, strict=True
        ):
            s["at_load"].append(_overlapping(d["longtasks"], d["dcl"], d["dcl"] + window))
    out = {}
    for name, s in samples.items():
        out[name] = {
            "form_rendered_ms": summary(s["form_ms"], 1),
            "load_event_ms": summary(s["load_ms"], 1),
            "script_ms": summary(s["script_ms"], 1),
            "longtasks_total": sum(s["longtasks"]),
            "longtasks_at_content_script_load": sum(s["at_load"]),
            "longtask_detail": s["detail"],
        }

    def ratio(measure: str, a: str, b: str) -> float:
        return round(out[a][measure]["p50"] / out[b][measure]["p50"], 3)

    return {
        "loads_each": loads,
        **out,
        "form_rendered_ratio": ratio("form_rendered_ms", "with", "without"),
        "load_event_ratio": ratio("load_event_ms", "with", "without"),
        "load_event_ratio_noop": ratio("load_event_ms", "noop", "without"),
        "load_event_ratio_to_noop": ratio("load_event_ms", "with", "noop"),
        "extension_script_ms_p50": round(
            out["with"]["script_ms"]["p50"] - out["without"]["script_ms"]["p50"], 1
        ),
    }


def _type(page, text: str) -> None:
    """The seller's draft, then one last real keystroke."""
    box = page.locator(TEXTAREA)
    box.fill(text[:-1])
    box.press_sequentially(text[-1])


def keystroke_to_hint(page, texts: list[str], debounce: int) -> list[float]:
    """ms from the last keystroke to the new hint painted, minus the debounce."""
    out = []
    for text in texts:
        page.evaluate(f"(d) => window.__bench.arm({HINT!r}, d)", debounce // 2)
        _type(page, text)
        painted = page.evaluate("() => window.__bench.done")
        if painted is None:
            raise RuntimeError(f"no hint within {WAIT_MS} ms for {text!r}")
        out.append(painted - page.evaluate("() => window.__bench.lastInput") - debounce)
    return out


def click_to_panel(page, texts: list[str], debounce: int) -> list[float]:
    """ms from the submit click to the pre-submit panel painted (the hint is shown
    first, as when a seller finishes typing, then clicks Send)."""
    out = []
    for text in texts:
        page.evaluate(f"(d) => window.__bench.arm({HINT!r}, d)", debounce // 2)
        _type(page, text)
        if page.evaluate("() => window.__bench.done") is None:
            raise RuntimeError(f"no hint within {WAIT_MS} ms for {text!r}")
        page.evaluate(f"() => window.__bench.arm({PRECHECK!r}, 0)")
        page.locator(SUBMIT).click()
        painted = page.evaluate("() => window.__bench.done")
        if painted is None:
            raise RuntimeError(f"no pre-submit panel within {WAIT_MS} ms for {text!r}")
        out.append(painted - page.evaluate("() => window.__bench.click"))
        page.locator(FIX).click()
        page.locator(PRECHECK).wait_for(state="detached")
    if page.evaluate("window.__submits") != 0:
        raise RuntimeError("a held submission went through during the benchmark")
    return out


def browser(base_url: str, profiles: Path, hints: int, submits: int, loads: int) -> dict:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: `make bench` installs Debian's chromium, "
            "or set SSC_CHROMIUM=/path/to/chromium"
        )
    debounce = debounce_ms()
    started = time.perf_counter()
    with sync_playwright() as p:
        with_ext = launch_context(p, CHROMIUM, profiles / "with-extension")
        without = launch_context(p, CHROMIUM, profiles / "without-extension", extension=None)
        noop = launch_context(
            p, CHROMIUM, profiles / "noop", extension=noop_extension(profiles / "noop-extension")
        )
        contexts = {"with": with_ext, "without": without, "noop": noop}
        try:
            worker = ready_service_worker(with_ext)
            ext = Extension(with_ext, worker, worker.url.split("/")[2], base_url)
            ext.set_settings(**TEST_SETTINGS, backendUrl=base_url)

            # One warm-up load each (first-run compile of the browser and extension).
            page_overhead(contexts, 1, 0)
            overhead = page_overhead(contexts, loads, 300)

            page = _new_page(with_ext)
            _open(page, with_extension=True)
            page.locator(TEXTAREA).wait_for()
            keystroke_to_hint(page, corpus.short_texts(2), debounce)  # warm-up
            hint = keystroke_to_hint(page, corpus.short_texts(hints + 2)[2:], debounce)
            # Chinese drafts: they always get warnings (non-English), so the panel opens.
            panel = click_to_panel(page, corpus.short_texts(submits, chinese=True), debounce)
            page.close()
        finally:
            for context in contexts.values():
                context.close()
    return {
        "unit": "ms",
        "debounce_ms": debounce,
        "keystroke_to_hint_minus_debounce": summary(hint, 1),
        "click_to_precheck_panel": summary(panel, 1),
        "samples": {
            "keystroke_to_hint_minus_debounce": [round(v, 1) for v in hint],
            "click_to_precheck_panel": [round(v, 1) for v in panel],
        },
        "page": overhead,
        "seconds": round(time.perf_counter() - started, 1),
    }

"""How the content script starts: the overlay mounts first, each feature renders in a task
of its own, and new selector data never leaves the features without their anchors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import CONTACT_US, GET_SUPPORT
from .helpers import HINT, OVERLAY, PRECHECK, ContentWorld, expect_badges_match_backend

# In the page's world before anything runs: when the overlay host appears, and what its
# shadow root holds at the end of that task and at each of the following tasks.
WATCH_MOUNT = """
(() => {
  const w = (window.__mount = { sections: [] });
  const snapshot = () => {
    const host = document.querySelector('[data-ssc="overlay"]');
    const root = host && host.shadowRoot;
    if (!root) return null;
    const filled = ["badges", "hints"].filter((id) => {
      const s = root.querySelector(`[data-ssc-section="${id}"]`);
      return s && s.childElementCount > 0;
    });
    const picker = root.querySelector('[data-ssc-control="marketplace"]') ? "mp" : "";
    return filled.join(",") + "|" + picker;
  };
  new MutationObserver(() => {
    if (w.at !== undefined || !document.querySelector('[data-ssc="overlay"]')) return;
    w.at = performance.now();
    // MutationObserver callbacks run at the end of the task that mounted the overlay.
    w.sections.push(snapshot());
    let n = 0;
    const tick = () => {
      w.sections.push(snapshot());
      if (++n < 40) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
  }).observe(document, { childList: true, subtree: true });
})();
"""


def test_overlay_mounts_before_the_features_render(page, ext):
    page.add_init_script(WATCH_MOUNT)
    page.goto(GET_SUPPORT)
    expect_badges_match_backend(page, ext.backend_url, "US")
    expect(page.locator(f"{OVERLAY} [data-ssc-hints-state='empty']")).to_be_visible()
    sections = page.evaluate("window.__mount.sections")
    # The task that mounted the overlay rendered no feature yet ...
    assert sections[0] == "|", sections
    # ... and the features arrived in later tasks, one after another, not all at once.
    assert any(s and s != "|" and s != sections[-1] for s in sections), sections
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


# In our content script's world: every value ctx.anchors takes, and when the served
# selectors are applied. Then the served selectors are loaded again ("backend-online").
SPY_ANCHORS = """
new Promise((resolve) => {
  const ctx = SSC.ctx;
  const log = (self.__anchorLog = []);
  let anchors = ctx.anchors;
  Object.defineProperty(ctx, "anchors", {
    configurable: true,
    get: () => anchors,
    set: (v) => { anchors = v; log.push({ t: performance.now(), description: !!v.description }); },
  });
  ctx.store.subscribe("selectors", () => log.push({ t: performance.now(), selectors: true,
                                                   description: !!anchors.description }));
  // Sample what a feature would see on every task for a while.
  const seen = (self.__anchorSeen = []);
  const start = performance.now();
  const sample = () => {
    seen.push(!!(ctx.anchors && ctx.anchors.description));
    if (performance.now() - start < 600) setTimeout(sample, 0);
    else resolve(true);
  };
  ctx.emit("backend-online");
  sample();
})
"""


@pytest.mark.alone  # the reload must land within the 600 ms it samples
def test_new_selectors_leave_no_gap_without_anchors(page, ext):
    page.goto(CONTACT_US)
    page.locator("kat-textarea textarea").wait_for()
    expect(page.locator(f"{OVERLAY} [data-ssc-hints-state='empty']")).to_be_visible()
    world = ContentWorld(page)
    assert world.eval("!!SSC.ctx.anchors.description") is True
    # Type while the selectors are being reloaded: the hint must still follow the text.
    world.eval(SPY_ANCHORS)
    log = world.eval("self.__anchorLog")
    seen = world.eval("self.__anchorSeen")
    assert any(e.get("selectors") for e in log), log  # the served selectors were applied
    assert all(e["description"] for e in log), log  # never an anchor set without the box
    assert seen and all(seen), seen  # no task in between saw "no description box"
    page.locator("kat-textarea textarea").fill("我的商品listing被下架了，请帮忙恢复")
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.locator("kat-button").click()
    expect(page.locator(PRECHECK)).to_be_visible()
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []

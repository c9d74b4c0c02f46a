/*
 * Content-script entry point (loaded last). Boots once per page, mounts the
 * overlay on support pages only, finds anchors from the selector data, and
 * re-finds them when the single-page app renders late or replaces its form.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  if (SSC.booted) return; // never attach twice
  SSC.booted = true;

  const api = SSC.api;
  const ctx = new SSC.Context();
  SSC.ctx = ctx;
  let active = false;
  let started = false;
  let href = location.href;
  const URL_CHECK_MS = 200;

  function isSupportPage() {
    const path = location.pathname;
    return (ctx.store.get("selectors").support_pages || []).some((p) => p && p.path && path.startsWith(p.path));
  }

  const ready = new Set(); // features whose init has run

  function callHook(f, hook, args) {
    if (typeof f.impl[hook] === "function") ctx.guard(f.id, f.impl[hook]).apply(f.impl, args);
  }

  function callFeatures(hook, ...args) {
    for (const f of SSC.features) if (ready.has(f)) callHook(f, hook, args);
  }

  /**
   * Run fn in a task of its own, so the page's work can run in between:
   * scheduler.postTask when the browser has it, else setTimeout 0.
   */
  function nextTask(fn) {
    const s = root.scheduler;
    if (s && typeof s.postTask === "function") s.postTask(fn, { priority: "user-visible" }).then(undefined, () => undefined);
    else setTimeout(fn, 0);
  }

  /** After every anchor pass: features hear of changed anchors, then of the pass. */
  function onPass(found) {
    if (!active) return;
    ctx.overlay.ensureAttached();
    const prev = ctx.anchors;
    const names = new Set([...Object.keys(found), ...Object.keys(prev)]);
    if ([...names].some((k) => found[k] !== prev[k])) {
      ctx.anchors = found;
      callFeatures("onAnchors", found, prev);
    }
    callFeatures("onScan");
  }

  /** The URL changed (or the selectors did): mount, show or hide the overlay, and look again. */
  const route = ctx.guard("anchors", function route() {
    href = location.href;
    const wantActive = isSupportPage();
    if (wantActive !== active) {
      active = wantActive;
      if (active && !started) return start(); // the first pass follows in a task of its own
      if (ctx.overlay) ctx.overlay.show(active);
    }
    if (active) ctx.anchorFinder.restart();
  });

  /**
   * Mutations anywhere we look: a new URL (single-page navigation), else the anchor finder
   * decides. Reading location.href costs more than the rest of this on a busy page, so it
   * is read at most every URL_CHECK_MS.
   */
  let hrefCheckedAt = 0;
  let hrefTimer = null;
  function onMutations(records) {
    const now = Date.now();
    if (now - hrefCheckedAt >= URL_CHECK_MS) {
      hrefCheckedAt = now;
      if (location.href !== href) return route();
    } else if (!hrefTimer) {
      // A navigation inside the throttled interval is still seen once the page goes quiet.
      hrefTimer = setTimeout(
        ctx.guard("anchors", () => {
          hrefTimer = null;
          hrefCheckedAt = Date.now();
          if (location.href !== href) route();
        }),
        URL_CHECK_MS
      );
    }
    if (active) ctx.anchorFinder.onMutations(records);
  }

  /**
   * Mount the (empty) overlay first; then the first anchor pass, then each feature's
   * init and first render, every one in a task of its own. Doing it all in one task
   * was a 50-60 ms long task at page load.
   */
  const start = ctx.guard("start", function start() {
    if (started) return;
    started = true;
    ctx.overlay = new SSC.Overlay().mount();
    renderChrome();
    ctx.renderStatus();
    nextTask(ctx.guard("anchors", () => ctx.anchorFinder.pass()));
    const queue = SSC.features.slice();
    const initNext = () => {
      const f = queue.shift();
      if (f) initFeature(f);
      if (queue.length) nextTask(initNext);
      else ctx.renderStatus();
    };
    nextTask(initNext);
  });

  /** A feature's init, then what it missed while waiting: the anchors found so far and a pass. */
  function initFeature(f) {
    if (ready.has(f)) return;
    callHook(f, "init", [ctx]);
    ready.add(f);
    if (Object.values(ctx.anchors).some(Boolean)) callHook(f, "onAnchors", [ctx.anchors, {}]);
    if (active) callHook(f, "onScan", []);
  }

  function renderChrome() {
    ctx.overlay.setTitle(ctx.t("overlayTitle"));
  }

  /*
   * The data every feature reads from ctx.store. The store starts with the built-in
   * copies (they work offline); the served copies (live, else the background's cache)
   * replace them when they arrive in the right shape.
   */
  async function loadSelectors() {
    const reply = await SSC.send("ssc:selectors");
    if (reply && reply.ok && SSC.validSelectors(reply.data)) ctx.store.set("selectors", reply.data);
  }

  async function loadContract() {
    const reply = await SSC.send("ssc:contract");
    if (reply && reply.ok && SSC.validContract(reply.data)) ctx.store.set("contract", reply.data);
  }

  async function loadMarketplaces() {
    const reply = await SSC.send("ssc:marketplaces");
    const list = reply && reply.ok && reply.data ? SSC.valid.marketplaces(reply.data.marketplaces) : [];
    if (list.length) ctx.store.set("marketplaces", list);
    if (reply && reply.ok && reply.data && Array.isArray(reply.data.zones)) ctx.store.set("zones", SSC.zonesOf(reply.data));
  }

  async function loadCategories() {
    const reply = await SSC.send("ssc:categories");
    if (reply && reply.ok && reply.data && Array.isArray(reply.data.categories)) {
      const map = {};
      for (const c of SSC.valid.categories(reply.data.categories)) map[c.id] = c;
      ctx.store.set("categories", map);
    }
  }

  async function loadFacts() {
    const reply = await SSC.send("ssc:facts");
    if (reply && reply.ok && reply.data && Array.isArray(reply.data.facts)) ctx.store.set("facts", SSC.valid.facts(reply.data.facts));
  }

  function loadData() {
    return Promise.all([loadSelectors(), loadContract(), loadMarketplaces(), loadCategories(), loadFacts()]);
  }

  const boot = ctx.guard("boot", async function boot() {
    ctx.settings = await SSC.loadSettings();
    await SSC.i18n.init(ctx.settings.uiLanguage);
    ctx.frames = new SSC.Frames({
      onMutations: ctx.guard("anchors", onMutations),
      onFrameLoad: ctx.guard("anchors", () => active && ctx.anchorFinder.restart()),
      skip: SSC.dom.isOurs,
    }).start(document);
    ctx.anchorFinder = new SSC.Anchors(ctx, ctx.guard("anchors", onPass));
    const sellerText = ctx.guard("anchors", (e) => active && ctx.anchorFinder.onSellerText(e));
    ctx.frames.listen("focusin", sellerText);
    ctx.frames.listen("input", sellerText);
    root.addEventListener("popstate", route);
    root.addEventListener("hashchange", route);
    // Built-in selectors first (works offline), then the served ones. New selectors (or
    // a box the seller pointed at): look again at once.
    route();
    const reselect = ctx.guard("anchors", () => {
      if (location.href !== href || isSupportPage() !== active) route();
      else if (active) ctx.anchorFinder.setSelectors();
    });
    ctx.store.subscribe("selectors", reselect);
    ctx.store.subscribe("pointed", reselect);
    await loadData();
    ctx.on("backend-online", ctx.guard("reload", loadData));

    api.storage.onChanged.addListener(
      ctx.guard("settings", async (changes, area) => {
        if (area !== "local" || !changes.settings) return;
        const prev = ctx.settings;
        ctx.settings = await SSC.loadSettings();
        if (prev.uiLanguage !== ctx.settings.uiLanguage) {
          await SSC.i18n.init(ctx.settings.uiLanguage);
          if (started) renderChrome();
        }
        if (prev.backendUrl !== ctx.settings.backendUrl) {
          ctx.errors.clear();
          await loadData();
        }
        if (started) {
          callFeatures("onSettings", ctx.settings, prev);
          callFeatures("render");
          ctx.renderStatus();
        }
      })
    );
  });

  boot();
})(typeof globalThis !== "undefined" ? globalThis : self);

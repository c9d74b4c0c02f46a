/*
 * Feature "point-at-box": when Amazon changes a support page so that none of our anchors
 * find its description box, the overlay says so plainly (the hours still show) and offers
 * "Point at the description box": the seller clicks the box once, and a selector for it
 * is remembered for this page path (lib/anchor-memory.js), in this browser only. It also
 * keeps a short anchor report per path (which anchors that apply there were found, when;
 * never any case text) that the options page can copy for us.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const dom = SSC.dom;
  const memory = SSC.anchorMemory;
  // Ids and classes with long digit runs are generated per page load: useless as anchors.
  const GENERATED = /\d{3,}/;
  const NAMING_ATTRIBUTES = ["name", "aria-label", "placeholder", "label", "data-testid"];

  /** A selector that finds `el` again on a later visit: id, a naming attribute, classes, else the tag. */
  function selectorFor(el) {
    const tag = CSS.escape(el.localName);
    const candidates = [];
    if (el.id && !GENERATED.test(el.id)) candidates.push(tag + "#" + CSS.escape(el.id));
    for (const a of NAMING_ATTRIBUTES) {
      const v = el.getAttribute(a);
      if (v && v.length <= 80) candidates.push(tag + "[" + a + '="' + v.replace(/["\\]/g, "\\$&") + '"]');
    }
    const classes = [...el.classList].filter((c) => !GENERATED.test(c)).slice(0, 3);
    if (classes.length) candidates.push(tag + classes.map((c) => "." + CSS.escape(c)).join(""));
    const scope = el.getRootNode();
    return candidates.find((s) => scope.querySelector(s) === el) || tag;
  }

  SSC.registerFeature("point-at-box", {
    init(ctx) {
      this.ctx = ctx;
      this.pointing = false;
      this.reported = "";
      ctx.frames.listen("click", ctx.guard("point-at-box", (e) => this.onClick(e)));
      ctx.frames.listen("keydown", ctx.guard("point-at-box", (e) => this.pointing && e.key === "Escape" && this.stop()));
      SSC.api.storage.onChanged.addListener(ctx.guard("point-at-box", (changes, area) => area === "local" && changes[memory.POINTED] && this.load()));
      this.load();
    },

    /** The selectors pointed at on this path (again after a single-page navigation). */
    async load() {
      this.path = location.pathname;
      const mine = (await memory.read(memory.POINTED))[this.path];
      const anchors = SSC.isObject(mine) && SSC.isObject(mine.anchors) ? mine.anchors : {};
      if (JSON.stringify(anchors) !== JSON.stringify(this.ctx.store.get("pointed"))) this.ctx.store.set("pointed", anchors);
      this.render();
    },

    /** A form page where, after looking, nothing of the case form (or the way into it) is found. */
    missing() {
      const finder = this.ctx.anchorFinder;
      return finder.formExpected() && finder.settled() && !finder.formSeen();
    },

    onScan() {
      if (location.pathname !== this.path) return this.load();
      this.report();
      this.render();
    },

    /** Which anchors this path has shown: written when that changes (names and booleans only). */
    report() {
      const found = {};
      for (const [name, el] of Object.entries(this.ctx.anchors)) found[name] = !!el;
      const summary = JSON.stringify(found);
      if (summary === this.reported) return;
      this.reported = summary;
      const version = SSC.api.runtime.getManifest().version;
      memory.write(memory.REPORTS, location.pathname, { path: location.pathname, found, at: new Date().toISOString(), version }).catch((e) =>
        this.ctx.reportError("point-at-box", e)
      );
    },

    start() {
      this.pointing = true;
      this.render();
    },

    stop() {
      this.pointing = false;
      this.render();
    },

    /** While pointing: the seller's click on a text box names the description box (the click itself goes on). */
    onClick(e) {
      if (!this.pointing || !e.isTrusted) return; // only the seller's own click names the box
      const box = dom.onPath(e, (el) => !dom.isOurs(el) && el.matches(dom.TEXT_CONTROL));
      if (!box) return;
      const selector = selectorFor(dom.hostOf(box));
      this.pointing = false;
      const anchors = { ...this.ctx.store.get("pointed"), description: selector };
      memory.write(memory.POINTED, location.pathname, { anchors, at: new Date().toISOString() }).catch((err) => this.ctx.reportError("point-at-box", err));
      this.ctx.store.set("pointed", anchors);
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !ctx.overlay) return;
      const { h } = ctx;
      const t = ctx.t.bind(ctx);
      const section = ctx.overlay.section("anchors");
      if (this.pointing) {
        section.replaceChildren(
          h(
            "div",
            { class: "notice", "data-severity": "warning", "data-ssc-pointing": "" },
            h("div", { text: t("pointNow") }),
            h("button", { type: "button", class: "link", "data-ssc-action": "point-cancel", text: t("pointCancel"), onclick: ctx.guard("point-at-box", () => this.stop()) })
          )
        );
        return;
      }
      if (!this.missing()) {
        section.replaceChildren();
        return;
      }
      section.replaceChildren(
        h(
          "div",
          { class: "notice", "data-severity": "warning", "data-ssc-anchor-notice": "" },
          h("div", { text: t("anchorsMissing") }),
          h("button", { type: "button", class: "primary", "data-ssc-action": "point-description", text: t("pointDescription"), onclick: ctx.guard("point-at-box", () => this.start()) })
        )
      );
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

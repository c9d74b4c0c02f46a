/*
 * Feature "tips": the statistics and advice of /api/v1/facts shown where they help, each
 * labelled with its source (Amazon's own guidance or the article, lib/advice.js). This
 * file works out which situations hold on the page; which tips belong to each is data,
 * each fact's `show_on` (shared-rules/facts.yaml), with the words a `mentions` tip
 * applies to (`triggers`) and the categories a `category` tip is for (`categories`).
 *
 * A tip shows once per situation: until the seller dismisses it (remembered per fact and
 * situation in storage.local "tips", so it stays dismissed after a reload and on other
 * pages), and a `first_visit` tip only during the page load it was first shown in.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const STORAGE_KEY = "tips";
  // The overlay stays small: the next tips take their turn as these are dismissed (or,
  // for first-visit tips, on the next page load).
  const MAX_SHOWN = 4;
  const MAX_PER_SITUATION = 2;
  // What the seller is doing now comes before what is true of every visit.
  const ORDER = ["mentions", "category", "normal_priority", "template", "case_page", "help_page", "first_visit"];
  // This page load: a first-visit tip first shown in another one is not shown again.
  const PAGE_LOAD = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);

  const isStrList = (v) => Array.isArray(v) && v.every((s) => typeof s === "string");

  /** Does the text (NFKC, lower case: `state.folded`) mention one of the trigger words? */
  function mentions(folded, triggers) {
    if (!folded || !SSC.isObject(triggers)) return false;
    return ["zh", "en"].some((lang) => isStrList(triggers[lang]) && triggers[lang].some((w) => w && folded.includes(w.toLowerCase())));
  }

  /** The stored memory in a usable shape: {dismissed: {key: iso}, seen: {key: page load}}. */
  function memoryOf(stored) {
    const part = (v) => (SSC.isObject(v) ? v : {});
    return { dismissed: { ...part(stored && stored.dismissed) }, seen: { ...part(stored && stored.seen) } };
  }

  SSC.registerFeature("tips", {
    init(ctx) {
      this.ctx = ctx;
      this.memory = null; // until storage answers
      this.shownKey = null; // what is on screen, so an unchanged choice is not redrawn
      this.shown = [];
      const render = () => this.render();
      // templateOffered: the composer's button comes and goes as the composer redraws.
      for (const key of ["facts", "draft", "classification", "categories", "selectors", "templateOffered"]) ctx.store.subscribe(key, render);
      SSC.api.storage.onChanged.addListener(
        ctx.guard("tips", (changes, area) => {
          if (area === "local" && changes[STORAGE_KEY]) this.remember(changes[STORAGE_KEY].newValue);
        })
      );
      ctx.guard("tips", () => this.load())();
      // Collapsed, the tips are not seen: first-visit ones wait for the panel to open.
      ctx.overlay.onCollapsedChange(ctx.guard("tips", render));
    },

    // A single-page navigation can change the situation (a case page, a form page) without new anchors.
    onScan() {
      this.render();
    },

    async load() {
      this.remember((await SSC.api.storage.local.get(STORAGE_KEY))[STORAGE_KEY]);
    },

    remember(stored) {
      this.memory = memoryOf(stored);
      this.shownKey = null;
      this.render();
    },

    /** Change the stored memory (read afresh: another tab may have written since). */
    save(change) {
      return this.ctx.guard("tips", async () => {
        const stored = memoryOf((await SSC.api.storage.local.get(STORAGE_KEY))[STORAGE_KEY]);
        change(stored);
        await SSC.api.storage.local.set({ [STORAGE_KEY]: stored });
      })();
    },

    /** What holds on this page now, for the facts' situations. */
    state() {
      const ctx = this.ctx;
      const category = ctx.caseCategory(); // as the pre-submit check picks it
      const meta = (category && ctx.category(category)) || {};
      const box = ctx.anchors.description;
      const draft = ctx.store.get("draft");
      return {
        help_page: ctx.anchorFinder.formExpected(),
        case_page: SSC.casePageId(root.location, ctx.store.get("selectors").case_links) !== null,
        template: ctx.store.get("templateOffered") === true,
        normal_priority: meta.priority === "normal",
        category,
        // Folded once per render, not once per fact that has trigger words.
        folded: (SSC.dom.alive(box) ? SSC.dom.getText(box) : (draft && draft.description) || "").normalize("NFKC").toLowerCase(),
      };
    },

    applies(fact, situation, state) {
      if (situation === "mentions") return mentions(state.folded, fact.triggers);
      if (situation === "category") return isStrList(fact.categories) && fact.categories.includes(state.category);
      if (situation === "first_visit") {
        const seen = this.memory.seen[fact.id + "@first_visit"];
        return !seen || seen === PAGE_LOAD;
      }
      return state[situation] === true;
    },

    /** The tips to show: [{fact, situation}], contextual ones first, each fact once. */
    choose() {
      const facts = this.ctx.store.get("facts") || [];
      const state = this.state();
      const chosen = [];
      for (const situation of ORDER) {
        const here = facts.filter(
          (fact) =>
            fact.show_on.includes(situation) &&
            !chosen.some((c) => c.fact === fact) &&
            !this.memory.dismissed[fact.id + "@" + situation] &&
            this.applies(fact, situation, state)
        );
        chosen.push(...here.slice(0, MAX_PER_SITUATION).map((fact) => ({ fact, situation })));
      }
      return chosen.slice(0, MAX_SHOWN);
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !ctx.overlay || !this.memory) return;
      const section = ctx.overlay.section("tips");
      const chosen = ctx.overlay.visible() ? this.choose() : [];
      const key = chosen.map((c) => c.fact.id + "@" + c.situation).join(" ") + "|" + ctx.i18n.locale;
      if (key !== this.shownKey) {
        this.shownKey = key;
        this.shown = chosen;
        const title = chosen.length ? ctx.h("div", { class: "section-title", text: ctx.t("tipsTitle") }) : null;
        section.replaceChildren(...[title, ...chosen.map((c) => this.tip(c))].filter(Boolean));
      }
      // Only tips the seller can see are used up: not while the panel is collapsed.
      if (ctx.overlay.expanded()) this.markSeen(this.shown);
    },

    /** First-visit tips on screen now are not shown on a later page load. */
    markSeen(chosen) {
      const fresh = chosen.filter((c) => c.situation === "first_visit" && !this.memory.seen[c.fact.id + "@first_visit"]);
      if (!fresh.length) return;
      for (const c of fresh) this.memory.seen[c.fact.id + "@first_visit"] = PAGE_LOAD;
      this.save((stored) => fresh.forEach((c) => (stored.seen[c.fact.id + "@first_visit"] = PAGE_LOAD)));
    },

    dismiss(fact, situation) {
      const key = fact.id + "@" + situation;
      this.memory.dismissed[key] = new Date().toISOString();
      this.render();
      this.save((stored) => (stored.dismissed[key] = this.memory.dismissed[key]));
    },

    tip({ fact, situation }) {
      const ctx = this.ctx;
      const h = ctx.h;
      const i18n = ctx.i18n;
      const steps = (Array.isArray(fact.steps) ? fact.steps : []).map((s) => i18n.pick(s)).filter(Boolean);
      const text = i18n.pick(fact.text) || fact.id;
      // A walkthrough opens on request: its steps would fill the overlay.
      const body = steps.length
        ? h("details", null, h("summary", { text }), h("ol", { class: "steps" }, steps.map((s) => h("li", { text: s }))))
        : h("span", { text });
      return h(
        "div",
        { class: "tip", "data-ssc-tip": fact.id, "data-ssc-situation": situation },
        h("div", { class: "tip-text" }, SSC.sourceLabel(i18n, fact.source, fact.kind), " ", body),
        h("button", {
          type: "button",
          class: "dismiss",
          "data-ssc-action": "dismiss-tip",
          title: ctx.t("tipDismiss"),
          "aria-label": ctx.t("tipDismiss"),
          text: "×",
          onclick: ctx.guard("tips", () => this.dismiss(fact, situation)),
        })
      );
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

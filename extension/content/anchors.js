/*
 * The page's anchors (description box, Continue, Send, contact tabs, case id, …), found
 * from shared-rules/selectors.yaml across the top document, its same-origin frames and
 * their open shadow roots, and kept up to date cheaply on a busy single-page app.
 *
 * When to look again (a full pass walks every document and shadow root, so it is rare):
 *  - at start, when a frame loads a new document, when the URL or the selectors change;
 *  - when a mutation removes an anchor we hold, or adds an element that could be one
 *    (a text box, a button, a label, a frame, a shadow host, a case link), or changes
 *    the document that holds the contact controls (where "no agents" and the new case
 *    id appear). Text changes and plain nodes (a counter, a row of spans) cost only
 *    this test;
 *  - when the seller focuses or types in a text box while the description is unknown;
 *  - while the form is still missing: a few times with growing gaps, then never again.
 * Passes are spaced by at least 100 times the last pass's cost, so they can take at most
 * about 1% of the main thread. Anchors that are still connected are kept as they are.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const dom = SSC.dom;

  /** How each anchor of selectors.yaml is found (content/dom.js FINDERS); others: by selectors only. */
  const KINDS = {
    description: "description",
    steps_taken: "textBox",
    reference_numbers: "textBox",
    order_id_input: "textBox",
    asin_input: "textBox",
    sku_input: "textBox",
    continue: "button",
    contact_associate: "button",
    submit: "button",
    chat_now: "button",
    reply: "button",
    reopen: "button",
    no_agents: "text",
    case_id: "text",
  };
  // Any of these shows that the page's case form (or the way into it) is here.
  const FORM_ANCHORS = ["description", "continue", "submit", "chat_now", "issue_not_listed", "contact_associate"];
  // Read only inside the document of the contact step, where Amazon shows them.
  const CONTACT_STEP_SIGNALS = ["no_agents"];
  const CONTACT_CONTROLS = ["submit", "chat_now", "contact_tabs"];
  // Growing gaps between passes while the form is missing; then no more polling.
  const POLL_MS = [250, 500, 1000, 2000];
  const MIN_GAP_MS = 150;
  const MAX_GAP_MS = 3000;
  const COST_FACTOR = 100;
  const COSTS_KEPT = 3;
  const STRUCTURAL = [dom.TEXT_CONTROL, dom.BUTTON_LIKE, dom.LABEL_LIKE, "iframe", "frame", "a[href*='caseID=']", "kat-tabs", "kat-file-upload"].join(", ");

  class Anchors {
    /**
     * `frames` is SSC.Frames; `ctx` the content context (its store's selectors); `onPass(found)`
     * runs after every pass with all anchors by name (null when not found).
     */
    constructor(ctx, onPass) {
      this.ctx = ctx;
      this.onPass = onPass;
      this.found = {};
      this.how = {}; // anchor name -> "selector" | "fallback": how it was found
      this.held = []; // the anchors found, for a cheap "still connected?" test
      this.formWasSeen = false;
      this.lastPassEnd = 0;
      this.costs = []; // the last passes' durations, ms
      this.timer = null;
      this.poll = 0;
      this.pollTimer = null;
      this.expectCaseIdUntil = 0;
      this.compile();
    }

    /**
     * The anchors that apply on this page, each with the selectors that apply here (an
     * anchor or a selector may name the page paths it belongs to), the seller's pointed
     * selector for this path first.
     */
    data() {
      const anchors = this.ctx.store.get("selectors").anchors || {};
      const pointed = this.ctx.store.get("pointed") || {};
      const out = {};
      for (const [name, anchor] of Object.entries(anchors)) {
        if (!this.appliesHere(anchor)) continue;
        const mine = pointed[name] ? [{ selector: pointed[name], comment: "pointed at by the seller" }] : [];
        out[name] = { ...anchor, selectors: [...mine, ...(anchor.selectors || []).filter((sel) => this.appliesHere(sel))] };
      }
      return out;
    }

    appliesHere(item) {
      const paths = item && item.paths;
      return !Array.isArray(paths) || paths.some((p) => location.pathname.startsWith(p));
    }

    /** Selectors changed: compile the test for interesting additions, and look again from scratch. */
    setSelectors() {
      this.compile();
      this.found = {};
      this.how = {};
      this.held = [];
      this.pass();
    }

    /** The test for added elements that could be anchors: the structural one and every anchor selector. */
    compile() {
      const own = [];
      for (const a of Object.values(this.data())) for (const s of (a && a.selectors) || []) own.push(s.selector);
      const candidate = [STRUCTURAL, ...own].join(", ");
      try {
        document.createDocumentFragment().querySelector(candidate);
        this.interesting = candidate;
      } catch (e) {
        this.interesting = STRUCTURAL; // a bad selector in the data: keep the built-in test
      }
    }

    /** After a submission the new case id can appear as text for a while. */
    expectCaseId(ms) {
      this.expectCaseIdUntil = Date.now() + ms;
      this.schedule(0);
    }

    /** One full pass, now. */
    pass() {
      clearTimeout(this.timer);
      this.timer = null;
      const started = performance.now();
      const roots = this.ctx.frames.roots();
      const data = this.data();
      const found = {};
      const later = Object.keys(data).filter((name) => CONTACT_STEP_SIGNALS.includes(name) || name === "case_id");
      for (const [name, anchor] of Object.entries(data)) if (!later.includes(name)) found[name] = this.keepOrFind(name, anchor, roots);
      // "No agents" only in the contact step's frame; the case id there too when there is one.
      const contactDoc = this.contactDocument(found);
      const inContact = contactDoc ? roots.filter((r) => (r.ownerDocument || r) === contactDoc) : [];
      for (const name of later) {
        const where = CONTACT_STEP_SIGNALS.includes(name) ? inContact : inContact.length ? inContact : roots;
        found[name] = where.length ? this.keepOrFind(name, data[name], where) : null;
      }
      this.contactDoc = contactDoc;
      this.found = found;
      this.held = Object.values(found).filter(Boolean);
      this.lastPassEnd = performance.now();
      this.costs = [...this.costs.slice(-(COSTS_KEPT - 1)), this.lastPassEnd - started];
      const seen = this.formSeen();
      if (this.formWasSeen && !seen) this.poll = 0; // the form went (a new step): poll for the next one
      this.formWasSeen = seen;
      this.pollIfFormMissing();
      this.onPass(found);
    }

    /**
     * An anchor found by a selector is kept while it is alive. One found by a fallback
     * (label, role) gives way when a selector matches; a text one (a message, a case id
     * line) is read again, since its text may have changed.
     */
    keepOrFind(name, anchor, roots) {
      const kept = this.found[name];
      const kind = this.kindOf(name);
      if (dom.alive(kept) && this.how[name] === "selector") return kept;
      const bySelector = dom.bySelectors(anchor, roots);
      this.how[name] = bySelector ? "selector" : "fallback";
      if (bySelector) return bySelector;
      if (dom.alive(kept) && kind !== "text") return kept;
      return dom.byFallback(kind, anchor, roots);
    }

    /** The case id's text fallback reads every text node: only while a new case id is expected. */
    kindOf(name) {
      if (name === "case_id" && Date.now() >= this.expectCaseIdUntil) return "element";
      return KINDS[name] || "element";
    }

    /** The frame document of the contact step (the Help Center's inner frame), or null. */
    contactDocument(found) {
      const el = CONTACT_CONTROLS.map((n) => found[n]).find(dom.alive);
      return el && el.ownerDocument !== document ? el.ownerDocument : null;
    }

    /**
     * Look again after `delay` ms, but no sooner than the spacing the passes' cost allows
     * (the cheapest of the last few: one slow pass, such as the first, does not count).
     * `urgent` (the seller's own focus in a text box) needs only the minimum spacing.
     */
    schedule(delay, urgent) {
      const cost = this.costs.length ? Math.min(...this.costs) : 0;
      const gap = urgent ? MIN_GAP_MS : Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, COST_FACTOR * cost));
      const at = Math.max(performance.now() + delay, this.lastPassEnd + gap);
      if (this.timer && this.timerAt <= at) return;
      clearTimeout(this.timer);
      this.timerAt = at;
      this.timer = setTimeout(this.ctx.guard("anchors", () => this.pass()), at - performance.now());
    }

    /** Mutation records from SSC.Frames: look again only if they can matter (see the top). */
    onMutations(records) {
      if (this.timer) return; // a pass is already due
      for (const el of this.held) if (!dom.alive(el)) return this.schedule(0);
      const contactDoc = this.contactDoc;
      for (const r of records) {
        if (contactDoc && (r.target.ownerDocument || r.target) === contactDoc) return this.schedule(0);
        const added = r.addedNodes;
        for (let i = 0; i < added.length; i++) {
          if (added[i].nodeType === 1 && this.couldBeAnchor(added[i])) return this.schedule(0);
        }
      }
    }

    couldBeAnchor(el) {
      let could;
      try {
        could = !!el.shadowRoot || el.matches(this.interesting) || !!el.querySelector(this.interesting);
      } catch (e) {
        could = true;
      }
      return could && !dom.isOurs(el);
    }

    /** The seller focused or typed in a text box we do not know: it may be the description. */
    onSellerText(event) {
      if (dom.alive(this.found.description)) return;
      if (dom.onPath(event, (el) => el.matches && el.matches(dom.TEXT_CONTROL))) this.schedule(0, event.type === "focusin");
    }

    /** The anchors right now (a held submit needs the description box even if no pass has found it yet). */
    current() {
      if (!dom.alive(this.found.description)) this.pass();
      return this.found;
    }

    /** A frame loaded a new document: look again soon, and poll again while the form is missing. */
    restart() {
      this.poll = 0;
      this.schedule(0, true); // a new document or URL: look soon, whatever the last passes cost
    }

    formSeen() {
      return FORM_ANCHORS.some((name) => dom.alive(this.found[name]));
    }

    /** No pass is due: the form was found, or the polling for it has ended. */
    settled() {
      return !this.pollTimer && !this.timer;
    }

    /** Is a case form (or the way into one) expected on this page (support_pages' `form`)? */
    formExpected() {
      const pages = this.ctx.store.get("selectors").support_pages || [];
      return pages.some((p) => p && p.form === true && location.pathname.startsWith(p.path));
    }

    /** Late-rendering shadow content is invisible to the observers: poll a little, on form pages only. */
    pollIfFormMissing() {
      clearTimeout(this.pollTimer);
      this.pollTimer = null;
      if (!this.formExpected() || this.formSeen() || this.poll >= POLL_MS.length) return;
      this.pollTimer = setTimeout(
        this.ctx.guard("anchors", () => {
          this.pollTimer = null;
          this.schedule(0);
        }),
        POLL_MS[this.poll++]
      );
    }
  }

  SSC.Anchors = Anchors;
})(typeof globalThis !== "undefined" ? globalThis : self);

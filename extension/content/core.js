/*
 * Content-script core: feature registry, the shared context handed to each
 * feature, messaging to the background, and the error boundary that keeps
 * our exceptions away from the host page.
 *
 * A feature lives in content/features/<id>.js and calls
 *   SSC.registerFeature("<id>", {
 *     init(ctx),                // once, after the overlay is mounted
 *     onAnchors(anchors, prev), // the page's anchors changed (prev: the last set, or {})
 *     onScan(),                 // after every anchor pass on a support page
 *     onSettings(settings, prev), // the seller saved the options; render() follows
 *     render(),
 *   })
 * Every hook is optional and runs inside ctx.guard().
 *
 * Features share state only through ctx.store (keys listed in Context below) and
 * two events: ctx.on("backend-online") and ctx.on("submitted", submission).
 * Page events go through ctx.frames.listen(type, fn): it listens on the top window and
 * on every same-origin frame's window, where the Help Center's form lives.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const api = SSC.api;

  SSC.features = SSC.features || [];
  SSC.registerFeature = function (id, impl) {
    if (SSC.features.some((f) => f.id === id)) return; // never twice
    SSC.features.push({ id, impl });
  };

  /** Message the background; never rejects. Resolves {ok:false,error} on failure or timeout. */
  SSC.send = function (type, payload, timeoutMs) {
    return new Promise((resolve) => {
      let done = false;
      const finish = (v) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          resolve(v);
        }
      };
      const timer = setTimeout(
        () => finish({ ok: false, error: { code: "timeout", message: "No answer in " + (timeoutMs || 8000) + " ms" } }),
        timeoutMs || 8000
      );
      try {
        Promise.resolve(api.runtime.sendMessage({ ...(payload || {}), type })).then(
          (reply) => finish(reply && typeof reply === "object" ? reply : { ok: false, error: { code: "no_reply", message: "No reply" } }),
          (e) => finish({ ok: false, error: { code: "extension", message: String((e && e.message) || e) } })
        );
      } catch (e) {
        // e.g. "Extension context invalidated" after an update.
        finish({ ok: false, error: { code: "extension", message: String((e && e.message) || e) } });
      }
    });
  };

  /* Backend data is validated before use: anything malformed is dropped. */
  const isObj = SSC.isObject;
  const CONFIDENCES = ["high", "medium", "low"];
  SSC.valid = {
    id: SSC.isId,
    /**
     * Suggestions with a category id; an unknown confidence counts as "low" (shown as a
     * question), and similar_cases that is not a non-negative integer as 0 (no line).
     */
    suggestions(list) {
      return (Array.isArray(list) ? list : [])
        .filter((s) => isObj(s) && SSC.valid.id(s.category))
        .map((s) => ({
          ...s,
          confidence: CONFIDENCES.includes(s.confidence) ? s.confidence : "low",
          similar_cases: Number.isSafeInteger(s.similar_cases) && s.similar_cases >= 0 ? s.similar_cases : 0,
        }));
    },
    findings(list) {
      return (Array.isArray(list) ? list : []).filter(
        (f) => isObj(f) && SSC.valid.id(f.code) && ["info", "warning", "error"].includes(f.severity)
      );
    },
    channels(list) {
      return (Array.isArray(list) ? list : []).filter((c) => isObj(c) && ["phone", "chat", "case"].includes(c.channel));
    },
    notices(list) {
      return (Array.isArray(list) ? list : []).filter((n) => isObj(n) && isObj(n.message));
    },
    categories(list) {
      return (Array.isArray(list) ? list : []).filter((c) => isObj(c) && SSC.valid.id(c.id));
    },
    /** Facts with a text, a source and where they show; anything else is dropped. */
    facts(list) {
      return (Array.isArray(list) ? list : []).filter(
        (f) => isObj(f) && SSC.valid.id(f.id) && isObj(f.text) && isObj(f.source) && Array.isArray(f.show_on)
      );
    },
    marketplaces(list) {
      const codes = SSC.MARKETPLACE_CODES || [];
      return (Array.isArray(list) ? list : []).filter(
        (m) => isObj(m) && codes.includes(m.code) && Array.isArray(m.domains) && typeof m.timezone === "string"
      );
    },
  };

  class Context {
    constructor() {
      this.settings = null;
      this.i18n = SSC.i18n;
      this.dom = SSC.dom;
      this.h = SSC.h;
      this.overlay = null;
      this.anchors = {}; // the page's elements by anchor name, found by content/anchors.js
      this.frames = null; // SSC.Frames: the documents we look at and listen on (main.js)
      this.anchorFinder = null; // SSC.Anchors (main.js)
      // The whole shared state of the content features. main.js loads the data (built-in
      // first, then the served copy); the features own the rest.
      this.store = SSC.createStore(
        {
          selectors: SSC.DEFAULT_SELECTORS, // page anchors, contact-method words, case links
          contract: SSC.DEFAULT_CONTRACT, // text limit, case-age threshold, identifier patterns
          marketplaces: SSC.FALLBACK_MARKETPLACES,
          zones: SSC.FALLBACK_ZONES, // time zones' display names (美东时间), from the marketplaces document
          categories: null, // id -> category from /api/v1/categories
          facts: null, // the tips' facts from /api/v1/facts: text, source, where each shows (show_on)
          marketplace: null, // set by the feature "marketplace"
          // set by "seller-store": {id, name}, the store (seller account) the page is for: its
          // merchant id (mons_sel_mcid) and the header's store name, each null when unknown
          sellerStore: null,
          // set by "category-hints" on each classification and pick: {suggested: our top
          // suggestion's category, sure: it is an answer (not a question), picked: the seller's
          // pick among our hints}, ids or null
          classification: null,
          draft: null, // set by "case-draft": what the seller gave Amazon's form, across its steps
          // set by "composer": it offers a template here now (its button is shown), so that
          // other features (tips' `template`) need not look at its section
          templateOffered: false,
          pointed: {}, // set by "point-at-box": anchor name -> the selector the seller pointed at on this path
        },
        (key, e) => this.reportError("store:" + key, e)
      );
      this.backend = { state: "unknown", cachedAt: null };
      this.errors = new Map(); // featureId -> message
      this._listeners = {};
    }

    t(key, subs) {
      return this.i18n.t(key, subs);
    }

    on(event, fn) {
      (this._listeners[event] = this._listeners[event] || []).push(fn);
    }

    emit(event, data) {
      for (const fn of this._listeners[event] || []) this.guard("event:" + event, fn)(data);
    }

    /** Wrap fn so nothing it throws (sync or async) reaches the page. */
    guard(featureId, fn) {
      const ctx = this;
      return function guarded(...args) {
        try {
          const r = fn.apply(this, args);
          if (r && typeof r.then === "function") {
            return r.then(undefined, (e) => {
              ctx.reportError(featureId, e);
              return undefined;
            });
          }
          return r;
        } catch (e) {
          ctx.reportError(featureId, e);
          return undefined;
        }
      };
    }

    reportError(featureId, e) {
      try {
        this.errors.set(featureId, String((e && e.message) || e));
        // Debug level only: our problems must not look like page errors.
        console.debug("[Seller Support Companion]", featureId, e);
        this.renderStatus();
      } catch (e2) {
        /* last line of defence */
      }
    }

    /**
     * The backend state a failed reply's error means: "unpaired" (the personal backend does
     * not know this browser), "token" (the team server refused or lacks the person's access
     * token, or may not be reached), else "offline".
     */
    backendStateOf(error) {
      const code = error && error.code;
      if (code === "not_paired") return "unpaired";
      return SSC.TOKEN_CODES.includes(code) ? "token" : "offline";
    }

    /** Features report how the backend answered: "live" | "cache" | "offline" | "unpaired" | "token". */
    setBackend(state, cachedAt) {
      const prev = this.backend.state;
      this.backend = { state, cachedAt: cachedAt || null };
      this.renderStatus();
      if (state === "live" && (prev === "offline" || prev === "cache")) this.emit("backend-online");
    }

    renderStatus() {
      if (!this.overlay || !this.overlay.host) return;
      const h = this.h;
      // The welcome page says how to start the backend on this OS; the background opens it
      // (a content script cannot, and making it web-accessible would let any site probe for us).
      const setupLink = () =>
        h("button", { type: "button", class: "link", "data-ssc-action": "open-welcome", text: this.t("statusSetupLink"), onclick: () => SSC.send("ssc:openWelcome") });
      if (this.errors.size) {
        const names = [...this.errors.keys()].join(", ");
        this.overlay.setStatus("error", this.t("statusError", [names]), " ", setupLink());
      } else if (this.backend.state === "unpaired") {
        this.overlay.setStatus("error", this.t("statusUnpaired"), " ", setupLink());
      } else if (this.backend.state === "token") {
        // The token is the seller's to fix, on the options page (the background opens it).
        const optionsLink = h("button", { type: "button", class: "link", "data-ssc-action": "open-options", text: this.t("statusOptionsLink"), onclick: () => SSC.send("ssc:openOptions") });
        this.overlay.setStatus("error", this.t("statusToken"), " ", optionsLink);
      } else if (this.backend.state === "offline") {
        this.overlay.setStatus("offline", this.t("statusOffline", [this.settings ? SSC.activeBackend(this.settings).base : ""]), " ", setupLink());
      } else if (this.backend.state === "cache") {
        const when = this.backend.cachedAt
          ? SSC.hours.fmt(Date.parse(this.backend.cachedAt), this.settings.sellerTimezone, this.i18n.locale, true)
          : "?";
        this.overlay.setStatus("cache", this.t("statusCache", [when]), " ", setupLink());
      } else {
        this.overlay.setStatus(null);
      }
    }

    /**
     * The category of the case being written, one rule for every feature: the seller's pick
     * among our hints, else the category picked on Amazon's form, else our top hint (the
     * draft keeps all three across Amazon's steps and a reload). With `sureOnly`, our hint
     * counts only while it is an answer, not a question (the classification says so; a hint
     * known only from the draft is not sure). null when none is known.
     */
    caseCategory({ sureOnly = false } = {}) {
      const hints = this.store.get("classification") || {};
      const draft = this.store.get("draft") || {};
      const hint = sureOnly ? (hints.sure ? hints.suggested : null) : hints.suggested || draft.suggested;
      const id = hints.picked || draft.hintPick || draft.pageCategory || hint;
      return SSC.isId(id) ? id : null;
    }

    /** Category metadata (materials, templates, special channel) by id. */
    category(id) {
      const categories = this.store.get("categories");
      return (categories && categories[id]) || null;
    }
  }

  SSC.Context = Context;
})(typeof globalThis !== "undefined" ? globalThis : self);

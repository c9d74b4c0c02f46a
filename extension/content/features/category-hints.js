/*
 * Feature "category-hints": classify the issue description while the seller
 * types (debounced; a newer request cancels the stale one) and show the top
 * category as surely as the backend is sure of it (its `confidence`): an answer
 * (high), a "probably" answer (medium), or a question with every suggestion as a
 * choice (low, until the seller picks one). Each suggestion shows its percentage;
 * the top one the seller's own words that drove it and how many of their earlier
 * corrected cases chose it. An answer also shows its channel and priority, up to two
 * alternatives, the materials to prepare and the special channel where one applies;
 * Chinese text gets English-writing advice (the English case itself is the composer's,
 * features/composer.js; the advice names it only while ctx.store "templateOffered" says it
 * offers a template). Our top suggestion, whether it is sure enough to be an answer,
 * and the seller's pick go to ctx.store "classification" when a classification arrives
 * or the seller picks (never in render()).
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const DEBOUNCE_MS = 450;
  const MIN_CHARS = 4;

  const MAX_SHOWN = 3; // the top suggestion and up to two alternatives

  const PRIORITIES = ["high", "normal", "special"];
  const ROUTES = ["phone_chat", "case", "account_health", "brand_registry", "account_verification"];

  /** A suggestion's score (a probability) as a whole percentage. */
  function percent(s) {
    return Math.min(100, Math.max(0, Math.round((Number(s.score) || 0) * 100)));
  }

  SSC.registerFeature("category-hints", {
    init(ctx) {
      this.ctx = ctx;
      this.seq = 0;
      this.timer = null;
      this.result = null; // {suggestions, adviseEnglish} from the last classify
      this.text = "";
      this.pinned = null;
      this.error = null;
      // Typing in the description box, in whatever frame it is.
      ctx.frames.listen(
        "input",
        ctx.guard("category-hints", (e) => {
          if (SSC.dom.pathIncludes(e, ctx.anchors.description)) this.schedule();
        })
      );
      ctx.store.subscribe("marketplace", () => this.text && this.schedule(true));
      ctx.store.subscribe("categories", () => this.render());
      // The English advice points to the composer only while it offers a template.
      ctx.store.subscribe("templateOffered", () => this.result && this.render());
      ctx.on("backend-online", () => this.text && !this.result && this.schedule(true));
      // A sent case took the seller's pick with it (the submission carries it); the next
      // case starts without one, so it cannot be recorded as a correction never made.
      ctx.on("submitted", () => this.pinned && this.pick(null));
      this.render();
    },

    onAnchors(anchors, prev) {
      if (!!anchors.description !== !!prev.description) this.render();
      if (anchors.description && anchors.description !== prev.description) {
        // Form re-rendered: keep the hint; re-classify only if the text changed.
        const text = SSC.dom.getText(anchors.description).trim();
        if (text && text !== this.text) this.schedule();
      }
    },

    schedule(force) {
      clearTimeout(this.timer);
      if (force) this.text = "";
      this.timer = setTimeout(this.ctx.guard("category-hints", () => this.classify()), DEBOUNCE_MS);
    },

    async classify() {
      const ctx = this.ctx;
      const a = ctx.anchors.description;
      const marketplace = ctx.store.get("marketplace");
      if (!a || !marketplace) return;
      const text = SSC.dom.getText(a).trim();
      if (text === this.text && this.result) return;
      const seq = ++this.seq;
      if (text.length < MIN_CHARS) {
        this.text = text;
        this.result = null;
        this.error = null;
        this.choose();
        this.render();
        return;
      }
      // The backend refuses a longer text: classify its first max_text_length characters.
      const sent = SSC.clipText(text, ctx.store.get("contract"));
      const reply = await SSC.send("ssc:classify", { text: sent, marketplace }, 6000);
      if (seq !== this.seq) return; // stale: a newer request is on its way
      const suggestions = reply.ok && reply.data ? SSC.valid.suggestions(reply.data.suggestions) : [];
      if (suggestions.length) {
        this.text = text;
        // Whether the text is mostly Chinese is the backend's rule (zh_share), not ours.
        this.result = { suggestions, adviseEnglish: reply.data.advise_english === true };
        this.error = null;
        if (this.pinned && !suggestions.some((s) => s.category === this.pinned)) this.pinned = null;
        if (ctx.backend.state !== "live") ctx.setBackend("live"); // backend is back: badges reload
      } else if (reply.error && reply.error.code === "cancelled") {
        return;
      } else {
        this.error = reply.error || { code: "unknown" };
        if (reply.error && (reply.error.code === "offline" || reply.error.code === "timeout")) {
          if (ctx.backend.state !== "cache") ctx.setBackend("offline");
        }
      }
      this.choose();
      this.render();
    },

    /**
     * What this case's classification says, for the pre-submit check and the case log
     * (the draft keeps it): our top suggestion of the latest classification (never the
     * seller's pick) and the seller's pick among our hints. A new object each time, so a
     * new case's draft takes it even when it says what the last case's did.
     */
    choose() {
      const top = this.result && this.result.suggestions[0];
      this.ctx.store.set("classification", {
        suggested: top ? top.category : null,
        // An answer, not a question: sure enough to offer the category's template.
        sure: !!top && this.mode(top) !== "question",
        picked: this.pinned,
      });
    },

    /** The seller picked a category among our hints (an alternative, or a choice of our question); null: none. */
    pick(category) {
      this.pinned = category;
      this.choose();
      this.render();
    },

    /** Suggestions with the seller's pick (if any) first. */
    ordered() {
      const s = (this.result && this.result.suggestions) || [];
      const p = this.pinned && s.find((x) => x.category === this.pinned);
      return (p ? [p, ...s.filter((x) => x !== p)] : s).slice(0, MAX_SHOWN);
    },

    /**
     * How the top hint is put: "answer" (a sure one, or the seller's own pick), "probably"
     * (medium confidence) or "question" (low: the seller picks among the suggestions).
     */
    mode(top) {
      if (this.pinned === top.category || top.confidence === "high") return "answer";
      return top.confidence === "medium" ? "probably" : "question";
    },

    label(s) {
      return this.ctx.i18n.pick(s.label || (this.ctx.category(s.category) || {}).label) || s.category;
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !ctx.overlay) return;
      const section = ctx.overlay.section("hints");
      const list = this.ordered();
      if (!list.length && !ctx.anchors.description) {
        // No description box here (e.g. the case log): hints have nothing to say.
        section.replaceChildren();
        return;
      }
      const title = ctx.h("div", { class: "section-title", text: ctx.t("hintsTitle") });
      if (!list.length) {
        section.replaceChildren(title, this.emptyState());
        return;
      }
      const mode = this.mode(list[0]);
      if (mode === "question") section.replaceChildren(title, this.question(list));
      else section.replaceChildren(title, this.answer(list[0], mode), this.alternatives(list.slice(1)) || "");
    },

    emptyState() {
      const ctx = this.ctx;
      const msg = this.error ? ctx.t("hintsUnavailable") : ctx.anchors.description ? ctx.t("hintsEmpty") : ctx.t("hintsNoField");
      return ctx.h("div", { class: "muted", "data-ssc-hints-state": this.error ? "error" : "empty", text: msg });
    },

    /** The hint's box for the top suggestion, with its headline. */
    hintBox(top, mode, headline) {
      const pinned = this.pinned === top.category;
      return this.ctx.h(
        "div",
        { class: "hint " + mode, "data-ssc-hint": "", "data-ssc-category": top.category, "data-ssc-confidence": top.confidence, "data-ssc-pinned": pinned },
        headline
      );
    },

    /** Low confidence: "Is it X?" with every suggestion as a choice; nothing else is said about X until the seller picks. */
    question(list) {
      const ctx = this.ctx;
      const h = ctx.h;
      const top = list[0];
      const hint = this.hintBox(top, "question", h("div", { class: "cat", "data-ssc-question": "", text: ctx.t("hintQuestion", [this.label(top)]) }));
      hint.append(
        ...this.evidence(top),
        h("div", { class: "alts", "data-ssc-choices": "" }, h("span", { class: "muted", text: ctx.t("hintChoose") }), list.map((s) => this.choiceButton(s)))
      );
      const advice = this.advice();
      if (advice) hint.appendChild(advice);
      return hint;
    },

    /** High or medium confidence, or the seller's pick: the category, how to reach Amazon about it and what to prepare. */
    answer(top, mode) {
      const ctx = this.ctx;
      const h = ctx.h;
      const t = ctx.t.bind(ctx);
      const i18n = ctx.i18n;
      const meta = ctx.category(top.category) || {};
      const label = this.label(top);
      const known = (v, list) => (list.includes(v) ? v : null);
      const priority = known(top.priority, PRIORITIES) || known(meta.priority, PRIORITIES) || "normal";
      const channel = known(top.channel, ROUTES) || known(meta.channel, ROUTES) || "case";
      const headline =
        mode === "probably"
          ? h("div", { class: "cat", "data-ssc-probably": "", text: t("hintProbably", [label]) })
          : h("div", { class: "cat", text: label });
      const hint = this.hintBox(top, mode, headline);
      hint.appendChild(
        h(
          "div",
          null,
          h("span", { class: "tag " + priority, text: t("priority_" + priority) }),
          h("span", { class: "tag", text: t("route_" + channel) }),
          h("span", { class: "muted", "data-ssc-score": "", text: t("score", [percent(top)]) })
        )
      );
      if (this.pinned === top.category) hint.appendChild(h("div", { class: "muted", text: t("pinnedCategory") }));
      hint.append(...this.evidence(top));
      if (meta.channel_note && i18n.pick(meta.channel_note)) {
        // Where the routing advice comes from (the article or Amazon): lib/advice.js.
        const from = meta.source ? [SSC.sourceLabel(i18n, meta.source), " "] : [];
        hint.appendChild(h("div", { class: "muted", "data-ssc-channel-note": "" }, ...from, i18n.pick(meta.channel_note)));
      }
      const more = [this.materials(meta), this.specialChannel(meta, priority, label), this.advice()];
      hint.append(...more.flat().filter(Boolean));
      return hint;
    },

    /** Why: the seller's own words that drove the suggestion, and how many of their earlier corrected cases chose it. */
    evidence(s) {
      const ctx = this.ctx;
      const h = ctx.h;
      const out = [];
      if (Array.isArray(s.reasons) && s.reasons.length) {
        out.push(
          h("div", { "data-ssc-reasons": "" }, h("span", { class: "muted", text: ctx.t("matchedPhrases") + " " }), s.reasons.slice(0, 8).map((r) => h("span", { class: "reason", text: String(r) })))
        );
      }
      if (s.similar_cases > 0) {
        out.push(h("div", { class: "muted", "data-ssc-similar": String(s.similar_cases), text: ctx.t("hintSimilarCases", [String(s.similar_cases)]) }));
      }
      return out;
    },

    materials(meta) {
      const ctx = this.ctx;
      const h = ctx.h;
      const i18n = ctx.i18n;
      const materials = (Array.isArray(meta.materials) ? meta.materials : []).filter((m) => m && typeof m === "object");
      if (!materials.length) return null;
      return [
        h("div", { class: "section-title", text: ctx.t("materialsTitle") }),
        h(
          "ul",
          { "data-ssc-materials": "" },
          materials.map((m) => {
            const li = h("li", { "data-ssc-material": m.id, title: m.how_to ? i18n.pick(m.how_to) : null, text: i18n.pick(m.label) || m.id });
            const parts = Array.isArray(m.parts) ? m.parts : [];
            if (parts.length) li.appendChild(h("ul", null, parts.map((p) => h("li", { text: i18n.pick(p) }))));
            return li;
          })
        ),
      ];
    },

    /** Brand registry, account verification: where such a case goes instead. */
    specialChannel(meta, priority, label) {
      if (!meta.special_channel && priority !== "special") return null;
      const ctx = this.ctx;
      const h = ctx.h;
      const sc = meta.special_channel && typeof meta.special_channel === "object" ? meta.special_channel : null;
      const box = h("div", { class: "special", "data-ssc-special": "" }, h("span", { text: ctx.t("specialChannel", [sc ? ctx.i18n.pick(sc.name) : label]) }));
      // The address differs per marketplace (Seller Central's and Brand Registry's own domains).
      const routes = sc && sc.routes && typeof sc.routes === "object" ? sc.routes : {};
      const url = SSC.safeUrl(routes[ctx.store.get("marketplace")]);
      if (url) box.append(" ", h("a", { class: "link", href: url, target: "_blank", rel: "noopener noreferrer", text: ctx.t("openSpecialChannel") }));
      return box;
    },

    /** Mostly Chinese text (the backend's advise_english): write precise English, or start
     * from the composer's template when it offers one (not for a question or a special channel). */
    advice() {
      if (!this.result.adviseEnglish) return null;
      const key = this.ctx.store.get("templateOffered") === true ? "adviceEnglish" : "adviceEnglishNoComposer";
      return this.ctx.h("div", { class: "advice", "data-ssc-advice": "english", text: this.ctx.t(key) });
    },

    /** The other suggestions under an answer, each a button that picks it. */
    alternatives(alts) {
      if (!alts.length) return null;
      const h = this.ctx.h;
      return h("div", { class: "alts" }, h("span", { class: "muted", text: this.ctx.t("alternatives") }), alts.map((s) => this.choiceButton(s)));
    },

    /** A suggestion the seller can pick: its label and percentage. */
    choiceButton(s) {
      const ctx = this.ctx;
      const similar = s.similar_cases > 0 ? " · " + ctx.t("hintSimilarCases", [String(s.similar_cases)]) : "";
      return ctx.h("button", {
        type: "button",
        class: "link",
        "data-ssc-alt": s.category,
        "data-ssc-pct": String(percent(s)),
        title: ctx.t("pickCategory") + similar,
        text: this.label(s) + " · " + percent(s) + "%",
        onclick: ctx.guard("category-hints", () => this.pick(s.category)),
      });
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

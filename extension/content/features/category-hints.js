/*
 * Feature "category-hints": classify the issue description while the seller
 * types (debounced; a newer request cancels the stale one) and show the top
 * category with the phrases that matched, its channel and priority, up to two
 * alternatives, the materials to prepare, English-writing advice for Chinese
 * text, the special channel where one applies, and a one-click English case
 * template. The chosen category goes to ctx.store "category" when a
 * classification arrives or the seller picks an alternative (never in render()).
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const DEBOUNCE_MS = 450;
  const MIN_CHARS = 4;

  const PRIORITIES = ["high", "normal", "special"];
  const ROUTES = ["phone_chat", "case", "brand_registry", "account_verification"];

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
      ctx.on("backend-online", () => this.text && !this.result && this.schedule(true));
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
     * The category this case is about, for the pre-submit check and the case log
     * (ctx.store "category"): the seller's pinned choice, else the top hint.
     */
    choose() {
      const top = this.ordered()[0];
      this.ctx.store.set("category", top ? top.category : this.pinned);
    },

    /** Suggestions with the seller's pick (if any) first. */
    ordered() {
      const s = (this.result && this.result.suggestions) || [];
      if (!this.pinned) return s.slice(0, 3);
      const p = s.find((x) => x.category === this.pinned);
      return p ? [p, ...s.filter((x) => x !== p)].slice(0, 3) : s.slice(0, 3);
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !ctx.overlay) return;
      const h = ctx.h;
      const t = ctx.t.bind(ctx);
      const i18n = ctx.i18n;
      const section = ctx.overlay.section("hints");
      const title = h("div", { class: "section-title", text: t("hintsTitle") });
      const list = this.ordered();
      if (!list.length && !ctx.anchors.description) {
        // No description box here (e.g. the case log): hints have nothing to say.
        section.replaceChildren();
        return;
      }
      if (!list.length) {
        const msg = this.error ? t("hintsUnavailable") : ctx.anchors.description ? t("hintsEmpty") : t("hintsNoField");
        section.replaceChildren(title, h("div", { class: "muted", "data-ssc-hints-state": this.error ? "error" : "empty", text: msg }));
        return;
      }
      const top = list[0];
      const meta = ctx.category(top.category) || {};
      const label = i18n.pick(top.label || meta.label) || top.category;
      const known = (v, list) => (list.includes(v) ? v : null);
      const priority = known(top.priority, PRIORITIES) || known(meta.priority, PRIORITIES) || "normal";
      const channel = known(top.channel, ROUTES) || known(meta.channel, ROUTES) || "case";

      const hint = h(
        "div",
        { class: "hint", "data-ssc-hint": "", "data-ssc-category": top.category },
        h("div", { class: "cat", text: label }),
        h(
          "div",
          null,
          h("span", { class: "tag " + priority, text: t("priority_" + priority) }),
          h("span", { class: "tag", text: t("route_" + channel) }),
          h("span", { class: "muted", text: t("score", [Math.round((Number(top.score) || 0) * 100)]) })
        )
      );
      if (this.pinned === top.category) hint.appendChild(h("div", { class: "muted", text: t("pinnedCategory") }));
      if (Array.isArray(top.reasons) && top.reasons.length) {
        hint.appendChild(
          h("div", { "data-ssc-reasons": "" }, h("span", { class: "muted", text: t("matchedPhrases") + " " }), top.reasons.slice(0, 8).map((r) => h("span", { class: "reason", text: String(r) })))
        );
      }
      if (meta.channel_note && i18n.pick(meta.channel_note)) hint.appendChild(h("div", { class: "muted", text: i18n.pick(meta.channel_note) }));

      // Materials to prepare.
      const materials = (Array.isArray(meta.materials) ? meta.materials : []).filter((m) => m && typeof m === "object");
      if (materials.length) {
        hint.appendChild(h("div", { class: "section-title", text: t("materialsTitle") }));
        hint.appendChild(
          h(
            "ul",
            { "data-ssc-materials": "" },
            materials.map((m) => {
              const li = h("li", { "data-ssc-material": m.id, title: m.how_to ? i18n.pick(m.how_to) : null, text: i18n.pick(m.label) || m.id });
              const parts = Array.isArray(m.parts) ? m.parts : [];
              if (parts.length) li.appendChild(h("ul", null, parts.map((p) => h("li", { text: i18n.pick(p) }))));
              return li;
            })
          )
        );
      }
      // Special channel (brand registry, account verification).
      if (meta.special_channel || priority === "special") {
        const sc = meta.special_channel && typeof meta.special_channel === "object" ? meta.special_channel : null;
        const box = h("div", { class: "special", "data-ssc-special": "" }, h("span", { text: t("specialChannel", [sc ? i18n.pick(sc.name) : label]) }));
        const url = sc && SSC.safeUrl(sc.url);
        if (url) box.append(" ", h("a", { class: "link", href: url, target: "_blank", rel: "noopener noreferrer", text: t("openSpecialChannel") }));
        hint.appendChild(box);
      }
      // Mostly Chinese text (the backend's advise_english): write precise English.
      if (this.result.adviseEnglish) {
        hint.appendChild(h("div", { class: "advice", "data-ssc-advice": "english", text: t("adviceEnglish") }));
      }
      // One-click English template.
      if (typeof meta.template === "string" && meta.template) {
        hint.appendChild(
          h(
            "div",
            { class: "actions" },
            h("button", {
              type: "button",
              class: "primary",
              "data-ssc-action": "insert-template",
              text: t("insertTemplate"),
              onclick: ctx.guard("category-hints", () => this.insertTemplate(meta.template)),
            })
          )
        );
      }
      const alts = list.slice(1, 3);
      const altBox = alts.length
        ? h(
            "div",
            { class: "alts" },
            h("span", { class: "muted", text: t("alternatives") }),
            alts.map((s) =>
              h("button", {
                type: "button",
                class: "link",
                "data-ssc-alt": s.category,
                title: t("pickCategory"),
                text: (i18n.pick(s.label || (ctx.category(s.category) || {}).label) || s.category) + " · " + Math.round((Number(s.score) || 0) * 100) + "%",
                onclick: ctx.guard("category-hints", () => {
                  this.pinned = s.category;
                  this.choose();
                  this.render();
                }),
              })
            )
          )
        : null;
      section.replaceChildren(title, hint, altBox || "");
    },

    insertTemplate(template) {
      const ctx = this.ctx;
      const a = ctx.anchors.description;
      if (!a) return;
      const current = SSC.dom.getText(a);
      const contract = ctx.store.get("contract");
      const order = SSC.findIdentifier(current, contract, "order_id");
      const asin = SSC.findIdentifier(current, contract, "asin");
      let filled = String(template);
      if (order) filled = filled.split("[ORDER_ID]").join(order);
      if (asin) filled = filled.split("[ASIN]").join(asin.toUpperCase());
      const text = current.trim() ? filled + "\n\n---\n" + current.trim() : filled;
      SSC.dom.setText(a, text);
      SSC.dom.focus(a);
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

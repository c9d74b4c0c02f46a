/*
 * Feature "composer": an English case from one of the templates of shared-rules/templates.yaml,
 * composed by the backend (POST /api/v1/compose through ssc:compose). The backend fills in
 * what is known: the order id, ASIN and FBA shipment id it finds in the description and the
 * page's reference fields (a case id and a 10-digit ASIN only where a word names them, see
 * templates.yaml), the marketplace, today's date in the marketplace's zone and the
 * category, in the marketplace's spelling (US or British); we send the store name from the
 * page header, a case page's case id and the names of the files attached on the form. What
 * was filled in is shown by name for the seller to check. The
 * text replaces the description box's: the seller's own draft is never appended to the
 * English (it would hide Chinese from the check and confuse the reader), and "Restore my
 * text" puts it back. The placeholders left are listed with what to write in each (in the
 * UI's language) and an English example; the pre-submit check's unfilled_placeholder
 * catches any still left at Continue or Send. A text that goes elsewhere than a case (a
 * plan of action: the appeal on the Account Health page) says where.
 *
 * Offered for the case's category as the pre-submit check and the tips see it
 * (ctx.caseCategory), our hint only when it is no question. A special
 * channel's category (Brand Registry, identity verification) has no template: no button.
 * On one case's page (the selectors' case link) the reply box gets the follow-up on that
 * case instead, with its case id from the page's address: a follow-up goes on the
 * original case, never into a new one.
 * The button is [data-ssc-action="compose"] (id ssc-compose) inside [data-ssc-composer];
 * features/tips.js puts its "templates are free" tip beside it.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const ID = "composer";
  const TIMEOUT_MS = 6000;

  const isStr = (v) => typeof v === "string";
  const isLocalized = (v) => SSC.isObject(v) && isStr(v.zh) && isStr(v.en);
  /** What we offer, as one comparable value: the category and its templates' ids. */
  const offerKey = (offer) => offer.category + ":" + offer.templates.map((t) => t.id).join(",");
  // The backend's own errors (no_template, template_not_for_category, …) say why in both
  // languages in one message; the background's are English, for the log.
  const isBilingual = (message) => isStr(message) && /[\u4e00-\u9fff]/.test(message) && /[A-Za-z]/.test(message);

  /** A compose answer we can show; anything else is dropped. */
  function validResult(d) {
    return (
      SSC.isObject(d) &&
      isStr(d.text) &&
      isStr(d.subject) &&
      Array.isArray(d.filled) &&
      d.filled.every((f) => SSC.isObject(f) && isStr(f.name) && isLocalized(f.label) && isStr(f.value)) &&
      Array.isArray(d.remaining) &&
      d.remaining.every((r) => SSC.isObject(r) && isStr(r.name) && isLocalized(r.label) && isLocalized(r.explain) && isStr(r.example)) &&
      (d.submit_where == null || isLocalized(d.submit_where))
    );
  }

  SSC.registerFeature("composer", {
    init(ctx) {
      this.ctx = ctx;
      this.chosen = null; // the template the seller selected; null: the category's own
      this.result = null; // the last composed case
      this.previous = null; // the box's text before we composed: "Restore my text"
      this.error = null;
      this.busy = false;
      this.offered = ""; // what the section offers now (category and templates), to redraw only on change
      for (const key of ["classification", "draft", "categories"]) ctx.store.subscribe(key, () => this.refresh());
      this.render();
    },

    onAnchors(anchors, prev) {
      if (!!anchors.description !== !!prev.description) this.render();
    },

    /** The templates offered for the category (served with /api/v1/categories), its own first. */
    templates(categoryId) {
      const meta = categoryId ? this.ctx.category(categoryId) : null;
      const list = meta && Array.isArray(meta.templates) ? meta.templates : [];
      return list.filter((t) => SSC.isObject(t) && SSC.isId(t.id) && isLocalized(t.label));
    },

    /** On one case's page: {caseId} (null when the address has none); elsewhere null. */
    casePage() {
      const id = SSC.casePageId(root.location, this.ctx.store.get("selectors").case_links);
      return id === null ? null : { caseId: SSC.isAmazonCaseId(id) ? id : null };
    },

    /** What we offer here: {category, templates, caseId}. A new case's form: the category's
     * own and the re-filing (a follow-up belongs on its case's page, not in a new case). */
    offer() {
      const page = this.casePage();
      if (!page) {
        const category = this.ctx.caseCategory({ sureOnly: true });
        const templates = this.templates(category).filter((t) => t.kind !== "follow_up");
        return { category, templates, caseId: null };
      }
      const categories = Object.keys(this.ctx.store.get("categories") || {});
      const followUps = categories.flatMap((id) => this.templates(id)).filter((t) => t.kind === "follow_up");
      return { category: null, templates: followUps.slice(0, 1), caseId: page.caseId };
    },

    /** The draft changes with every keystroke: redraw only when what we offer changes. */
    refresh() {
      if (offerKey(this.offer()) !== this.offered) this.render();
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !ctx.overlay) return;
      const section = ctx.overlay.section(ID);
      const offer = this.offer();
      const { category, caseId } = offer;
      const templates = ctx.anchors.description ? offer.templates : [];
      this.offered = offerKey(offer);
      if (!templates.some((t) => t.id === this.chosen)) this.chosen = null;
      ctx.store.set("templateOffered", templates.length > 0); // for the tips beside our button
      if (!templates.length) {
        section.replaceChildren();
        return;
      }
      const h = ctx.h;
      const select = h(
        "select",
        {
          "data-ssc-template": "",
          "aria-label": ctx.t("composeTemplateLabel"),
          onchange: ctx.guard(ID, (e) => {
            this.chosen = e.target.value;
          }),
        },
        templates.map((t) => h("option", { value: t.id, text: ctx.i18n.pick(t.label), selected: t.id === (this.chosen || templates[0].id) }))
      );
      const button = h("button", {
        type: "button",
        id: "ssc-compose",
        class: "primary",
        "data-ssc-action": "compose",
        disabled: this.busy,
        text: ctx.t("composeButton"),
        onclick: ctx.guard(ID, () => this.compose(category, select.value, caseId)),
      });
      section.replaceChildren(
        h(
          "div",
          { "data-ssc-composer": category || "case" },
          h("div", { class: "section-title", text: ctx.t("composerTitle") }),
          h("div", { class: "actions" }, select, button),
          this.status(),
          this.composed()
        )
      );
    },

    /** Working, or why it did not work (the box is untouched then). */
    status() {
      const ctx = this.ctx;
      if (this.busy) return ctx.h("div", { class: "muted", role: "status", text: ctx.t("composeBusy") });
      if (!this.error) return "";
      const why = isBilingual(this.error.message) ? this.error.message : SSC.errorText(ctx.i18n, this.error);
      const text = ctx.t("composeFailed", [why]);
      return ctx.h("div", { class: "advice", role: "alert", "data-ssc-compose-error": this.error.code || "error", text });
    },

    /** The composed case: what was filled in, the subject, and every placeholder left, explained. */
    composed() {
      const r = this.result;
      if (!r) return "";
      const ctx = this.ctx;
      const h = ctx.h;
      const out = h("div", { "data-ssc-compose-result": r.template && r.template.id });
      const filled = r.filled.map((f) => ctx.i18n.pick(f.label) + " " + f.value);
      if (filled.length) out.appendChild(h("div", { class: "muted", "data-ssc-filled": "", text: ctx.t("composeFilled", [filled.join(" · ")]) }));
      out.appendChild(h("div", { class: "muted", text: ctx.t("composeSpelling_" + (r.spelling === "british" ? "british" : "american")) }));
      out.appendChild(h("div", null, h("span", { class: "muted", text: ctx.t("composeSubject") + " " }), h("span", { "data-ssc-compose-subject": "", text: r.subject })));
      if (r.submit_where) out.appendChild(h("div", { class: "advice", "data-ssc-submit-where": "", text: ctx.i18n.pick(r.submit_where) }));
      if (r.remaining.length) {
        out.appendChild(h("div", { class: "section-title", text: ctx.t("composeRemaining", [String(r.remaining.length)]) }));
        out.appendChild(
          h(
            "ul",
            { "data-ssc-remaining": "" },
            r.remaining.map((p) =>
              h(
                "li",
                { "data-ssc-placeholder": p.name },
                h("strong", { text: p.name }),
                " " + ctx.t("composePlaceholder", [ctx.i18n.pick(p.label), ctx.i18n.pick(p.explain)]),
                h("div", { class: "muted", text: ctx.t("composeExample", [p.example]) })
              )
            )
          )
        );
      } else {
        out.appendChild(h("div", { class: "muted", "data-ssc-remaining": "", text: ctx.t("composeNoneLeft") }));
      }
      if (this.previous) {
        out.appendChild(
          h(
            "div",
            { class: "actions" },
            h("button", {
              type: "button",
              class: "secondary",
              "data-ssc-action": "restore-draft",
              text: ctx.t("composeRestore"),
              onclick: ctx.guard(ID, () => this.restore()),
            })
          )
        );
      }
      return out;
    },

    /** The seller's click: compose and put the English into the description box. */
    async compose(category, templateId, caseId) {
      if (this.busy) return; // (SSC.h runs onclick for the seller's own clicks only)
      const ctx = this.ctx;
      const box = ctx.anchors.description;
      if (!box) return;
      const draft = ctx.store.get("draft") || {};
      const current = SSC.dom.getText(box);
      // Ids are looked for in the seller's text, also the one we replaced last time.
      const text = SSC.clipText([this.previous, current].filter(Boolean).join("\n"), ctx.store.get("contract"));
      const message = {
        template: templateId,
        category,
        marketplace: ctx.store.get("marketplace") || "US",
        text,
        reference_numbers: Object.values(draft.fields || {}).filter(Boolean).slice(0, 20),
        values: this.knownValues(caseId, draft),
      };
      this.busy = true;
      this.error = null;
      this.render();
      const reply = await SSC.send("ssc:compose", message, TIMEOUT_MS);
      this.busy = false;
      if (!reply.ok || !validResult(reply.data)) {
        this.error = reply.error || { code: "bad_response" };
        this.render();
        return;
      }
      const now = SSC.dom.getText(box);
      // Keep the seller's own text (typed meanwhile too), never our last composition.
      if (now.trim() && !(this.result && now === this.result.text)) this.previous = now;
      this.result = reply.data;
      SSC.dom.setText(box, reply.data.text);
      SSC.dom.focus(box);
      this.render();
    },

    /** What the page tells us for the template: the store name in its header, the case id
     * in a case page's address (only that one: any 8-14 digits in the text look like one),
     * the files attached on the form. */
    knownValues(caseId, draft) {
      const values = {};
      const store = this.ctx.anchors.store_name;
      const name = store ? store.textContent.replace(/\s+/g, " ").trim() : "";
      if (name && name.length <= SSC.FIELD_LIMIT) values.STORE_NAME = name; // the backend's limit per value
      if (caseId) values.CASE_ID = caseId;
      const attached = this.attachedNames(draft);
      if (attached) values.ATTACHMENTS = attached;
      return values;
    },

    /** The names of the files attached on the form (kept in the draft across Amazon's
     * steps, and those in its file inputs now), as many as fit in one value. */
    attachedNames(draft) {
      const names = [...new Set([...(draft.attachments || []), ...SSC.dom.attachmentNames(this.ctx.frames.roots())])];
      let joined = "";
      for (const n of names) {
        const next = joined ? joined + ", " + n : n;
        if (next.length > SSC.FIELD_LIMIT) break;
        joined = next;
      }
      return joined;
    },

    /** Back to what the seller had written before we composed. */
    restore() {
      const box = this.ctx.anchors.description;
      if (!box || !this.previous) return;
      SSC.dom.setText(box, this.previous);
      SSC.dom.focus(box);
      this.previous = null;
      this.result = null;
      this.render();
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

/*
 * Feature "case-draft": the case being written, as one thing across Amazon's steps. On
 * the Help Center the description is typed on the describe step and sent two steps and
 * one frame later, so whatever the seller gave Amazon's form is remembered here
 * (ctx.store "draft"): the description, what was typed in the page's own fields
 * (steps taken, reference numbers, order id, ASIN, SKU), the names of attached files,
 * whether the page offered an upload, and the category picked on Amazon's issue cards
 * or chips (selectors' page_categories). The background keeps it per tab
 * (ssc:draftSave / ssc:draftLoad) across frame reloads and page loads; it is forgotten
 * once the case is sent.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const dom = SSC.dom;
  // The page's own fields whose values count as the seller's reference numbers.
  const FIELDS = ["steps_taken", "reference_numbers", "order_id_input", "asin_input", "sku_input"];
  const SAVE_DELAY_MS = 300;
  // How far up from the clicked element a card or chip's label is looked for.
  const CHOICE_DEPTH = 4;
  const CHOICE_MAX_LABEL = 80;

  function emptyDraft() {
    return { origin: location.origin, description: "", fields: {}, attachments: [], pageCategory: null, uploadOffered: false, startedAt: Date.now() };
  }

  SSC.registerFeature("case-draft", {
    init(ctx) {
      this.ctx = ctx;
      this.saveTimer = null;
      ctx.store.set("draft", emptyDraft());
      ctx.frames.listen("input", ctx.guard("case-draft", (e) => this.onInput(e)));
      ctx.frames.listen("change", ctx.guard("case-draft", (e) => this.onChange(e)));
      ctx.frames.listen("click", ctx.guard("case-draft", (e) => this.onClick(e)));
      ctx.store.subscribe("draft", () => this.scheduleSave());
      ctx.on("submitted", () => this.forget());
      this.restore();
    },

    async restore() {
      const reply = await SSC.send("ssc:draftLoad");
      const saved = reply && reply.ok && reply.data ? reply.data.draft : null;
      if (!SSC.isObject(saved) || saved.origin !== location.origin) return;
      const now = this.ctx.store.get("draft");
      // What the seller typed on this page since it loaded wins over the saved copy.
      this.ctx.store.set("draft", {
        ...saved,
        description: now.description || saved.description,
        fields: { ...saved.fields, ...now.fields },
        attachments: now.attachments.length ? now.attachments : saved.attachments,
        pageCategory: now.pageCategory || saved.pageCategory,
        uploadOffered: now.uploadOffered || saved.uploadOffered,
      });
    },

    update(patch) {
      this.ctx.store.set("draft", { ...this.ctx.store.get("draft"), ...patch });
    },

    onAnchors(anchors) {
      if (anchors.file_upload && !this.ctx.store.get("draft").uploadOffered) this.update({ uploadOffered: true });
      if (anchors.description) this.readDescription(anchors.description);
      for (const name of FIELDS) if (anchors[name]) this.readField(name, anchors[name]);
    },

    readDescription(el) {
      const text = SSC.clipText(dom.getText(el), this.ctx.store.get("contract"));
      if (text && text !== this.ctx.store.get("draft").description) this.update({ description: text });
    },

    readField(name, el) {
      const value = dom.getText(el).slice(0, SSC.FIELD_LIMIT);
      const draft = this.ctx.store.get("draft");
      if (value !== (draft.fields[name] || "") && (value || draft.fields[name])) this.update({ fields: { ...draft.fields, [name]: value } });
    },

    onInput(e) {
      const anchors = this.ctx.anchors;
      if (dom.pathIncludes(e, anchors.description)) return this.readDescription(anchors.description);
      const name = FIELDS.find((n) => dom.pathIncludes(e, anchors[n]));
      if (name) this.readField(name, anchors[name]);
    },

    /** A file chosen in any file input of the form counts as an attachment. */
    onChange(e) {
      const input = dom.onPath(e, (el) => el.localName === "input" && el.type === "file");
      if (!input || dom.isOurs(input)) return;
      const names = dom.fileNames(input);
      const draft = this.ctx.store.get("draft");
      const merged = [...new Set([...draft.attachments, ...names])].slice(0, 50);
      this.update({ attachments: merged, uploadOffered: true });
    },

    /** A click on one of Amazon's issue cards or category chips: the category the seller picked. */
    onClick(e) {
      const choices = this.ctx.store.get("selectors").page_categories;
      if (!Array.isArray(choices) || !choices.length) return;
      const path = e.composedPath ? e.composedPath() : [];
      for (const el of path.slice(0, CHOICE_DEPTH + 1)) {
        if (!el || el.nodeType !== 1 || dom.isOurs(el)) continue;
        const label = dom.labelOf(el);
        if (!label || label.length > CHOICE_MAX_LABEL) continue;
        const hit = choices.find((c) => dom.textList(c).some((t) => label === t || label.startsWith(t + " ")));
        if (hit) return this.update({ pageCategory: hit.category });
      }
    },

    scheduleSave() {
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(this.ctx.guard("case-draft", () => SSC.send("ssc:draftSave", { draft: this.ctx.store.get("draft") })), SAVE_DELAY_MS);
    },

    /** The case went to Amazon: the next one starts empty. */
    forget() {
      clearTimeout(this.saveTimer);
      this.ctx.store.set("draft", emptyDraft());
      clearTimeout(this.saveTimer); // the subscriber scheduled a save of the empty draft: send null instead
      SSC.send("ssc:draftSave", { draft: null });
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

/*
 * Feature "case-draft": the case being written, as one thing across Amazon's steps. On
 * the Help Center the description is typed on the describe step and sent two steps and
 * one frame later, so whatever the seller gave Amazon's form is remembered here
 * (ctx.store "draft"): the description, what was typed in the page's own fields
 * (steps taken, reference numbers, order id, ASIN, SKU), the names of attached files,
 * whether the page offered an upload, the category picked on Amazon's issue cards
 * or chips (selectors' page_categories), and from our hints (ctx.store "classification")
 * our top suggestion and the seller's pick among them. The background keeps it per tab
 * (ssc:draftSave / ssc:draftLoad) across frame reloads and page loads. Once the case is
 * sent it is marked sent (so a second Send of it is not recorded again); the next case
 * starts when the seller describes something new or Amazon's issue cards show again.
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

  /** What our hints say now: {suggested, hintPick}, each a category id or null. */
  function fromHints(classification) {
    const c = classification || {};
    return { suggested: SSC.isId(c.suggested) ? c.suggested : null, hintPick: SSC.isId(c.picked) ? c.picked : null };
  }

  /** A new case; it starts with what our hints say now (a new text is classified again anyway). */
  function emptyDraft(classification) {
    return {
      origin: location.origin,
      description: "",
      fields: {},
      attachments: [],
      pageCategory: null,
      ...fromHints(classification),
      uploadOffered: false,
      startedAt: Date.now(),
      sentAt: null,
    };
  }

  SSC.registerFeature("case-draft", {
    init(ctx) {
      this.ctx = ctx;
      this.saveTimer = null;
      ctx.store.set("draft", this.newDraft());
      ctx.frames.listen("input", ctx.guard("case-draft", (e) => this.onInput(e)));
      ctx.frames.listen("change", ctx.guard("case-draft", (e) => this.onChange(e)));
      ctx.frames.listen("click", ctx.guard("case-draft", (e) => this.onClick(e)));
      ctx.store.subscribe("draft", () => this.scheduleSave());
      ctx.store.subscribe("classification", (c) => this.readHints(c));
      ctx.on("submitted", () => this.update({ sentAt: Date.now() }));
      this.restore();
    },

    async restore() {
      const reply = await SSC.send("ssc:draftLoad");
      const saved = reply && reply.ok && reply.data ? reply.data.draft : null;
      if (!SSC.isObject(saved) || saved.origin !== location.origin) return;
      // A case already sent is done: this page starts the next one.
      if (saved.sentAt) return SSC.send("ssc:draftSave", { draft: null });
      const now = this.ctx.store.get("draft");
      // What the seller typed on this page since it loaded wins over the saved copy.
      this.ctx.store.set("draft", {
        ...saved,
        description: now.description || saved.description,
        fields: { ...saved.fields, ...now.fields },
        attachments: now.attachments.length ? now.attachments : saved.attachments,
        pageCategory: now.pageCategory || saved.pageCategory,
        suggested: now.suggested || saved.suggested || null,
        hintPick: now.hintPick || saved.hintPick || null,
        uploadOffered: now.uploadOffered || saved.uploadOffered,
      });
    },

    newDraft() {
      return emptyDraft(this.ctx.store.get("classification"));
    },

    /** A classification arrived or the seller picked among our hints: the draft follows. */
    readHints(classification) {
      const hints = fromHints(classification);
      const draft = this.ctx.store.get("draft");
      if (draft.suggested !== hints.suggested || draft.hintPick !== hints.hintPick) this.update(hints);
    },

    update(patch) {
      this.ctx.store.set("draft", { ...this.ctx.store.get("draft"), ...patch });
    },

    onAnchors(anchors) {
      // A sent case, and Amazon's first step shows again: a new case begins.
      if (this.ctx.store.get("draft").sentAt && anchors.issue_not_listed) this.ctx.store.set("draft", this.newDraft());
      if (anchors.file_upload && !this.ctx.store.get("draft").uploadOffered) this.update({ uploadOffered: true });
      if (anchors.description) this.readDescription(anchors.description);
      for (const name of FIELDS) if (anchors[name]) this.readField(name, anchors[name]);
    },

    /** The description as the box holds it; emptied by the seller (an input) counts, a re-rendered empty box does not. */
    readDescription(el, typed) {
      const text = SSC.clipText(dom.getText(el), this.ctx.store.get("contract"));
      const draft = this.ctx.store.get("draft");
      if (text === draft.description || (!text && !typed)) return;
      if (draft.sentAt && text) this.ctx.store.set("draft", { ...this.newDraft(), description: text }); // a new case
      else this.update({ description: text });
    },

    readField(name, el) {
      const value = dom.getText(el).slice(0, SSC.FIELD_LIMIT);
      const draft = this.ctx.store.get("draft");
      if (value !== (draft.fields[name] || "") && (value || draft.fields[name])) this.update({ fields: { ...draft.fields, [name]: value } });
    },

    onInput(e) {
      const anchors = this.ctx.anchors;
      if (dom.pathIncludes(e, anchors.description)) return this.readDescription(anchors.description, true);
      const name = FIELDS.find((n) => dom.pathIncludes(e, anchors[n]));
      if (name) this.readField(name, anchors[name]);
    },

    /** The files chosen in the form's file inputs now (a removed file no longer counts). */
    onChange(e) {
      const input = dom.onPath(e, (el) => el.localName === "input" && el.type === "file");
      if (!input || dom.isOurs(input)) return;
      this.update({ attachments: dom.attachmentNames(this.ctx.frames.roots()), uploadOffered: true });
    },

    /** A click on one of Amazon's issue cards or category chips: the category the seller picked. */
    onClick(e) {
      if (!e.isTrusted) return; // only the seller's own clicks pick a category
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

  });
})(typeof globalThis !== "undefined" ? globalThis : self);

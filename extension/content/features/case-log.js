/*
 * Feature "case-log": when the page's submit goes through (no findings, "Submit
 * anyway", or a backend that did not answer), record the case in the backend's
 * case log for duplicate warnings and follow-up reminders. Fire and forget: the
 * submission has already gone; a failure here is only logged at debug level.
 * The case carries the category the seller chose and, when we had classified the text,
 * `suggested` (our top hint): a case whose category differs is a correction the
 * backend's classifier learns from.
 * The case carries its store (merchant id and name) when the page named it.
 * The seller can switch the log off in the options (the background checks it).
 * Amazon's case id, once a page shows it, goes to the case this tab recorded.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const CONTACT_METHODS = ["case", "phone", "chat"];

  SSC.registerFeature("case-log", {
    init(ctx) {
      this.ctx = ctx;
      this.seenCaseId = null;
      ctx.on("submitted", (s) => {
        // A case id already on the page (an older case's link) is not the new case's.
        this.seenCaseId = this.caseIdOnPage();
        this.record(s);
      });
    },

    /**
     * Amazon's case id on this page (the confirmation after a send, the chat window, a
     * case page): the background stores it on the case this tab (or the tab that opened
     * this window) has just recorded, once.
     */
    onScan() {
      const caseId = this.caseIdOnPage();
      if (!caseId || caseId === this.seenCaseId) return;
      this.seenCaseId = caseId;
      SSC.send("ssc:caseIdSeen", { case_id: caseId });
    },

    /** From the case_id anchor (a caseID= link, else its text), else this page's own caseID= parameter. */
    caseIdOnPage() {
      const contract = this.ctx.store.get("contract");
      const selectors = this.ctx.store.get("selectors");
      const el = this.ctx.anchors.case_id;
      const found = (text) => SSC.findIdentifier(text || "", contract, "amazon_case_id");
      const inUrl = (href, base) => found(SSC.caseIdInUrl(href, base, selectors.case_links));
      if (SSC.dom.alive(el)) {
        const href = el.getAttribute("href");
        const id = href ? inUrl(href, el.ownerDocument.baseURI) : found(el.textContent);
        if (id) return id;
      }
      const anchor = (selectors.anchors || {}).case_id;
      const here = anchor && Array.isArray(anchor.paths) && anchor.paths.some((p) => location.pathname.startsWith(p));
      return here ? inUrl(location.href) : null;
    },

    record(s) {
      const ctx = this.ctx;
      if (!s || typeof s.text !== "string" || !s.text.trim()) return;
      if (ctx.settings && ctx.settings.recordCases === false) return;
      const payload = {
        // The backend refuses a longer text: the case keeps its first max_text_length characters.
        text: SSC.clipText(s.text, ctx.store.get("contract")),
        category: SSC.valid.id(s.category) ? s.category : "other",
        marketplace: (SSC.MARKETPLACE_CODES || []).includes(s.marketplace) ? s.marketplace : "US",
        contact_method: CONTACT_METHODS.includes(s.contact_method) ? s.contact_method : "case",
      };
      if (SSC.valid.id(s.suggested)) payload.suggested = s.suggested; // no classification known: none
      // The store it was filed for, as far as the page said (feature "seller-store").
      const store = ctx.store.get("sellerStore");
      if (store && store.id) payload.store_id = store.id;
      if (store && store.name) payload.store_name = store.name;
      SSC.send("ssc:caseRecord", payload).then(
        ctx.guard("case-log", (reply) => {
          if (!reply.ok) console.debug("[Seller Support Companion] case not recorded", reply.error);
        })
      );
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

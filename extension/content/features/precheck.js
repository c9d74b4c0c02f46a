/*
 * Feature "precheck": before the page moves the case on, ask the backend's /precheck
 * on everything known by then (ctx.store "draft": the description, the page's own
 * reference fields, attachments, the category picked on Amazon's form). It runs twice
 * on the Help Center: when the seller leaves the describe step (Continue, stage
 * "describe") and at Send / Chat now on the contact step (stage "send"); on the
 * classic contact page at its Send / Submit or form submit. Warning or error findings
 * hold the click and open the panel [data-ssc="precheck"] with "Fix" (back to the form)
 * and "Submit anyway" / "Continue anyway" (lets the original click through exactly
 * once). No findings, backend down, slow (> 1.5 s) or any exception: the click goes
 * through. We never block the seller. Only a send is reported as "submitted" (the case
 * log records it); a reply on an existing case (the case page's Reply) is not checked.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const dom = SSC.dom;
  const TIMEOUT_MS = 1500;
  // A form submit counts as the seller's when it follows their own click or key press this closely.
  const SELLER_SUBMIT_MS = 1000;
  // The page's controls that move a case on: anchor name, stage, and the contact method
  // the control itself stands for (null: read the page's contact tabs or options).
  const HELD_CONTROLS = [
    { anchor: "continue", stage: "describe", method: null },
    { anchor: "submit", stage: "send", method: null },
    { anchor: "chat_now", stage: "send", method: "chat" },
  ];

  SSC.registerFeature("precheck", {
    init(ctx) {
      this.ctx = ctx;
      this.bypass = false; // true while we re-dispatch a held action
      this.pending = null; // the held action
      this.panel = null;
      // Capture phase on every window we look at: we see the click before any page handler.
      this.sellerActedAt = -Infinity; // the seller's last own click or key press
      ctx.frames.listen("keydown", (e) => this.noteSeller(e));
      ctx.frames.listen("click", (e) => this.onClick(e));
      ctx.frames.listen("submit", (e) => this.onSubmit(e));
    },

    /**
     * Only where a case form is expected (support_pages' `form`): not in the chat window,
     * on a case's page (a reply is not a new case) or in the case log.
     */
    active() {
      const ctx = this.ctx;
      return !!(ctx && ctx.overlay && ctx.overlay.visible()) && ctx.anchorFinder.formExpected();
    },

    /** The held control on this event's path: {el, anchor, stage, method}, or null. */
    heldControl(e) {
      const data = this.ctx.anchorFinder.data(); // the anchors and selectors that apply on this page
      for (const c of HELD_CONTROLS) {
        const known = this.ctx.anchors[c.anchor];
        const el = dom.onPath(e, (node) => node === known || dom.isAnchorButton(node, data[c.anchor]));
        if (el) return { el, ...c };
      }
      return null;
    },

    noteSeller(e) {
      if (e.isTrusted) this.sellerActedAt = performance.now();
    },

    /**
     * Only the seller's own clicks and submits are held (and so can be recorded): a page
     * script's .click() is not. A form submit is an event the browser itself fires (so it
     * is "trusted") even when a script clicked the button: it counts only right after the
     * seller's own click or key press.
     */
    onClick(e) {
      this.noteSeller(e);
      try {
        if (this.bypass || !e.isTrusted || !this.active() || e.defaultPrevented) return;
        if (e.button !== undefined && e.button !== 0) return;
        const path = e.composedPath ? e.composedPath() : [];
        if (path.includes(this.ctx.overlay.host)) return; // clicks in our own UI
        const control = this.heldControl(e);
        if (!control) return;
        const target = path[0] && path[0].nodeType === 1 ? path[0] : control.el;
        this.hold(e, { kind: "click", target, anchor: control.anchor, stage: control.stage, method: control.method });
      } catch (err) {
        this.ctx.reportError("precheck", err); // and let the click through
      }
    },

    onSubmit(e) {
      try {
        const bySeller = e.isTrusted && performance.now() - this.sellerActedAt < SELLER_SUBMIT_MS;
        if (this.bypass || !bySeller || !this.active() || e.defaultPrevented) return;
        const form = e.target;
        if (!form || form.localName !== "form") return;
        const { description, submit } = this.ctx.anchors;
        const inner = description && dom.innerControl(description);
        const related = [description, inner, submit].some((el) => el && form.contains(el));
        if (!related) return;
        this.hold(e, { kind: "submit", form, submitter: e.submitter || null, anchor: "submit", stage: "send", method: null });
      } catch (err) {
        this.ctx.reportError("precheck", err);
      }
    },

    hold(e, action) {
      e.preventDefault();
      e.stopImmediatePropagation();
      if (this.pending) return; // already checking this submission (double click)
      this.pending = action;
      const ctx = this.ctx;
      ctx
        .guard("precheck", () => this.check(action))()
        .then(
          (findings) => {
            if (this.pending !== action) return;
            const blocking = (findings || []).filter((f) => f && (f.severity === "warning" || f.severity === "error"));
            if (blocking.length) this.showPanel(action, findings);
            else this.release(action);
          },
          () => this.release(action)
        )
        .then(undefined, () => this.release(action));
    },

    /** The description: from the box while it is on the page, else as the seller left it on the describe step. */
    descriptionText() {
      const box = this.ctx.anchors.description;
      if (dom.alive(box)) return dom.getText(box);
      const draft = this.ctx.store.get("draft");
      return draft ? draft.description : "";
    },

    /** How the seller chose to be contacted: the control itself (Chat now), the page's tabs or options, else a case. */
    contactMethod(action) {
      const ctx = this.ctx;
      const words = ctx.store.get("selectors").contact_methods;
      return action.method || dom.contactMethod(ctx.anchors.contact_tabs, words, ctx.frames.roots()) || "case";
    },

    /**
     * The category the backend named for this action, else the case's (ctx.caseCategory: the
     * seller's pick among our hints, else the one picked on Amazon's form, else our top hint).
     */
    category(action) {
      return action.category || this.ctx.caseCategory();
    },

    /** Ask the backend; resolves findings, or [] on any failure / after 1.5 s. */
    async check(action) {
      const ctx = this.ctx;
      // A description box that appeared since the last pass is read now (with nothing known yet).
      if (action.stage === "describe" || !this.descriptionText()) ctx.anchorFinder.current();
      const draft = ctx.store.get("draft") || { fields: {}, attachments: [], uploadOffered: false };
      const attachments = [...new Set([...draft.attachments, ...dom.attachmentNames(ctx.frames.roots())])].slice(0, 50);
      const payload = {
        // The backend refuses a longer text: check its first max_text_length characters.
        text: SSC.clipText(this.descriptionText(), ctx.store.get("contract")),
        category: this.category(action),
        marketplace: ctx.store.get("marketplace") || "US",
        contact_method: this.contactMethod(action),
        attachments,
        reference_numbers: Object.values(draft.fields).filter(Boolean).slice(0, 20),
        upload_offered: draft.uploadOffered || !!ctx.anchors.file_upload || attachments.length > 0,
        stage: action.stage,
      };
      // The store the page is for, so that the duplicate check looks at this store's cases.
      const store = ctx.store.get("sellerStore");
      if (store && store.id) payload.store_id = store.id;
      const reply = await SSC.send("ssc:precheck", payload, TIMEOUT_MS);
      if (reply && reply.ok && reply.data && SSC.valid.id(reply.data.category)) action.category = reply.data.category;
      if (!reply || !reply.ok || !reply.data || !Array.isArray(reply.data.findings)) {
        if (reply && reply.error && reply.error.code === "offline") ctx.setBackend(ctx.backend.state === "cache" ? "cache" : "offline", ctx.backend.cachedAt);
        return [];
      }
      return SSC.valid.findings(reply.data.findings);
    },

    /** Let the held action through, exactly once. */
    release(action) {
      if (!action || action.released) return;
      action.released = true;
      if (this.pending === action) this.pending = null;
      this.closePanel();
      this.bypass = true;
      let sent = false;
      try {
        if (action.kind === "click") {
          let target = action.target;
          if (!dom.alive(target)) {
            // The form was re-rendered while we waited: click the same control as it is now.
            const now = this.ctx.anchors[action.anchor];
            target = dom.alive(now) ? now : null;
          }
          if (target) {
            const inner = /^kat-/.test(target.localName) && target.shadowRoot ? target.shadowRoot.querySelector("button") : null;
            (inner || target).click();
            sent = true;
          }
        } else if (dom.alive(action.form)) {
          const s = action.submitter;
          if (typeof action.form.requestSubmit === "function") action.form.requestSubmit(s && s.isConnected && s.form === action.form ? s : undefined);
          else action.form.submit();
          sent = true;
        }
      } finally {
        this.bypass = false;
      }
      // One case per draft: a second Send of the same case (Amazon refused the first, say)
      // is not recorded again.
      const draft = this.ctx.store.get("draft");
      if (sent && action.stage === "send" && !(draft && draft.sentAt)) {
        const submission = this.submission(action);
        this.ctx.anchorFinder.expectCaseId(SSC.CASE_ID_WINDOW_MS);
        this.ctx.emit("submitted", submission);
      }
    },

    /**
     * What went through, for the case log (feature "case-log", which fits the text to the
     * contract): the category the seller chose, and our top hint (`suggested`, null when
     * nothing was classified); when they differ, the backend learns from the case.
     */
    submission(action) {
      const draft = this.ctx.store.get("draft");
      return {
        text: this.descriptionText(),
        category: this.category(action),
        suggested: (draft && draft.suggested) || null,
        marketplace: this.ctx.store.get("marketplace") || "US",
        contact_method: this.contactMethod(action),
      };
    },

    cancel(action) {
      if (this.pending === action) this.pending = null;
      action.released = true;
      this.closePanel();
      const d = this.ctx.anchors.description;
      if (dom.alive(d)) dom.focus(d);
    },

    closePanel() {
      if (this.panel) {
        this.panel.remove();
        this.panel = null;
      }
    },

    /**
     * Under a duplicate_case finding: when the earlier case was filed and a link to it. The
     * finding's message already says how long ago and Amazon's case id (never our log's own
     * number), so neither is repeated here.
     */
    duplicateDetail(data) {
      const ctx = this.ctx;
      const h = ctx.h;
      const t = ctx.t.bind(ctx);
      const d = data && typeof data === "object" ? data : {};
      const pk = typeof d.case_pk === "string" && /^[0-9]{1,18}$/.test(d.case_pk) ? d.case_pk : null;
      if (!pk) return null;
      const amazonId = SSC.isAmazonCaseId(d.case_id) ? d.case_id : "";
      const filed = typeof d.filed_at === "string" ? Date.parse(d.filed_at) : NaN;
      const when = Number.isFinite(filed) ? SSC.hours.fmt(filed, ctx.settings.sellerTimezone, ctx.i18n.locale, true) : "?";
      // Seller Central on this page's own origin: the case itself when Amazon's id is known, else the case log.
      const href = SSC.caseUrl(root.location.origin, ctx.store.get("selectors").case_links, amazonId);
      return h(
        "div",
        { class: "dup", "data-ssc-dup-case": pk, "data-ssc-dup-case-id": amazonId || null },
        t("precheckDupFiled", [when]),
        " ",
        h("a", { href, target: "_blank", rel: "noopener noreferrer", "data-ssc-dup-link": "", text: t(amazonId ? "precheckDupOpenCase" : "precheckDupOpenLog") })
      );
    },

    /**
     * Tab from the dialog's last control goes to its first, Shift+Tab from the first to the
     * last; from anywhere else in the dialog (its text, clicked) to the first or the last.
     */
    keepFocusIn(dialog, e) {
      const controls = [...dialog.querySelectorAll("a[href], button:not([disabled])")];
      if (!controls.length) return;
      const first = controls[0];
      const last = controls[controls.length - 1];
      const current = this.ctx.overlay.shadow.activeElement;
      if (!controls.includes(current) || (e.shiftKey ? current === first : current === last)) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      }
    },

    showPanel(action, findings) {
      const ctx = this.ctx;
      const h = ctx.h;
      const t = ctx.t.bind(ctx);
      this.closePanel();
      const order = { error: 0, warning: 1, info: 2 };
      const sorted = [...findings].sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3));
      const once = (fn) => {
        let used = false;
        return ctx.guard("precheck", () => {
          if (used) return;
          used = true;
          fn();
        });
      };
      const fix = once(() => this.cancel(action));
      const fixBtn = h("button", { type: "button", class: "primary", "data-ssc-action": "fix", text: t("precheckFix"), onclick: fix });
      const anywayBtn = h("button", {
        type: "button",
        class: "secondary",
        "data-ssc-action": "submit-anyway",
        text: t(action.stage === "describe" ? "precheckContinueAnyway" : "precheckSubmitAnyway"),
        onclick: once(() => this.release(action)),
      });
      const dialog = h(
        "div",
        { class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "ssc-precheck-title", "aria-describedby": "ssc-precheck-intro", tabindex: "-1" },
        h("h2", { id: "ssc-precheck-title", text: t("precheckTitle") }),
        h("div", { class: "muted", id: "ssc-precheck-intro", text: t("precheckIntro") }),
        sorted.map((f) =>
          h(
            "div",
            { class: "finding", "data-ssc-finding": String(f.code || "unknown"), "data-severity": f.severity || "info" },
            h("span", { class: "sev", text: t("severity_" + (["error", "warning", "info"].includes(f.severity) ? f.severity : "info")) }),
            h("span", { text: ctx.i18n.pick(f.message) || String(f.code) }),
            f.source ? [" ", SSC.sourceLabel(ctx.i18n, f.source)] : null,
            f.code === "duplicate_case" ? this.duplicateDetail(f.data) : null,
            SSC.adviceList(ctx.i18n, f.advice) // checks.yaml see_also: Amazon's guidance beside the article's
          )
        ),
        h("div", { class: "actions" }, fixBtn, anywayBtn)
      );
      this.panel = h("div", { class: "backdrop", "data-ssc": "precheck" }, dialog);
      // A click on the backdrop leaves the focus in the dialog (so Esc and Tab still work there).
      this.panel.addEventListener("mousedown", (e) => {
        if (e.target === this.panel) e.preventDefault();
      });
      // Esc is Fix; Tab stays in the dialog (it is modal), wrapping between its first and last control.
      this.panel.addEventListener("keydown", ctx.guard("precheck", (e) => {
        if (!e.isTrusted) return;
        if (e.key === "Escape") {
          e.preventDefault();
          fix();
        } else if (e.key === "Tab") {
          this.keepFocusIn(dialog, e);
        }
      }));
      ctx.overlay.modal.appendChild(this.panel);
      fixBtn.focus();
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

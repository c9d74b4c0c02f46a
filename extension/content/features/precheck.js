/*
 * Feature "precheck": before the page's own submit (Send / Submit / 发送 / 提交,
 * a form submit, or Enter), ask the backend's /precheck. Warning or error
 * findings hold the submission and open the panel [data-ssc="precheck"] with
 * "Fix" (back to the form) and "Submit anyway" (lets the original click through
 * exactly once). No findings, backend down, slow (> 1.5 s) or any exception:
 * the submission goes through. We never block the seller.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const TIMEOUT_MS = 1500;

  SSC.registerFeature("precheck", {
    init(ctx) {
      this.ctx = ctx;
      this.bypass = false; // true while we re-dispatch a held action
      this.pending = null; // the held action
      this.panel = null;
      const onClick = (e) => this.onClick(e);
      const onSubmit = (e) => this.onSubmit(e);
      // Capture phase on window: we see the click before any page handler.
      root.addEventListener("click", onClick, true);
      root.addEventListener("submit", onSubmit, true);
    },

    active() {
      const ctx = this.ctx;
      return !!(ctx && ctx.overlay && ctx.overlay.visible());
    },

    /** The page's submit control on this event's path, if any. */
    submitOnPath(e) {
      const anchor = (this.ctx.store.get("selectors").anchors || {}).submit;
      const path = e.composedPath ? e.composedPath() : [e.target];
      const known = this.ctx.anchors.submit;
      for (const el of path) {
        if (!el || el.nodeType !== 1) continue;
        if (el === known || SSC.dom.isSubmitControl(el, anchor)) return el;
        if (el === document.body) break;
      }
      return null;
    },

    onClick(e) {
      try {
        if (this.bypass || !this.active() || e.defaultPrevented) return;
        if (e.button !== undefined && e.button !== 0) return;
        const path = e.composedPath ? e.composedPath() : [];
        if (path.includes(this.ctx.overlay.host)) return; // clicks in our own UI
        const submit = this.submitOnPath(e);
        if (!submit) return;
        const target = path[0] && path[0].nodeType === 1 ? path[0] : submit;
        this.hold(e, { kind: "click", target, submit });
      } catch (err) {
        this.ctx.reportError("precheck", err); // and let the click through
      }
    },

    onSubmit(e) {
      try {
        if (this.bypass || !this.active() || e.defaultPrevented) return;
        const form = e.target;
        if (!form || form.localName !== "form") return;
        const d = this.ctx.anchors.description;
        const inner = d && SSC.dom.innerControl(d);
        const related = (d && form.contains(d)) || (inner && form.contains(inner)) || this.ctx.anchors.submit && form.contains(this.ctx.anchors.submit);
        if (!related) return;
        this.hold(e, { kind: "submit", form, submitter: e.submitter || null });
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

    /** The description box; looked up now if a submit comes before the first anchor scan. */
    description() {
      const ctx = this.ctx;
      const known = ctx.anchors.description;
      if (known && known.isConnected) return known;
      return SSC.dom.findDescription((ctx.store.get("selectors").anchors || {}).description) || null;
    },

    /** How the seller chose to be contacted, from the selectors' contact-method words. */
    contactMethod() {
      return SSC.dom.contactMethod(this.ctx.store.get("selectors").contact_methods);
    },

    /** Ask the backend; resolves findings, or [] on any failure / after 1.5 s. */
    async check(action) {
      const ctx = this.ctx;
      const d = this.description();
      const text = d ? SSC.dom.getText(d) : "";
      const payload = {
        // The backend refuses a longer text: check its first max_text_length characters.
        text: SSC.clipText(text, ctx.store.get("contract")),
        category: ctx.store.get("category"),
        marketplace: ctx.store.get("marketplace") || "US",
        contact_method: this.contactMethod(),
        attachments: SSC.dom.attachmentNames(),
      };
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
          if (!target.isConnected) {
            // The form was re-rendered while we waited: click the current submit control.
            target = this.ctx.anchors.submit && this.ctx.anchors.submit.isConnected ? this.ctx.anchors.submit : null;
          }
          if (target) {
            const inner = target.localName && /^kat-/.test(target.localName) && target.shadowRoot ? target.shadowRoot.querySelector("button") : null;
            (inner || target).click();
            sent = true;
          }
        } else if (action.form.isConnected) {
          const s = action.submitter;
          if (typeof action.form.requestSubmit === "function") action.form.requestSubmit(s && s.isConnected && s.form === action.form ? s : undefined);
          else action.form.submit();
          sent = true;
        }
      } finally {
        this.bypass = false;
      }
      if (sent) this.ctx.emit("submitted", this.submission(action));
    },

    /** What went through, for the case log (feature "case-log", which fits the text to the contract). */
    submission(action) {
      const ctx = this.ctx;
      const d = this.description();
      return {
        text: d ? SSC.dom.getText(d) : "",
        category: action.category || ctx.store.get("category"),
        marketplace: ctx.store.get("marketplace") || "US",
        contact_method: this.contactMethod(),
      };
    },

    cancel(action) {
      if (this.pending === action) this.pending = null;
      action.released = true;
      this.closePanel();
      const d = this.ctx.anchors.description;
      if (d) SSC.dom.focus(d);
    },

    closePanel() {
      if (this.panel) {
        this.panel.remove();
        this.panel = null;
      }
    },

    /** The earlier case named by a duplicate_case finding: number, age, and a link to it. */
    duplicateDetail(data) {
      const ctx = this.ctx;
      const h = ctx.h;
      const t = ctx.t.bind(ctx);
      const d = data && typeof data === "object" ? data : {};
      const pk = typeof d.case_pk === "string" && /^[0-9]{1,18}$/.test(d.case_pk) ? d.case_pk : null;
      if (!pk) return null;
      const amazonId = SSC.isAmazonCaseId(d.case_id) ? d.case_id : "";
      const hours = typeof d.age_hours === "string" && /^[0-9]{1,7}$/.test(d.age_hours) ? Number(d.age_hours) : null;
      const filed = typeof d.filed_at === "string" ? Date.parse(d.filed_at) : NaN;
      const name = amazonId ? t("precheckDupCaseAmazon", [pk, amazonId]) : t("precheckDupCase", [pk]);
      const age = hours === null ? "?" : this.ageText(hours);
      const when = Number.isFinite(filed) ? SSC.hours.fmt(filed, ctx.settings.sellerTimezone, ctx.i18n.locale, true) : "?";
      // Seller Central on this page's own origin: the case itself when Amazon's id is known, else the case log.
      const href = SSC.caseUrl(root.location.origin, ctx.store.get("selectors").case_links, amazonId);
      return h(
        "div",
        { class: "dup", "data-ssc-dup-case": pk, "data-ssc-dup-case-id": amazonId || null, "data-ssc-dup-age-hours": hours === null ? null : String(hours) },
        t("precheckDupEarlier", [name, age, when]),
        " ",
        h("a", { href, target: "_blank", rel: "noopener noreferrer", "data-ssc-dup-link": "", text: t(amazonId ? "precheckDupOpenCase" : "precheckDupOpenLog") })
      );
    },

    /** A case's age as the backend words it: hours below the contract's threshold, whole days from it. */
    ageText(hours) {
      const t = this.ctx.t.bind(this.ctx);
      if (hours === 0) return t("precheckDupAgeNow");
      const { unit, n } = SSC.caseAge(hours, this.ctx.store.get("contract"));
      if (unit === "hours") return t("precheckDupAgeHours", [String(n)]);
      return unit === "day" ? t("precheckDupAgeOneDay") : t("precheckDupAgeDays", [String(n)]);
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
      const fixBtn = h("button", { type: "button", class: "primary", "data-ssc-action": "fix", text: t("precheckFix"), onclick: once(() => this.cancel(action)) });
      const anywayBtn = h("button", {
        type: "button",
        class: "secondary",
        "data-ssc-action": "submit-anyway",
        text: t("precheckSubmitAnyway"),
        onclick: once(() => this.release(action)),
      });
      const dialog = h(
        "div",
        { class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "ssc-precheck-title" },
        h("h2", { id: "ssc-precheck-title", text: t("precheckTitle") }),
        h("div", { class: "muted", text: t("precheckIntro") }),
        sorted.map((f) =>
          h(
            "div",
            { class: "finding", "data-ssc-finding": String(f.code || "unknown"), "data-severity": f.severity || "info" },
            h("span", { class: "sev", text: t("severity_" + (["error", "warning", "info"].includes(f.severity) ? f.severity : "info")) }),
            h("span", { text: ctx.i18n.pick(f.message) || String(f.code) }),
            f.code === "duplicate_case" ? this.duplicateDetail(f.data) : null
          )
        ),
        h("div", { class: "actions" }, fixBtn, anywayBtn)
      );
      this.panel = h("div", { class: "backdrop", "data-ssc": "precheck" }, dialog);
      this.panel.addEventListener("keydown", ctx.guard("precheck", (e) => {
        if (e.key === "Escape") fixBtn.click();
      }));
      ctx.overlay.modal.appendChild(this.panel);
      fixBtn.focus();
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

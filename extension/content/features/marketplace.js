/*
 * Feature "marketplace": which marketplace the seller is working on.
 * Order: the seller's override (header picker) > the page's marketplace
 * switcher (needed on sellercentral-europe, which serves UK/DE/FR/IT/ES) >
 * the domain. Emits ctx "marketplace" when it changes.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;

  SSC.registerFeature("marketplace", {
    init(ctx) {
      this.ctx = ctx;
      this.select = ctx.h("select", {
        "data-ssc-control": "marketplace",
        onchange: ctx.guard("marketplace", () => SSC.saveSettings({ marketplaceOverride: this.select.value })),
      });
      ctx.overlay.headTools.appendChild(this.select);
      ctx.on("marketplaces", () => this.update(true));
      this.update(true);
    },

    detect() {
      const ctx = this.ctx;
      const override = ctx.settings.marketplaceOverride;
      if (override) return { code: override, how: "override" };
      const candidates = SSC.marketplacesForHost(location.hostname, ctx.marketplaces);
      if (candidates.length === 1) return { code: candidates[0], how: "domain" };
      const sw = ctx.anchors.marketplace_switcher;
      if (sw) {
        let text = SSC.dom.labelOf(sw);
        if (sw.localName === "select" && sw.selectedOptions && sw.selectedOptions[0]) text = sw.selectedOptions[0].textContent;
        const code = SSC.marketplaceFromText(text, candidates, ctx.marketplaces);
        if (code) return { code, how: "switcher" };
      }
      return { code: candidates[0] || "US", how: "default" };
    },

    update(force) {
      const ctx = this.ctx;
      if (!ctx) return;
      const d = this.detect();
      this.detected = d;
      if (d.code !== ctx.marketplace) {
        ctx.marketplace = d.code;
        this.render();
        ctx.emit("marketplace", d.code);
      } else if (force) {
        this.render();
      }
    },

    onScan() {
      this.update(false);
    },
    onSettings() {
      this.update(true);
    },

    marketplaceName(code) {
      const m = (this.ctx.marketplaces || []).find((x) => x.code === code);
      return m ? this.ctx.i18n.pick(m.name) : code;
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !this.select) return;
      const auto = this.detectAuto();
      const opts = [ctx.h("option", { value: "", text: ctx.t("marketplaceAuto", [this.marketplaceName(auto)]) })];
      for (const m of ctx.marketplaces) opts.push(ctx.h("option", { value: m.code, text: m.code + " · " + ctx.i18n.pick(m.name) }));
      this.select.replaceChildren(...opts);
      this.select.value = ctx.settings.marketplaceOverride || "";
      this.select.title = ctx.t("marketplacePickerTitle");
      this.select.setAttribute("aria-label", ctx.t("marketplacePickerTitle"));
    },

    detectAuto() {
      const saved = this.ctx.settings.marketplaceOverride;
      this.ctx.settings.marketplaceOverride = "";
      try {
        return this.detect().code;
      } finally {
        this.ctx.settings.marketplaceOverride = saved;
      }
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

/*
 * Feature "marketplace": which marketplace the seller is working on.
 * Order: the seller's override (header picker) > the URL's marketplace id
 * (mons_sel_mkid, the selectors' marketplace_param) > the page's marketplace
 * switcher (needed on sellercentral-europe, which serves UK/DE/FR/IT/ES) >
 * the domain. Sets ctx.store "marketplace" when it changes, and shows it on the
 * overlay host as data-ssc-marketplace.
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
      ctx.store.subscribe("marketplaces", () => this.update(true));
      this.update(true);
    },

    /** The marketplace's code with this override ("" for none). */
    detect(override) {
      const ctx = this.ctx;
      const marketplaces = ctx.store.get("marketplaces");
      if (override) return override;
      const fromUrl = this.fromUrl();
      if (fromUrl) return fromUrl;
      const candidates = SSC.marketplacesForHost(location.hostname, marketplaces);
      if (candidates.length === 1) return candidates[0];
      const sw = ctx.anchors.marketplace_switcher;
      if (sw) {
        let text = SSC.dom.labelOf(sw);
        if (sw.localName === "select" && sw.selectedOptions && sw.selectedOptions[0]) text = sw.selectedOptions[0].textContent;
        const code = SSC.marketplaceFromText(text, candidates, marketplaces);
        if (code) return code;
      }
      return candidates[0] || "US";
    },

    /** The marketplace named by the URL's marketplace id, if we cover it. */
    fromUrl() {
      const param = this.ctx.store.get("selectors").marketplace_param;
      const value = param ? new URLSearchParams(location.search).get(param.name) : null;
      const hit = value ? SSC.marketplaceFromId(value, { marketplaces: this.ctx.store.get("marketplaces") }, param.prefixes) : null;
      return hit && hit.covered ? hit.code : null;
    },

    update(force) {
      const ctx = this.ctx;
      const code = this.detect(ctx.settings.marketplaceOverride);
      ctx.overlay.host.setAttribute("data-ssc-marketplace", code);
      if (code !== ctx.store.get("marketplace")) {
        this.render(); // the picker first: subscribers may take a while
        ctx.store.set("marketplace", code);
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
      const m = this.ctx.store.get("marketplaces").find((x) => x.code === code);
      return m ? this.ctx.i18n.pick(m.name) : code;
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !this.select) return;
      // "Automatic" names what we would pick without the seller's override.
      const auto = this.detect("");
      const opts = [ctx.h("option", { value: "", text: ctx.t("marketplaceAuto", [this.marketplaceName(auto)]) })];
      for (const m of ctx.store.get("marketplaces")) opts.push(ctx.h("option", { value: m.code, text: m.code + " · " + ctx.i18n.pick(m.name) }));
      this.select.replaceChildren(...opts);
      this.select.value = ctx.settings.marketplaceOverride || "";
      this.select.title = ctx.t("marketplacePickerTitle");
      this.select.setAttribute("aria-label", ctx.t("marketplacePickerTitle"));
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

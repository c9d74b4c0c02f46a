/*
 * Feature "seller-store": which store (seller account) the page is for, so that a team
 * server keeps each store's cases apart and warns of duplicates per store (issue 16).
 * The store's id is Seller Central's merchant id in the URL's mons_sel_mcid parameter
 * (shared/reference/seller-central-pages.md, "Which marketplace is selected"), bare
 * (A1B2C3D4E5F6G7) or, as the marketplace's, behind an amzn1.… prefix; its name is the
 * header's store-name label (the store_name anchor). Either may be unknown (null). Sets
 * ctx.store "sellerStore" = {id, name} when it changes, and shows the id on the overlay host
 * as data-ssc-store-id. An id seen once stays for this page: Amazon's single-page steps
 * may drop the parameter from the address.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const PARAM = "mons_sel_mcid";
  // Seen on Seller Central's other ids (amzn1.mp.o. for marketplaces); not seen on this one.
  const PREFIX_RE = /^amzn1\.[a-z]+\.[a-z]\./;

  /** The merchant id in this page's address, or null. */
  function idInUrl() {
    const raw = new URLSearchParams(location.search).get(PARAM);
    const id = raw ? raw.trim().replace(PREFIX_RE, "") : "";
    return SSC.isStoreId(id) ? id : null;
  }

  SSC.registerFeature("seller-store", {
    init(ctx) {
      this.ctx = ctx;
      this.update();
    },

    /** The header's store name as one line of text, or null. */
    nameOnPage() {
      const el = this.ctx.anchors.store_name;
      const name = SSC.dom.alive(el) ? el.textContent.replace(/\s+/g, " ").trim() : "";
      return SSC.isName(name) ? name : null;
    },

    update() {
      const ctx = this.ctx;
      const prev = ctx.store.get("sellerStore") || { id: null, name: null };
      const next = { id: idInUrl() || prev.id, name: this.nameOnPage() || prev.name };
      if (next.id === prev.id && next.name === prev.name) return;
      if (next.id) ctx.overlay.host.setAttribute("data-ssc-store-id", next.id);
      ctx.store.set("sellerStore", next);
    },

    onScan() {
      this.update();
    },
    onAnchors() {
      this.update();
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

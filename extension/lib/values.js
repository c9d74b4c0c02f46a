/*
 * What values from the backend or a message must look like, shared by the background,
 * the content scripts and the popup, so that each shape is written once.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const ID_RE = /^[a-z0-9_]{1,40}$/; // category ids and finding codes
  // Amazon's case ids: all digits, 11 today, older ones 10; the backend takes 8 to 14
  // (seller_support/domain/contract.py AMAZON_CASE_ID; shared/reference/seller-central-pages.md).
  const AMAZON_CASE_ID_RE = /^[0-9]{8,14}$/;
  // Seller Central's merchant id (the store), as its URLs carry it in mons_sel_mcid
  // (shared/reference/seller-central-pages.md), e.g. A1B2C3D4E5F6G7: capitals and digits.
  const STORE_ID_RE = /^[A-Z0-9]{8,20}$/; // as the backend takes them (seller_support/web/schemas.py StoreId)
  // A store's name (the header's) or a person's (the team server's), as shown in lists.
  SSC.NAME_LIMIT = 100;

  // One value the seller typed in one of the page's own fields (reference numbers, order
  // id, …): the backend's precheck takes up to this many characters each.
  SSC.FIELD_LIMIT = 300;

  // Amazon's case id shows up after a send (confirmation, chat window) within this time;
  // it is taken for the case just recorded only that long.
  SSC.CASE_ID_WINDOW_MS = 10 * 60 * 1000;

  SSC.isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  /** A logged case's follow-up due time (the backend's reply_by, ms), NaN when it has none. */
  SSC.followupDue = (c) => (typeof c.followup_due_at === "string" ? Date.parse(c.followup_due_at) : NaN);
  SSC.isId = (v) => typeof v === "string" && ID_RE.test(v);
  SSC.isAmazonCaseId = (v) => typeof v === "string" && AMAZON_CASE_ID_RE.test(v);
  /** A team server's access token as a header carries it: 8 to 512 printable ASCII characters, no spaces. */
  SSC.isAccessToken = (v) => typeof v === "string" && /^[\x21-\x7e]{8,512}$/.test(v);
  SSC.isStoreId = (v) => typeof v === "string" && STORE_ID_RE.test(v);
  /** A store's or a person's name: a non-blank string of at most SSC.NAME_LIMIT characters. */
  SSC.isName = (v) => typeof v === "string" && v.trim() !== "" && v.length <= SSC.NAME_LIMIT;

  /**
   * The well-formed stores and people of a GET /api/v1/cases/facets answer:
   * {stores: [{store_id, store_name|null}], people: [name]}; none of either when missing.
   */
  SSC.facetsOf = (data) => {
    const given = SSC.isObject(data) ? data : {};
    const stores = Array.isArray(given.stores) ? given.stores : [];
    return {
      stores: stores
        .filter((st) => SSC.isObject(st) && SSC.isStoreId(st.store_id))
        .map((st) => ({ store_id: st.store_id, store_name: SSC.isName(st.store_name) ? st.store_name : null })),
      people: Array.isArray(given.people) ? given.people.filter(SSC.isName) : [],
    };
  };

  // A team server's answers that mean "fix it in the options": no token, a wrong or revoked
  // one, or this browser has not allowed the extension to reach the server.
  SSC.TOKEN_CODES = ["token_required", "token_invalid", "no_permission"];
})(typeof globalThis !== "undefined" ? globalThis : self);

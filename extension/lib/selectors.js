/*
 * The selectors document (GET /api/v1/selectors; built-in copy SSC.DEFAULT_SELECTORS):
 * what a usable copy looks like, and the links to Amazon's case pages built from its
 * `case_links`, so that no path is written twice.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const isObj = SSC.isObject;
  const isPath = (p) => typeof p === "string" && p.startsWith("/");

  /** {phone: [words], chat: [...], case: [...]} (a "comment" besides is allowed). */
  function validContactMethods(data) {
    return isObj(data) && ["phone", "chat", "case"].every((m) => Array.isArray(data[m]) && data[m].every((w) => typeof w === "string" && w));
  }

  /** Paths on Seller Central's own origin (a leading "/"), the case's holding {case_id}. */
  function validCaseLinks(data) {
    const link = (l) => isObj(l) && isPath(l.path);
    return isObj(data) && link(data.case) && data.case.path.includes("{case_id}") && link(data.case_log);
  }

  /** Is `data` a selectors document we can use? Checked before it replaces a cached or built-in copy. */
  SSC.validSelectors = function validSelectors(data) {
    return isObj(data) && Array.isArray(data.support_pages) && isObj(data.anchors) &&
      data.support_pages.every((p) => isObj(p) && isPath(p.path)) &&
      Object.values(data.anchors).every((a) => isObj(a) && (a.selectors === undefined || Array.isArray(a.selectors))) &&
      validContactMethods(data.contact_methods) && validCaseLinks(data.case_links);
  };

  /**
   * Amazon's case `caseId` on the Seller Central at `origin`; the case log when the id is not
   * known. Links that are not paths on that origin are not used: the built-in ones are.
   */
  SSC.caseUrl = function caseUrl(origin, caseLinks, caseId) {
    const links = validCaseLinks(caseLinks) ? caseLinks : SSC.DEFAULT_SELECTORS.case_links;
    if (caseId) return origin + links.case.path.replace("{case_id}", encodeURIComponent(caseId));
    return origin + links.case_log.path;
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

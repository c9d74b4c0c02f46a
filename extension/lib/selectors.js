/*
 * Links to Amazon's case pages, built from the selectors' `case_links` (served by the
 * backend, else the built-in copy), so that no path is written twice.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  /** Amazon's case `caseId` on the Seller Central at `origin`; the case log when the id is not known. */
  SSC.caseUrl = function caseUrl(origin, caseLinks, caseId) {
    const links = caseLinks || SSC.DEFAULT_SELECTORS.case_links;
    if (caseId) return origin + links.case.path.replace("{case_id}", encodeURIComponent(caseId));
    return origin + links.case_log.path;
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

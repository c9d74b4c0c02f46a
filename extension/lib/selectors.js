/*
 * The selectors document (GET /api/v1/selectors; built-in copy SSC.DEFAULT_SELECTORS):
 * what a usable copy looks like, and the links to Amazon's case pages built from its
 * `case_links` (and read back: a case page's id), so that no path is written twice.
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

  /** The served case links when usable, else the built-in ones. */
  const usableLinks = (caseLinks) => (validCaseLinks(caseLinks) ? caseLinks : SSC.DEFAULT_SELECTORS.case_links);

  /**
   * Amazon's case `caseId` on the Seller Central at `origin`; the case log when the id is not
   * known. Links that are not paths on that origin are not used: the built-in ones are.
   */
  SSC.caseUrl = function caseUrl(origin, caseLinks, caseId) {
    const links = usableLinks(caseLinks);
    if (caseId) return origin + links.case.path.replace("{case_id}", encodeURIComponent(caseId));
    return origin + links.case_log.path;
  };

  /** The query parameter that holds the case id in the case link (caseID={case_id}), or null. */
  function caseIdParam(links) {
    const query = links.case.path.split("?")[1] || "";
    const found = [...new URLSearchParams(query)].find(([, value]) => value === "{case_id}");
    return found ? found[0] : null;
  }

  /**
   * The case id in a URL's case-id parameter (the case link's, e.g. caseID=), as written
   * there (check it with SSC.isAmazonCaseId or the contract's pattern), or "". Amazon's case
   * and chat links carry it alike.
   */
  SSC.caseIdInUrl = function caseIdInUrl(href, base, caseLinks) {
    const param = caseIdParam(usableLinks(caseLinks));
    try {
      return (param && new URL(href, base).searchParams.get(param)) || "";
    } catch (e) {
      return "";
    }
  };

  /**
   * On one case's page (the path of the case link), the case id in its address ("" when it
   * has none: check it with SSC.isAmazonCaseId); null on any other page.
   */
  SSC.casePageId = function casePageId(location, caseLinks) {
    const links = usableLinks(caseLinks);
    const path = links.case.path.split("?")[0];
    // The path itself or below it: /cu/case is not /cu/case-dashboard.
    if (location.pathname !== path && !location.pathname.startsWith(path.replace(/\/?$/, "/"))) return null;
    return SSC.caseIdInUrl(location.href, undefined, links);
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

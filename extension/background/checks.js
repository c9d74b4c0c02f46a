/*
 * Background, what values must look like: shared by message validation (router.js), the
 * case log (cases.js) and the reminders, so each shape is written once.
 */
(function (SSC) {
  "use strict";

  const checks = {
    isObject: SSC.isObject,
    isStr: (v, max) => typeof v === "string" && v.length <= max,
    isMarketplace: (v) => typeof v === "string" && SSC.MARKETPLACE_CODES.includes(v),
    isCategory: SSC.isId,
    isAmazonCaseId: SSC.isAmazonCaseId,
    isStoreId: SSC.isStoreId,
    isName: SSC.isName,
    isCasePk: (v) => Number.isInteger(v) && v > 0 && v <= Number.MAX_SAFE_INTEGER,
    /** A case as the backend returns it, enough to remind about it. */
    isCaseRecord: (c) =>
      checks.isObject(c) && checks.isCasePk(c.id) && typeof c.text === "string" && checks.isMarketplace(c.marketplace) &&
      Number.isFinite(Date.parse(c.filed_at)),
  };

  SSC.checks = checks;
})(self.SSC);

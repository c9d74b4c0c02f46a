/*
 * Background, what values must look like: shared by message validation (router.js), the
 * case log (cases.js) and the reminders, so each shape is written once.
 */
(function (SSC) {
  "use strict";

  const checks = {
    isObject: (v) => !!v && typeof v === "object" && !Array.isArray(v),
    isStr: (v, max) => typeof v === "string" && v.length <= max,
    isMarketplace: (v) => typeof v === "string" && SSC.MARKETPLACE_CODES.includes(v),
    isCategory: (v) => typeof v === "string" && /^[a-z0-9_]{1,40}$/.test(v),
    isAmazonCaseId: (v) => typeof v === "string" && /^[0-9A-Za-z-]{1,40}$/.test(v),
    isCasePk: (v) => Number.isInteger(v) && v > 0 && v <= Number.MAX_SAFE_INTEGER,
    /** A case as the backend returns it, enough to remind about it. */
    isCaseRecord: (c) =>
      checks.isObject(c) && checks.isCasePk(c.id) && typeof c.text === "string" && checks.isMarketplace(c.marketplace) &&
      Number.isFinite(Date.parse(c.filed_at)),
  };

  SSC.checks = checks;
})(self.SSC);

/*
 * What values from the backend or a message must look like, shared by the background,
 * the content scripts and the popup, so that each shape is written once.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const ID_RE = /^[a-z0-9_]{1,40}$/; // category ids and finding codes
  const AMAZON_CASE_ID_RE = /^[0-9A-Za-z-]{1,40}$/; // the backend's AmazonCaseId

  SSC.isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  SSC.isId = (v) => typeof v === "string" && ID_RE.test(v);
  SSC.isAmazonCaseId = (v) => typeof v === "string" && AMAZON_CASE_ID_RE.test(v);
})(typeof globalThis !== "undefined" ? globalThis : self);

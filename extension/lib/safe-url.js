/*
 * Links that come from data (the backend's help URLs, special channels) are shown only
 * when they are https: never javascript:, data: or a relative path on the host page.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  /** The URL as an absolute https href, or null. */
  SSC.safeUrl = function safeUrl(u) {
    try {
      const url = new URL(String(u));
      return url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

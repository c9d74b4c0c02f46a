/*
 * Why a request failed, by the error's code, in the seller's language: one mapping for
 * the options page (connection test, pairing) and the content features (the composer).
 * The background's own messages are English, for the log; the backend's codes that
 * have no entry here show as "error code X".
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  const KEYS = {
    offline: "errorOffline",
    timeout: "errorTimeout",
    bad_backend_url: "errorBadBackendUrl",
    bad_response: "errorBadResponse",
    not_paired: "errorNotPaired",
    wrong_code: "errorWrongCode",
    // The team server (issue 16).
    token_required: "errorTokenRequired",
    token_invalid: "errorTokenInvalid",
    no_permission: "errorNoPermission",
    not_team_server: "errorNotTeamServer",
    no_team_server: "errorNoTeamServer",
    insecure_team_url: "errorInsecureTeamUrl",
    bad_team_url: "errorBadTeamUrl",
    // SSC.send's own: the extension was reloaded or updated under the open page.
    extension: "errorExtension",
    no_reply: "errorExtension",
  };

  /** A phrase saying why (`error` is a reply's {code, message}), for messages such as "Could not …: $WHY$". */
  SSC.errorText = function errorText(i18n, error) {
    const code = error && typeof error.code === "string" ? error.code : "";
    return KEYS[code] ? i18n.t(KEYS[code]) : i18n.t("errorOther", [code || "?"]);
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

/*
 * Options page, the team server (issue 16): its URL and the person's access token.
 * Connect refuses plain http:// to another computer before anything is sent, asks the
 * browser for access to the server (chrome.permissions.request, the manifest's
 * optional_host_permissions; only a click may ask, so it is asked at once, before any
 * await), then lets the background keep the server and the token (ssc:teamSave) and checks
 * the connection (ssc:teamCheck: "Connected as Li", else why not). The token is never shown
 * again, only its last 4 characters. "Use the backend on this computer" leaves the team
 * server (ssc:teamLeave), forgetting the token.
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const api = SSC.api;
  const i18n = SSC.i18n;
  const $ = (id) => document.getElementById(id);

  const send = SSC.askBackground;

  let current = { url: "", token_end: "" }; // what the background keeps (ssc:teamState)

  /** The section as the background keeps it: the server in use, the token's last 4 characters. */
  function fill(state) {
    current = state;
    $("team").dataset.sscTeamState = state.url ? "team" : "personal";
    $("team-active").textContent = state.url ? i18n.t("optTeamActive", [state.url]) : i18n.t("optTeamNone");
    if (state.url) $("teamServerUrl").value = state.url;
    const saved = $("team-token-saved");
    saved.hidden = !state.token_end;
    saved.textContent = state.token_end ? i18n.t("optTeamTokenSaved", [state.token_end]) : "";
    $("team-check").disabled = !state.url;
    $("team-leave").disabled = !state.url;
  }

  function result(ok, text) {
    const out = $("team-result");
    out.hidden = false;
    if (ok === null) out.removeAttribute("data-ok");
    else out.dataset.ok = String(ok);
    out.textContent = text;
  }

  function urlError(key) {
    const error = $("team-url-error");
    error.hidden = !key;
    error.textContent = key ? i18n.t(key) : "";
    $("teamServerUrl").setAttribute("aria-invalid", String(!!key));
  }

  /** What is wrong with the form before anything is asked or sent (a message key), or null. */
  function problem(url, token) {
    const why = SSC.teamUrlProblem(url);
    if (why) return why === "insecure" ? "optTeamInsecure" : "optTeamInvalid";
    if (token && !SSC.isAccessToken(token)) return "optTeamTokenInvalid";
    const kept = current.url === SSC.normaliseTeamUrl(url) && current.token_end;
    return token || kept ? null : "optTeamTokenNeeded";
  }

  /**
   * The browser's permission for `origin` (true when granted). A loopback server needs none
   * (the manifest's host permissions); it is requested synchronously from the click.
   */
  function askPermission(origin) {
    if (SSC.normaliseBackendUrl(origin)) return Promise.resolve(true);
    if (!api.permissions || !api.permissions.request) return Promise.resolve(false);
    try {
      return Promise.resolve(api.permissions.request({ origins: [origin + "/*"] })).catch(() => false);
    } catch (e) {
      return Promise.resolve(false);
    }
  }

  /** Connect: checked, permission asked (still within the click), then saved and checked. */
  function connect() {
    const url = $("teamServerUrl").value.trim();
    const token = $("teamToken").value.trim();
    const why = problem(url, token);
    urlError(why === "optTeamInsecure" || why === "optTeamInvalid" ? why : null);
    if (why) {
      result(false, i18n.t(why));
      return Promise.resolve();
    }
    const origin = SSC.normaliseTeamUrl(url);
    const asking = askPermission(origin); // before any await: the click's user gesture
    result(null, i18n.t("optTeamAsking", [origin]));
    return asking.then((granted) => (granted ? save(origin, token) : result(false, i18n.t("optTeamRefused", [origin]))));
  }

  async function save(origin, token) {
    const reply = await send(token ? { type: "ssc:teamSave", url: origin, token } : { type: "ssc:teamSave", url: origin });
    if (!reply.ok || !reply.data) {
      result(false, i18n.t("optTeamCheckFail", [SSC.errorText(i18n, reply.error)]));
      return;
    }
    $("teamToken").value = ""; // kept by the background now, never shown again
    fill(reply.data);
    await check();
  }

  /** Health, then who the token belongs to. */
  async function check() {
    result(null, i18n.t("optTeamChecking"));
    const reply = await send({ type: "ssc:teamCheck" });
    if (reply.ok && reply.data && typeof reply.data.person === "string") result(true, i18n.t("optTeamConnected", [reply.data.person]));
    else result(false, i18n.t("optTeamCheckFail", [SSC.errorText(i18n, reply.error)]));
    document.body.dataset.sscTeamChecked = String(Date.now());
  }

  async function leave() {
    const reply = await send({ type: "ssc:teamLeave" });
    if (reply.ok && reply.data) {
      fill(reply.data);
      $("teamServerUrl").value = "";
      $("teamToken").value = "";
      urlError(null);
      result(true, i18n.t("optTeamLeft"));
    } else {
      result(false, i18n.t("optTeamCheckFail", [SSC.errorText(i18n, reply.error)]));
    }
  }

  async function start() {
    const reply = await send({ type: "ssc:teamState" });
    fill(reply.ok && reply.data ? reply.data : { url: "", token_end: "" });
    $("team-connect").addEventListener("click", () => connect().catch((e) => console.debug("[SSC] team", e)));
    $("team-check").addEventListener("click", () => check().catch((e) => console.debug("[SSC] team", e)));
    $("team-leave").addEventListener("click", () => leave().catch((e) => console.debug("[SSC] team", e)));
  }

  /** The section in the page's (new) language. */
  function relocalise() {
    fill(current);
  }

  SSC.optionsTeam = { start, relocalise };
})();

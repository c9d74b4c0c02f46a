/*
 * Background, the team server (issue 16): one backend for a seller team, reached over
 * https with each person's own access token. The options page saves the server and the
 * token here (ssc:teamSave: the token is kept by client.js, bound to that origin, and never
 * handed back, only its last 4 characters), checks the connection (ssc:teamCheck: health,
 * then who the token belongs to) and goes back to the personal backend (ssc:teamLeave). The
 * host permission for the server is asked for on the options page itself: only a click
 * there may ask.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;
  const { BAD_TEAM_URL_MESSAGE, BackendError, backendFetch, keepTeamToken, teamTokenEnd, live } = SSC.client;


  /** The reply's error for a team server URL that breaks the rules (SSC.teamUrlProblem). */
  function urlError(url) {
    const problem = SSC.teamUrlProblem(url);
    if (!problem) return null;
    return { ok: false, error: { code: problem === "insecure" ? "insecure_team_url" : "bad_team_url", message: BAD_TEAM_URL_MESSAGE } };
  }

  /** What the options page may know: the server and the token's last 4 characters. */
  async function state() {
    const s = await SSC.loadSettings();
    return { url: s.teamServerUrl, token_end: s.teamServerUrl ? await teamTokenEnd(s.teamServerUrl) : "" };
  }

  /** ssc:teamSave: the server (normalised to its origin) and, when typed, a new token for it. */
  async function save(m) {
    const refused = urlError(m.url);
    if (refused) return refused;
    const origin = SSC.normaliseTeamUrl(m.url);
    if (m.token !== undefined) await keepTeamToken(origin, m.token);
    else if (!(await teamTokenEnd(origin))) await keepTeamToken(origin, ""); // a token for another server is dropped
    await SSC.saveSettings({ teamServerUrl: origin });
    recheck();
    return { ok: true, data: await state() };
  }

  /** ssc:teamLeave: back to the personal backend; the token is forgotten, the permission given back. */
  async function leave() {
    const { url } = await state();
    await keepTeamToken("", "");
    await SSC.saveSettings({ teamServerUrl: "" });
    if (url && !SSC.normaliseBackendUrl(url) && api.permissions) {
      await api.permissions.remove({ origins: [url + "/*"] }).catch((e) => console.debug("[SSC] permission kept", e));
    }
    recheck();
    return { ok: true, data: await state() };
  }

  /** The toolbar button follows the new backend. */
  function recheck() {
    SSC.status.check().catch((e) => console.debug("[SSC] toolbar state", e));
  }

  /**
   * ssc:teamCheck: the configured team server's health (it must say it is a team server),
   * then who the token belongs to: {mode, person}, else why not (token_required,
   * token_invalid, no_permission, offline, …).
   */
  function check() {
    return live(async () => {
      if (!(await SSC.loadSettings()).teamServerUrl) throw new BackendError("no_team_server", "No team server is set");
      const health = await backendFetch("/api/v1/health", { kind: "health" });
      if (!health || health.mode !== "team") throw new BackendError("not_team_server", "The server answers, but it is not in team mode");
      return whoami();
    });
  }

  /** GET /api/v1/whoami: {mode: "team", person}. */
  async function whoami() {
    const data = await backendFetch("/api/v1/whoami", { kind: "health" });
    const person = data && typeof data.person === "string" ? data.person.trim() : "";
    if (data.mode !== "team" || !SSC.isName(person)) throw new BackendError("bad_response", "Backend sent an answer of the wrong shape for /api/v1/whoami");
    return { mode: "team", person };
  }

  function openOptions() {
    return Promise.resolve(api.runtime.openOptionsPage()).then(() => ({ ok: true, data: {} }));
  }

  SSC.team = { save, leave, check, whoami, openOptions, state: () => state().then((data) => ({ ok: true, data })) };
})(self.SSC);

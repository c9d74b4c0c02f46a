/*
 * Background, the backend's state as the seller sees it: connected, not running, pairing
 * needed, or (team server) the access token missing, refused or the server not allowed. The toolbar button shows it (badge and tooltip) and the welcome page asks for it
 * (ssc:backendState). Health alone cannot tell "pairing needed" (it is open to every
 * extension), so a check also makes one POST that needs pairing (a POST carries our pinned
 * origin, so it answers even before client.js has asked for a token; a GET carries only the
 * token). Every other call's outcome updates the state too (client.js
 * reports each one), so the button changes the moment the overlay finds the backend gone,
 * and a periodic alarm catches the rest. On a team server (issue 16) every request carries
 * the person's token, so the check is health, then /api/v1/whoami.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;
  const { backendFetch, onOutcome } = SSC.client;

  const ALARM = "ssc-backend-state";
  const PERIOD_MINUTES = 5; // two requests to 127.0.0.1 every five minutes
  const OPEN_PATHS = ["/api/v1/health", "/api/v1/pair"]; // answered to any extension, paired or not
  // An empty compose: refused with 401 to an extension that is not paired, else with 422 (no
  // such template) once the pairing check has passed; nothing is composed.
  const PROBE = { path: "/api/v1/compose", method: "POST", body: {} };
  const WELCOME_PAGE = "welcome/welcome.html";
  // The badge: empty while all is well; "!" and "?" read the same in Chinese and English.
  const BADGES = {
    connected: { text: "", title: "badgeConnected" },
    offline: { text: "!", color: "#B3261E", title: "badgeOffline" },
    unpaired: { text: "?", color: "#8A5300", title: "badgeUnpaired" },
    token: { text: "?", color: "#8A5300", title: "badgeToken" },
  };
  const TOKEN_CODES = SSC.TOKEN_CODES;

  let shown = null; // the state on the button, null until this worker has set one
  let inflight = null;

  async function show(state) {
    shown = state;
    const badge = BADGES[state];
    const i18n = SSC.i18n;
    await i18n.init((await SSC.loadSettings()).uiLanguage);
    await api.action.setBadgeText({ text: badge.text });
    if (badge.text) await api.action.setBadgeBackgroundColor({ color: badge.color });
    await api.action.setTitle({ title: i18n.t(badge.title) });
  }

  /** {state, error?}: the health check, then (when it answers) the pairing probe, or on a team server who the token is. */
  async function probe() {
    try {
      await backendFetch("/api/v1/health", { kind: "health" });
    } catch (e) {
      return { state: TOKEN_CODES.includes(e.code) ? "token" : "offline", error: SSC.client.errorReply(e).error };
    }
    if (SSC.activeBackend(await SSC.loadSettings()).team) return teamProbe();
    try {
      await backendFetch(PROBE.path, { method: PROBE.method, body: PROBE.body, kind: "health" });
    } catch (e) {
      // Any answer but not_paired got past the pairing check (the expected one is a 422).
      if (e.code === "not_paired") return { state: "unpaired", error: SSC.client.errorReply(e).error };
    }
    return { state: "connected" };
  }

  async function teamProbe() {
    try {
      await SSC.team.whoami();
      return { state: "connected" };
    } catch (e) {
      return { state: TOKEN_CODES.includes(e.code) ? "token" : "offline", error: SSC.client.errorReply(e).error };
    }
  }

  /** Check the backend now and show the state on the button (one check at a time). */
  function check() {
    if (!inflight) {
      inflight = probe()
        .then(async (result) => {
          await show(result.state);
          return result;
        })
        .finally(() => {
          inflight = null;
        });
    }
    return inflight;
  }

  /** What a call's outcome says about the state (client.js): null when it says nothing new. */
  function stateAfter({ path, method, code }) {
    if (code === "offline") return "offline";
    if (code === "not_paired") return "unpaired";
    if (TOKEN_CODES.includes(code)) return "token";
    if (code === null && path === "/api/v1/whoami") return "connected"; // a team server took the token
    // Only a POST that needs pairing proves the backend accepts us (see the top).
    if (code === null && method === "POST" && !OPEN_PATHS.includes(path)) return "connected";
    return null;
  }

  function note(outcome) {
    const state = stateAfter(outcome);
    // An answer after "not running", or a pairing, may mean connected or pairing needed: check which.
    const news = shown === null || shown === "offline" || outcome.path === "/api/v1/pair";
    const recheck = outcome.code === null && news && !inflight;
    const work = state && state !== shown ? show(state) : recheck ? check() : null;
    if (work) work.catch((e) => console.debug("[SSC] toolbar state", e));
  }

  /** ssc:backendState: what the welcome page shows. */
  async function backendState() {
    return { ok: true, data: await check() };
  }

  function openWelcome() {
    return api.tabs.create({ url: api.runtime.getURL(WELCOME_PAGE) }).then(() => ({ ok: true, data: {} }));
  }

  /** Registered synchronously at the top level of the worker, so an alarm or an install wakes it. */
  function listen() {
    onOutcome(note);
    api.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === ALARM) check().catch((e) => console.debug("[SSC] toolbar state", e));
    });
    api.runtime.onInstalled.addListener((details) => {
      if (details.reason === "install") openWelcome().catch((e) => console.debug("[SSC] welcome", e));
    });
  }

  /** Every start of the worker: the periodic check armed, and one check now. */
  async function start() {
    try {
      if (!(await api.alarms.get(ALARM))) await api.alarms.create(ALARM, { delayInMinutes: PERIOD_MINUTES, periodInMinutes: PERIOD_MINUTES });
      await check();
    } catch (e) {
      console.debug("[SSC] toolbar state", e);
    }
  }

  SSC.status = { listen, start, check, backendState, openWelcome };
})(self.SSC);

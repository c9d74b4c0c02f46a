/*
 * Background, backend access: the ONE function that fetches (backendFetch). It calls only
 * the configured backend (the personal loopback one, or the team server: https, or
 * loopback), only paths under /api/v1/, and reads every answer
 * under the call's timeout and a size cap. `live` turns a call into the reply shape every
 * caller of the background relies on.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;

  /** How long each kind of call may take, in ms. */
  const TIMEOUTS = Object.freeze({
    default: 5000,
    health: 2500, // "Test connection" and health checks: a seller is waiting on the answer
    classify: 4000, // live hints; a newer request for the same tab cancels it anyway
    compose: 4000, // the seller clicked "Compose" and waits for the text
    precheck: 1500, // the page's submit is held meanwhile; the content script also lets go at 1.5 s
    followup: 2500, // an alarm asks whether a case is still open before it notifies
  });
  const MAX_RESPONSE_BYTES = 4 * 1024 * 1024; // every answer the backend gives is far smaller
  const MAX_CASE_LIST_BYTES = 32 * 1024 * 1024; // up to 500 cases of up to 10,000 characters each, with room

  class BackendError extends Error {
    constructor(code, message, status) {
      super(message);
      this.code = code;
      this.status = status || 0;
    }
  }

  const BAD_URL_MESSAGE = "The backend URL must be a loopback address such as http://127.0.0.1:8765 (127.0.0.1, localhost or [::1])";
  const BAD_TEAM_URL_MESSAGE = "A team server must use https:// (plain http:// only on this computer: 127.0.0.1, localhost or [::1])";

  /**
   * The configured backend: {base, team}, the team server when one is set (issue 16), else
   * the personal loopback backend. A stored URL that breaks the rules (written to storage
   * by something other than the options page) is refused, not replaced by the default: the
   * seller sees why nothing answers, and no request (nor token) goes to it.
   */
  async function configuredBackend() {
    const got = await api.storage.local.get("settings");
    const raw = got && got.settings && typeof got.settings === "object" ? got.settings : {};
    if (raw.backendUrl !== undefined && !SSC.normaliseBackendUrl(raw.backendUrl)) {
      throw new BackendError("bad_backend_url", "Refusing the configured backend " + String(raw.backendUrl).slice(0, 100) + ": " + BAD_URL_MESSAGE);
    }
    if (raw.teamServerUrl !== undefined && raw.teamServerUrl !== "" && !SSC.normaliseTeamUrl(raw.teamServerUrl)) {
      throw new BackendError("bad_team_url", "Refusing the configured team server " + String(raw.teamServerUrl).slice(0, 100) + ": " + BAD_TEAM_URL_MESSAGE);
    }
    return SSC.activeBackend(await SSC.loadSettings());
  }

  // The team server's access token (issue 16): the seller's own, typed on the options page,
  // kept in storage.local only (never sync) together with the origin it was given for, and
  // sent as "Authorization: Bearer" to that origin alone. A team server URL changed since
  // gets no token until the seller types one for it.
  const TEAM_TOKEN_KEY = "teamToken";

  async function teamToken(origin) {
    const got = (await api.storage.local.get(TEAM_TOKEN_KEY))[TEAM_TOKEN_KEY];
    return got && got.origin === origin && typeof got.token === "string" && SSC.isAccessToken(got.token) ? got.token : "";
  }

  /** Keep `token` for `origin` (a team server's, normalised); "" forgets it. */
  async function keepTeamToken(origin, token) {
    if (!token) return api.storage.local.remove(TEAM_TOKEN_KEY);
    if (!SSC.isAccessToken(token) || !SSC.normaliseTeamUrl(origin)) throw new BackendError("bad_token", "Refusing a malformed access token");
    await api.storage.local.set({ [TEAM_TOKEN_KEY]: { origin, token, at: new Date().toISOString() } });
  }

  /** The last 4 characters of the token kept for `origin` ("" for none): all the options page ever shows again. */
  async function teamTokenEnd(origin) {
    const token = await teamToken(origin);
    return token ? token.slice(-4) : "";
  }

  /**
   * A team server on another computer needs its host permission (optional_host_permissions,
   * asked for on the options page's click); without it no request is made.
   */
  async function checkTeamPermission(base) {
    if (SSC.normaliseBackendUrl(base)) return; // loopback: the manifest's own host permissions
    const perms = api.permissions;
    const granted = perms && (await perms.contains({ origins: [base + "/*"] }));
    if (!granted) throw new BackendError("no_permission", "This browser has not allowed the extension to reach " + base + " (options page: Connect)");
  }

  // The token the backend gave this browser, sent with every request: for the code the
  // seller entered (Firefox, whose extension origin cannot be pinned), or asked for without
  // one (our pinned Chrome/Edge extension: Chrome sends no Origin on its GETs, so only the
  // token shows the backend they are ours).
  const PAIRING_KEY = "pairing";
  const TOKEN_HEADER = "X-SSC-Token";
  const PAIR_PATH = "/api/v1/pair";
  const LABEL = "Seller Support Companion extension";

  async function pairingToken() {
    const got = (await api.storage.local.get(PAIRING_KEY))[PAIRING_KEY];
    return got && typeof got.token === "string" ? got.token : "";
  }

  async function keepToken(data) {
    if (typeof data.token !== "string" || !data.token) throw new BackendError("bad_response", "Backend sent no pairing token");
    await api.storage.local.set({ [PAIRING_KEY]: { token: data.token, at: new Date().toISOString() } });
  }

  /** ssc:pair: exchange the code `ssc pair` shows for a token, kept in storage.local. */
  async function pair(code) {
    await keepToken(await backendFetch(PAIR_PATH, { method: "POST", body: { code, label: LABEL } }));
    return { paired: true };
  }

  let tokenRequest = null; // one at a time, however many calls were refused together

  /** A token without a code, kept: true when the backend gave one (to our pinned extension only). */
  function requestToken() {
    if (!tokenRequest) {
      tokenRequest = request(PAIR_PATH, { method: "POST", body: { label: LABEL } })
        .then(keepToken)
        .then(() => true, () => false)
        .finally(() => {
          tokenRequest = null;
        });
    }
    return tokenRequest;
  }

  /** `request`, asked once more with a new token when the backend knows none of ours (none yet, or it was reset). */
  async function requestPaired(path, options) {
    try {
      return await request(path, options);
    } catch (e) {
      // A URL being tried before it is saved gets no token: it may not be the seller's backend.
      // A team server knows no pairing (its tokens are the people's own, typed in the options).
      if (e.code !== "not_paired" || options.baseUrl || e.team || !(await requestToken())) throw e;
      return request(path, options);
    }
  }

  /** The absolute URL for `path` on `base`; anything that would leave /api/v1/ on that origin is refused. */
  function apiUrl(base, path) {
    if (typeof path !== "string" || !path.startsWith("/api/v1/")) throw new BackendError("bad_path", "Refusing to call " + String(path).slice(0, 100));
    const url = new URL(path, base + "/");
    if (url.origin !== base || !url.pathname.startsWith("/api/v1/")) throw new BackendError("bad_path", "Refusing to call " + url.href);
    return url;
  }

  // Told how each call to the configured backend went (status.js keeps the toolbar button's state).
  const outcomeListeners = [];
  const onOutcome = (fn) => outcomeListeners.push(fn);

  /**
   * GET or POST `path` on the configured backend (or `baseUrl`, for "Test connection");
   * the answer as a JSON object, else a BackendError with a code. `kind` picks the timeout.
   */
  async function backendFetch(path, options = {}) {
    let code = null;
    try {
      return await requestPaired(path, options);
    } catch (e) {
      code = e.code || "internal";
      throw e;
    } finally {
      // A URL being tried before it is saved says nothing about the configured backend.
      if (!options.baseUrl) for (const fn of outcomeListeners) fn({ path, method: options.method || "GET", code });
    }
  }

  async function request(path, { method = "GET", body, kind = "default", signal, baseUrl, maxBytes = MAX_RESPONSE_BYTES } = {}) {
    // A URL tried before it is saved is a personal backend's (loopback only).
    const target = baseUrl ? { base: SSC.normaliseBackendUrl(baseUrl), team: false } : await configuredBackend();
    const base = target.team ? SSC.normaliseTeamUrl(target.base) : SSC.normaliseBackendUrl(target.base);
    if (!base) throw new BackendError(target.team ? "bad_team_url" : "bad_backend_url", target.team ? BAD_TEAM_URL_MESSAGE : BAD_URL_MESSAGE);
    if (target.team) await checkTeamPermission(base);
    const url = apiUrl(base, path);
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(new BackendError("timeout", "Backend did not answer in time")), TIMEOUTS[kind]);
    const onOuterAbort = () => ctrl.abort(new BackendError("cancelled", "Request superseded"));
    if (signal) {
      if (signal.aborted) onOuterAbort();
      else signal.addEventListener("abort", onOuterAbort, { once: true });
    }
    try {
      const init = { method, signal: ctrl.signal, headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" };
      await addCredentials(init.headers, base, target.team);
      // A redirect could carry the token elsewhere: a team server's answer is taken as it comes.
      if (target.team) init.redirect = "error";
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers["Content-Type"] = "application/json";
      }
      let res;
      try {
        res = await fetch(url.href, init);
      } catch (e) {
        if (ctrl.signal.aborted && ctrl.signal.reason instanceof BackendError) throw ctrl.signal.reason;
        throw new BackendError("offline", "Backend unreachable at " + base);
      }
      const data = await readJson(res, maxBytes);
      if (!res.ok) {
        const code = (data && typeof data.code === "string" && data.code) || "http_" + res.status;
        const message = (data && typeof data.message === "string" && data.message) || "HTTP " + res.status;
        const error = new BackendError(code, message, res.status);
        error.team = target.team;
        throw error;
      }
      return data;
    } catch (e) {
      if (e instanceof BackendError) throw e;
      if (ctrl.signal.aborted && ctrl.signal.reason instanceof BackendError) throw ctrl.signal.reason;
      throw new BackendError("offline", String((e && e.message) || e));
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener("abort", onOuterAbort);
    }
  }

  /**
   * Who we are to `base`: the team server's Bearer token (to the origin it was kept for,
   * nothing else), or the personal backend's pairing token; never one to the other.
   */
  async function addCredentials(headers, base, team) {
    if (team) {
      const token = await teamToken(base);
      if (token) headers.Authorization = "Bearer " + token;
      return;
    }
    const token = await pairingToken();
    if (token) headers[TOKEN_HEADER] = token;
  }

  /**
   * The body as a JSON object, read under the request's timeout and at most maxBytes long.
   * HTML, plain text, broken or huge bodies and anything but an object are a bad_response.
   */
  async function readJson(res, maxBytes) {
    const bad = (why) => new BackendError("bad_response", "Backend sent " + why + " (HTTP " + res.status + ")", res.status);
    const declared = Number(res.headers.get("Content-Length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      if (res.body) res.body.cancel().catch(() => undefined);
      throw bad("a body over " + maxBytes + " bytes");
    }
    const chunks = [];
    let size = 0;
    if (res.body && res.body.getReader) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          reader.cancel().catch(() => undefined);
          throw bad("a body over " + maxBytes + " bytes");
        }
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    let data;
    try {
      data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (e) {
      throw bad("non-JSON");
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) throw bad("JSON that is not an object");
    return data;
  }

  /** {ok:false, error:{code, message}}: how every failure is answered. */
  function errorReply(e) {
    const code = (e && e.code) || "internal";
    const message = (e && e.message) || String(e);
    return { ok: false, error: { code, message } };
  }

  /** The reply for a backend call: {ok:true, data, source:"live"}, or errorReply. */
  async function live(call) {
    try {
      return { ok: true, data: await call(), source: "live" };
    } catch (e) {
      return errorReply(e);
    }
  }

  SSC.client = {
    TIMEOUTS,
    MAX_CASE_LIST_BYTES,
    BAD_URL_MESSAGE,
    BAD_TEAM_URL_MESSAGE,
    BackendError,
    backendFetch,
    onOutcome,
    pair,
    errorReply,
    live,
    keepTeamToken,
    teamTokenEnd,
  };
})(self.SSC);

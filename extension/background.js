/*
 * Seller Support Companion: background (MV3 service worker in Chrome,
 * event page in Firefox). The ONLY place that talks to the rules backend.
 * Content scripts, the popup and the options page send it messages; every
 * message is validated here (known type, expected shape, known sender) and
 * only the configured loopback backend URL is ever fetched.
 */
/* global importScripts */
"use strict";

if (typeof importScripts === "function" && !(self.SSC && self.SSC.loadSettings)) {
  importScripts("lib/default-selectors.js", "lib/default-contract.js", "lib/case-links.js", "lib/marketplaces.js", "lib/settings.js", "lib/i18n.js");
}

const SSC = self.SSC;
const api = SSC.api;

const TIMEOUT_MS = 5000;
const PRECHECK_TIMEOUT_MS = 1500;
const CLASSIFY_TIMEOUT_MS = 4000;
const MAX_TEXT = 20000;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024; // every answer the backend gives is far smaller
const MAX_CASE_LIST_BYTES = 32 * 1024 * 1024; // up to 500 cases of up to 20,000 characters

/* ------------------------------------------------------------------ */
/* Backend access                                                       */
/* ------------------------------------------------------------------ */

class BackendError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status || 0;
  }
}

const BAD_URL_MESSAGE = "The backend URL must be a loopback address such as http://127.0.0.1:8765 (127.0.0.1, localhost or [::1])";

/**
 * The configured backend's origin. A stored URL that is not loopback (written to
 * storage by something other than the options page) is refused, not replaced by the
 * default: the seller sees why nothing answers.
 */
async function configuredBase() {
  const got = await api.storage.local.get("settings");
  const raw = got && got.settings && typeof got.settings === "object" ? got.settings.backendUrl : undefined;
  if (raw !== undefined && !SSC.normaliseBackendUrl(raw)) {
    throw new BackendError("bad_backend_url", "Refusing the configured backend " + String(raw).slice(0, 100) + ": " + BAD_URL_MESSAGE);
  }
  return (await SSC.loadSettings()).backendUrl;
}

async function backendFetch(path, { method = "GET", body, timeoutMs = TIMEOUT_MS, signal, baseUrl, maxBytes = MAX_RESPONSE_BYTES } = {}) {
  const base = SSC.normaliseBackendUrl(baseUrl || (await configuredBase()));
  if (!base) throw new BackendError("bad_backend_url", BAD_URL_MESSAGE);
  if (typeof path !== "string" || !path.startsWith("/api/v1/")) throw new BackendError("bad_path", "Refusing to call " + String(path).slice(0, 100));
  const url = new URL(path, base + "/");
  // Never call anything but the configured backend.
  if (url.origin !== base || !url.pathname.startsWith("/api/v1/")) {
    throw new BackendError("bad_path", "Refusing to call " + url.href);
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new BackendError("timeout", "Backend did not answer in time")), timeoutMs);
  const onOuterAbort = () => ctrl.abort(new BackendError("cancelled", "Request superseded"));
  if (signal) {
    if (signal.aborted) onOuterAbort();
    else signal.addEventListener("abort", onOuterAbort, { once: true });
  }
  try {
    const init = { method, signal: ctrl.signal, headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" };
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
      throw new BackendError(code, message, res.status);
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

function errorReply(e) {
  const code = (e && e.code) || "internal";
  const message = (e && e.message) || String(e);
  return { ok: false, error: { code, message } };
}

/* ------------------------------------------------------------------ */
/* Cache (storage.local) so badges survive a stopped backend            */
/* ------------------------------------------------------------------ */

async function cacheGet(key) {
  const got = await api.storage.local.get(key);
  return got ? got[key] : undefined;
}
async function cacheSet(key, data) {
  await api.storage.local.set({ [key]: { data, fetchedAt: new Date().toISOString() } });
}

const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);
/** What each cached answer must look like before it may replace the cached copy. */
const SHAPES = {
  health: (d) => typeof d.status === "string",
  hours: (d) => Array.isArray(d.channels),
  hoursAll: (d) => Array.isArray(d.marketplaces),
  marketplaces: (d) => Array.isArray(d.marketplaces),
  categories: (d) => Array.isArray(d.categories),
  selectors: (d) => Array.isArray(d.support_pages) && isObject(d.anchors),
  contract: (d) => Number.isInteger(d.max_text_length) && isObject(d.identifiers),
};

/**
 * Fetch with cache fallback. Returns {ok, data, source:'live'|'cache'|'default', fetchedAt, error?}.
 * An answer of the wrong shape counts as a failure: it never overwrites a good cached copy.
 */
async function cachedGet(key, path, fallback, shape) {
  try {
    const data = await backendFetch(path);
    if (shape && !shape(data)) throw new BackendError("bad_response", "Backend sent an answer of the wrong shape for " + path.split("?")[0]);
    await cacheSet(key, data);
    return { ok: true, data, source: "live", fetchedAt: new Date().toISOString() };
  } catch (e) {
    const cached = await cacheGet(key);
    const err = errorReply(e).error;
    if (cached && cached.data) return { ok: true, data: cached.data, source: "cache", fetchedAt: cached.fetchedAt, error: err };
    if (fallback !== undefined) return { ok: true, data: fallback, source: "default", fetchedAt: null, error: err };
    return { ok: false, error: err };
  }
}

/* ------------------------------------------------------------------ */
/* Message validation                                                   */
/* ------------------------------------------------------------------ */

const isStr = (v, max) => typeof v === "string" && v.length <= max;
const isMarketplace = (v) => typeof v === "string" && SSC.MARKETPLACE_CODES.includes(v);
const CONTACT_METHODS = ["case", "phone", "chat"];
const CASE_STATUSES = ["open", "replied", "resolved"];
const isCategory = (v) => typeof v === "string" && /^[a-z0-9_]{1,40}$/.test(v);
const isAmazonCaseId = (v) => typeof v === "string" && /^[0-9A-Za-z-]{1,40}$/.test(v);
const isCasePk = (v) => Number.isInteger(v) && v > 0 && v <= Number.MAX_SAFE_INTEGER;
// Every message carries exactly the keys its type allows: no extra url, path or method.
const hasOnly = (m, keys) => Object.keys(m).every((k) => k === "type" || keys.includes(k));

/** type -> {from: 'content'|'page'|'any', check(msg) -> bool} */
const HANDLERS = {
  "ssc:health": { from: "any", check: (m) => hasOnly(m, []), run: () => health() },
  "ssc:marketplaces": {
    from: "any",
    check: (m) => hasOnly(m, []),
    run: () => cachedGet("cache:marketplaces", "/api/v1/marketplaces", { marketplaces: SSC.FALLBACK_MARKETPLACES }, SHAPES.marketplaces),
  },
  "ssc:categories": { from: "any", check: (m) => hasOnly(m, []), run: () => cachedGet("cache:categories", "/api/v1/categories", undefined, SHAPES.categories) },
  "ssc:selectors": {
    from: "any",
    check: (m) => hasOnly(m, []),
    run: () => cachedGet("cache:selectors", "/api/v1/selectors", SSC.DEFAULT_SELECTORS, SHAPES.selectors),
  },
  "ssc:contract": {
    from: "any",
    check: (m) => hasOnly(m, []),
    run: () => cachedGet("cache:contract", "/api/v1/contract", SSC.DEFAULT_CONTRACT, SHAPES.contract),
  },
  "ssc:hours": {
    from: "any",
    check: (m) => hasOnly(m, ["marketplace"]) && isMarketplace(m.marketplace),
    run: async (m) => {
      const s = await SSC.loadSettings();
      const q = new URLSearchParams({ marketplace: m.marketplace, tz: s.sellerTimezone });
      return cachedGet("cache:hours:" + m.marketplace + ":" + s.sellerTimezone, "/api/v1/hours?" + q, undefined, SHAPES.hours);
    },
  },
  "ssc:hoursAll": {
    from: "any",
    check: (m) => hasOnly(m, []),
    run: async () => {
      const s = await SSC.loadSettings();
      const q = new URLSearchParams({ tz: s.sellerTimezone });
      return cachedGet("cache:hoursAll:" + s.sellerTimezone, "/api/v1/hours/all?" + q, undefined, SHAPES.hoursAll);
    },
  },
  "ssc:classify": {
    from: "any",
    check: (m) => hasOnly(m, ["text", "marketplace"]) && isStr(m.text, MAX_TEXT) && isMarketplace(m.marketplace),
    run: (m, sender) => classify(m, sender),
  },
  "ssc:precheck": {
    from: "any",
    check: (m) =>
      hasOnly(m, ["text", "marketplace", "category", "contact_method", "attachments"]) &&
      isStr(m.text, MAX_TEXT) &&
      isMarketplace(m.marketplace) &&
      (m.category === null || (typeof m.category === "string" && /^[a-z0-9_]{1,40}$/.test(m.category))) &&
      CONTACT_METHODS.includes(m.contact_method) &&
      Array.isArray(m.attachments) &&
      m.attachments.length <= 50 &&
      m.attachments.every((a) => isStr(a, 255)),
    run: (m) => precheck(m),
  },
  // The case log. Only our content scripts record a case (when the page's submit goes
  // through); only our own pages (the popup) list cases and change their status.
  "ssc:caseRecord": {
    from: "content",
    check: (m) =>
      hasOnly(m, ["text", "category", "marketplace", "contact_method", "case_id"]) &&
      isStr(m.text, MAX_TEXT) &&
      m.text.trim().length > 0 &&
      isCategory(m.category) &&
      isMarketplace(m.marketplace) &&
      CONTACT_METHODS.includes(m.contact_method) &&
      (m.case_id === undefined || m.case_id === null || isAmazonCaseId(m.case_id)),
    run: (m, sender) => caseRecord(m, sender),
  },
  // Amazon's case id seen on the page after a submit (confirmation or case page): it is
  // stored on the case this tab recorded in the last few minutes, once; otherwise ignored.
  "ssc:caseIdSeen": {
    from: "content",
    check: (m) => hasOnly(m, ["case_id"]) && isAmazonCaseId(m.case_id),
    run: (m, sender) => caseIdSeen(m, sender),
  },
  "ssc:caseList": {
    from: "page",
    check: (m) =>
      hasOnly(m, ["status", "marketplace", "limit"]) &&
      (m.status === undefined || CASE_STATUSES.includes(m.status)) &&
      (m.marketplace === undefined || isMarketplace(m.marketplace)) &&
      (m.limit === undefined || (Number.isInteger(m.limit) && m.limit >= 1 && m.limit <= 500)),
    run: (m) => caseList(m),
  },
  "ssc:caseUpdate": {
    from: "page",
    check: (m) =>
      hasOnly(m, ["id", "status", "case_id"]) &&
      isCasePk(m.id) &&
      (m.status !== undefined || m.case_id !== undefined) &&
      (m.status === undefined || CASE_STATUSES.includes(m.status)) &&
      (m.case_id === undefined || isAmazonCaseId(m.case_id)),
    run: (m) => caseUpdate(m),
  },
  "ssc:locale": {
    from: "any",
    check: (m) => hasOnly(m, ["lang"]) && (m.lang === "zh_CN" || m.lang === "en"),
    run: (m) => locale(m.lang),
  },
  "ssc:testConnection": {
    from: "page",
    check: (m) => hasOnly(m, ["url"]) && isStr(m.url, 200),
    run: (m) => testConnection(m.url),
  },
};

function senderKind(sender) {
  if (!sender || sender.id !== api.runtime.id) return null;
  const base = api.runtime.getURL("");
  if (sender.url && sender.url.startsWith(base)) return "page";
  if (sender.tab && sender.url) {
    try {
      const host = new URL(sender.url).hostname;
      if (SSC.marketplacesForHost(host).length) return "content";
    } catch (e) {
      return null;
    }
  }
  return null;
}

/* ------------------------------------------------------------------ */
/* Operations                                                           */
/* ------------------------------------------------------------------ */

function checkHealth(data) {
  if (!SHAPES.health(data)) throw new BackendError("bad_response", "Backend sent an answer of the wrong shape for /api/v1/health");
  return data;
}

async function health() {
  try {
    const data = checkHealth(await backendFetch("/api/v1/health", { timeoutMs: 2500 }));
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  }
}

async function testConnection(url) {
  const base = SSC.normaliseBackendUrl(url);
  if (!base) return { ok: false, error: { code: "bad_backend_url", message: BAD_URL_MESSAGE } };
  try {
    const data = checkHealth(await backendFetch("/api/v1/health", { timeoutMs: 2500, baseUrl: base }));
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  }
}

// One in-flight classify per tab: a newer request cancels the stale one.
const inflightClassify = new Map();

async function classify(m, sender) {
  const key = sender && sender.tab ? "tab:" + sender.tab.id : "page";
  const prev = inflightClassify.get(key);
  if (prev) prev.abort();
  const ctrl = new AbortController();
  inflightClassify.set(key, ctrl);
  try {
    const data = await backendFetch("/api/v1/classify", {
      method: "POST",
      body: { text: m.text, marketplace: m.marketplace },
      timeoutMs: CLASSIFY_TIMEOUT_MS,
      signal: ctrl.signal,
    });
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  } finally {
    if (inflightClassify.get(key) === ctrl) inflightClassify.delete(key);
  }
}

async function precheck(m) {
  const s = await SSC.loadSettings();
  const body = {
    text: m.text,
    marketplace: m.marketplace,
    contact_method: m.contact_method,
    attachments: m.attachments,
    seller: { plan: s.plan, video_verified: s.videoVerified, two_factor: s.twoFactor },
  };
  if (m.category) body.category = m.category;
  try {
    const data = await backendFetch("/api/v1/precheck", { method: "POST", body, timeoutMs: PRECHECK_TIMEOUT_MS });
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  }
}

// The case each tab recorded last, for picking up Amazon's case id on the next page.
const CASE_ID_WINDOW_MS = 10 * 60 * 1000;
const sessionArea = api.storage.session || null;
const recentMemory = new Map();
const recentKey = (sender) => (sender && sender.tab && Number.isInteger(sender.tab.id) ? "recentCase:" + sender.tab.id : null);

async function recentSet(key, value) {
  if (!key) return;
  if (sessionArea) {
    if (value) await sessionArea.set({ [key]: value });
    else await sessionArea.remove(key);
  } else if (value) recentMemory.set(key, value);
  else recentMemory.delete(key);
}

async function recentGet(key) {
  if (!key) return null;
  if (sessionArea) return ((await sessionArea.get(key)) || {})[key] || null;
  return recentMemory.get(key) || null;
}

const recordingByTab = new Map(); // tab key -> the in-flight caseRecord

async function caseIdSeen(m, sender) {
  const key = recentKey(sender);
  if (key && recordingByTab.has(key)) await recordingByTab.get(key); // the confirmation can beat the POST
  const recent = await recentGet(key);
  if (!recent || !isCasePk(recent.id) || !(Date.now() - recent.at <= CASE_ID_WINDOW_MS)) {
    return { ok: false, error: { code: "no_recent_case", message: "No case recorded from this tab in the last minutes" } };
  }
  await recentSet(key, null); // once
  try {
    const data = await backendFetch("/api/v1/cases/" + recent.id, { method: "PATCH", body: { case_id: m.case_id } });
    await reminders.schedule(data).catch((e) => console.debug("[SSC]", e));
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  }
}

function caseRecord(m, sender) {
  const key = recentKey(sender);
  const run = recordCase(m, sender);
  if (!key) return run;
  const done = run.then(
    () => undefined,
    () => undefined
  );
  recordingByTab.set(key, done);
  done.then(() => {
    if (recordingByTab.get(key) === done) recordingByTab.delete(key);
  });
  return run;
}

async function recordCase(m, sender) {
  const s = await SSC.loadSettings();
  if (!s.recordCases) return { ok: false, error: { code: "disabled", message: "The case log is switched off in the options" } };
  const body = { text: m.text, category: m.category, marketplace: m.marketplace, contact_method: m.contact_method };
  if (m.case_id) body.case_id = m.case_id;
  try {
    const data = await backendFetch("/api/v1/cases", { method: "POST", body });
    if (!data.case_id && isCasePk(data.id)) await recentSet(recentKey(sender), { id: data.id, at: Date.now() });
    await reminders.schedule(data).catch((e) => console.debug("[SSC] reminder not scheduled", e));
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  }
}

async function caseList(m) {
  const q = new URLSearchParams({ limit: String(m.limit || 100) });
  if (m.status) q.set("status", m.status);
  if (m.marketplace) q.set("marketplace", m.marketplace);
  try {
    const data = await backendFetch("/api/v1/cases?" + q, { maxBytes: MAX_CASE_LIST_BYTES });
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  }
}

async function caseUpdate(m) {
  const body = {};
  if (m.status !== undefined) body.status = m.status;
  if (m.case_id !== undefined) body.case_id = m.case_id;
  try {
    const data = await backendFetch("/api/v1/cases/" + m.id, { method: "PATCH", body });
    await (data && data.status === "open" ? reminders.schedule(data) : reminders.drop(m.id)).catch((e) => console.debug("[SSC]", e));
    return { ok: true, data, source: "live" };
  } catch (e) {
    return errorReply(e);
  }
}

/* ------------------------------------------------------------------ */
/* 72-hour follow-up reminders: chrome.alarms + a notification          */
/* ------------------------------------------------------------------ */

// Reminders live in storage.local ("reminders": {<case id>: {...}}), so the
// alarms are recreated from storage whenever the service worker starts. Every
// hour (and at start) they are reconciled with the backend's open cases, which
// also picks up cases recorded in another browser or imported.
const FOLLOWUP_MS = 72 * 3600 * 1000;
const REMINDER_PREFIX = "ssc-followup:";
const SYNC_ALARM = "ssc-followup-sync";

const isCaseRecord = (c) =>
  !!c && typeof c === "object" && isCasePk(c.id) && typeof c.text === "string" && isMarketplace(c.marketplace) &&
  Number.isFinite(Date.parse(c.filed_at));

const reminders = {
  async all() {
    const got = await api.storage.local.get("reminders");
    const r = got && got.reminders;
    return r && typeof r === "object" && !Array.isArray(r) ? r : {};
  },

  async save(all) {
    await api.storage.local.set({ reminders: all });
  },

  entry(c, prev) {
    return {
      id: c.id,
      marketplace: c.marketplace,
      category: typeof c.category === "string" ? c.category : "",
      case_id: typeof c.case_id === "string" && isAmazonCaseId(c.case_id) ? c.case_id : "",
      text: c.text.replace(/\s+/g, " ").trim().slice(0, 120),
      due: Date.parse(c.filed_at) + FOLLOWUP_MS,
      notified: !!(prev && prev.notified),
    };
  },

  /** An alarm for an open case's 72-hour mark (none once it is notified). */
  async arm(r) {
    const name = REMINDER_PREFIX + r.id;
    if (r.notified) return;
    const existing = await api.alarms.get(name);
    if (existing && Math.abs(existing.scheduledTime - Math.max(r.due, Date.now())) < 60000) return;
    await api.alarms.create(name, { when: Math.max(r.due, Date.now() + 1000) });
  },

  async schedule(c) {
    if (!isCaseRecord(c) || c.status !== "open" || c.replied_at) return this.drop(c && c.id);
    const all = await this.all();
    const r = this.entry(c, all[c.id]);
    all[c.id] = r;
    await this.save(all);
    await this.arm(r);
  },

  async drop(id) {
    if (!isCasePk(id)) return;
    const all = await this.all();
    delete all[id];
    await this.save(all);
    await api.alarms.clear(REMINDER_PREFIX + id);
    try {
      await api.notifications.clear(REMINDER_PREFIX + id);
    } catch (e) {
      /* no notification shown */
    }
  },

  /** At service-worker start: every stored reminder gets its alarm back. */
  async restore() {
    const all = await this.all();
    for (const r of Object.values(all)) {
      if (r && isCasePk(r.id) && Number.isFinite(r.due)) await this.arm(r);
    }
    if (!(await api.alarms.get(SYNC_ALARM))) await api.alarms.create(SYNC_ALARM, { delayInMinutes: 1, periodInMinutes: 60 });
  },

  /** Reconcile with the backend's open cases (no change when it is unreachable). */
  async sync() {
    const s = await SSC.loadSettings();
    if (!s.recordCases) return;
    let data;
    try {
      data = await backendFetch("/api/v1/cases?" + new URLSearchParams({ status: "open", limit: "500" }), { maxBytes: MAX_CASE_LIST_BYTES });
    } catch (e) {
      return;
    }
    if (!data || !Array.isArray(data.cases)) return;
    const all = await this.all();
    const open = {};
    for (const c of data.cases) if (isCaseRecord(c) && c.status === "open" && !c.replied_at) open[c.id] = this.entry(c, all[c.id]);
    for (const id of Object.keys(all)) if (!open[id]) await api.alarms.clear(REMINDER_PREFIX + id);
    await this.save(open);
    for (const r of Object.values(open)) await this.arm(r);
  },

  /** The alarm went off: notify, unless the case was answered meanwhile. */
  async fire(id) {
    const all = await this.all();
    const r = all[id];
    if (!r || r.notified) return;
    try {
      const c = await backendFetch("/api/v1/cases/" + id, { timeoutMs: 2500 });
      if (!c || c.status !== "open" || c.replied_at) return this.drop(Number(id));
    } catch (e) {
      if (e && e.status === 404) return this.drop(Number(id));
      // Backend down: remind anyway; a missed follow-up costs more than a stale one.
    }
    const s = await SSC.loadSettings();
    const i18n = SSC.i18n;
    await i18n.init(s.uiLanguage);
    const name = r.case_id ? i18n.t("notifyCaseAmazon", [String(r.id), r.case_id]) : i18n.t("notifyCase", [String(r.id)]);
    await api.notifications.create(REMINDER_PREFIX + r.id, {
      type: "basic",
      iconUrl: api.runtime.getURL("icons/icon128.png"),
      title: i18n.t("notifyFollowupTitle", [name, r.marketplace]),
      message: i18n.t("notifyFollowupBody", [r.text]),
      priority: 1,
    });
    r.notified = true;
    all[id] = r;
    await this.save(all);
  },

  /** A click on the notification opens the case (or the case log) on the marketplace's Seller Central. */
  async open(id) {
    const r = (await this.all())[id];
    if (!r) return;
    const mp = SSC.FALLBACK_MARKETPLACES.find((m) => m.code === r.marketplace);
    const host = mp ? mp.domains[mp.domains.length - 1] : "sellercentral.amazon.com";
    const url = "https://" + host + (r.case_id ? "/cu/case-dashboard/view-case?caseID=" + encodeURIComponent(r.case_id) : "/cu/case-dashboard");
    await api.tabs.create({ url });
    await api.notifications.clear(REMINDER_PREFIX + id);
    return url;
  },
};

const localeCache = {};
async function locale(lang) {
  if (!localeCache[lang]) {
    const res = await fetch(api.runtime.getURL("_locales/" + lang + "/messages.json"));
    localeCache[lang] = await res.json();
  }
  return { ok: true, data: localeCache[lang] };
}

/* ------------------------------------------------------------------ */
/* Wiring                                                               */
/* ------------------------------------------------------------------ */

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const kind = senderKind(sender);
  if (!kind || !msg || typeof msg !== "object" || typeof msg.type !== "string") {
    sendResponse({ ok: false, error: { code: "bad_message", message: "Unknown sender or message" } });
    return false;
  }
  const h = Object.prototype.hasOwnProperty.call(HANDLERS, msg.type) ? HANDLERS[msg.type] : null;
  if (!h || (h.from !== "any" && h.from !== kind)) {
    sendResponse({ ok: false, error: { code: "unknown_type", message: "Unknown message type" } });
    return false;
  }
  let valid = false;
  try {
    valid = h.check(msg);
  } catch (e) {
    valid = false;
  }
  if (!valid) {
    sendResponse({ ok: false, error: { code: "bad_message", message: "Malformed " + msg.type } });
    return false;
  }
  Promise.resolve()
    .then(() => h.run(msg, sender))
    .then(
      (reply) => sendResponse(reply),
      (e) => sendResponse(errorReply(e))
    );
  return true; // async sendResponse (works in Chrome and Firefox)
});

// Listeners are registered synchronously at the top level, so an alarm wakes the worker.
api.alarms.onAlarm.addListener((alarm) => {
  const run = alarm.name === SYNC_ALARM
    ? reminders.sync()
    : alarm.name.startsWith(REMINDER_PREFIX)
      ? reminders.fire(alarm.name.slice(REMINDER_PREFIX.length))
      : Promise.resolve();
  run.catch((e) => console.debug("[SSC] alarm", alarm.name, e));
});
api.notifications.onClicked.addListener((id) => {
  if (id.startsWith(REMINDER_PREFIX)) reminders.open(id.slice(REMINDER_PREFIX.length)).catch((e) => console.debug("[SSC]", e));
});

/** Every start of the service worker: alarms back from storage, then a reconcile with the backend. */
function startReminders() {
  return reminders
    .restore()
    .then(() => reminders.sync())
    .catch((e) => console.debug("[SSC] reminders", e));
}
startReminders();

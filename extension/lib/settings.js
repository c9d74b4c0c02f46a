/*
 * Settings shared by the service worker, content scripts, popup and options.
 * Stored in storage.local under "settings".
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const api = root.browser && root.browser.runtime ? root.browser : root.chrome;
  SSC.api = api;

  SSC.DEFAULT_BACKEND_URL = "http://127.0.0.1:8765";
  SSC.DEFAULT_TIMEZONE = "Asia/Shanghai";
  SSC.LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

  /**
   * The account statuses as the backend names them (the contract's account_statuses, as the
   * seller reads them on the Account Health page): the built-in copy, so that settings are
   * checked the same everywhere without waiting for the backend.
   */
  SSC.accountStatuses = function () {
    const c = SSC.DEFAULT_CONTRACT;
    return c && Array.isArray(c.account_statuses) ? c.account_statuses : [];
  };

  SSC.isValidTimezone = function (tz) {
    if (typeof tz !== "string" || !tz || tz.length > 64) return false;
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch (e) {
      return false;
    }
  };

  /** Normalise a backend URL; returns null unless it is http(s) on a loopback host. */
  SSC.normaliseBackendUrl = function (value) {
    if (typeof value !== "string" || value.length > 200) return null;
    let u;
    try {
      u = new URL(value.trim());
    } catch (e) {
      return null;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    if (!SSC.LOOPBACK_HOSTS.includes(u.hostname)) return null;
    if (u.username || u.password || u.search || u.hash) return null;
    return u.origin;
  };

  /**
   * A team server's URL (issue 16), normalised to its origin: https:// on any host, or
   * http(s) on a loopback host (a team-mode backend on this computer, as in tests). null
   * for anything else; SSC.teamUrlProblem says why.
   */
  SSC.normaliseTeamUrl = function (value) {
    return SSC.teamUrlProblem(value) ? null : new URL(value.trim()).origin;
  };

  /**
   * Why a team server URL is refused: "insecure" for plain http:// to a host that is not
   * loopback (the token would cross the network readable), "invalid" for anything else
   * that is not an https origin; null when it is fine.
   */
  SSC.teamUrlProblem = function (value) {
    if (typeof value !== "string" || !value.trim() || value.length > 200) return "invalid";
    let u;
    try {
      u = new URL(value.trim());
    } catch (e) {
      return "invalid";
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return "invalid";
    if (u.username || u.password || u.search || u.hash || !u.hostname) return "invalid";
    if (u.protocol === "http:" && !SSC.LOOPBACK_HOSTS.includes(u.hostname)) return "insecure";
    return null;
  };

  /** {base, team}: the backend every request goes to, the team server when one is set. */
  SSC.activeBackend = function (settings) {
    return settings.teamServerUrl ? { base: settings.teamServerUrl, team: true } : { base: settings.backendUrl, team: false };
  };

  SSC.defaultSettings = function () {
    return {
      // Beijing time, as most of our sellers keep, not the browser's zone (a seller abroad or a
      // computer set to another zone still thinks in Beijing time); the options page changes it.
      sellerTimezone: SSC.DEFAULT_TIMEZONE,
      plan: "professional",
      // Not set until the seller says (null): the badges ask for them instead of guessing "no".
      videoVerified: null,
      twoFactor: null,
      accountStatus: "good_standing",
      uiLanguage: "auto",
      backendUrl: SSC.DEFAULT_BACKEND_URL,
      // The team server's origin ("" for none: the personal backend above). Its access
      // token is not a setting: the background keeps it apart (background/team.js).
      teamServerUrl: "",
      marketplaceOverride: "",
      recordCases: true, // keep a case log in the backend (duplicate warnings, follow-up reminders)
    };
  };

  /** Merge stored values over defaults, dropping anything malformed. */
  SSC.sanitiseSettings = function (stored) {
    const d = SSC.defaultSettings();
    const s = stored && typeof stored === "object" ? stored : {};
    const out = { ...d };
    if (SSC.isValidTimezone(s.sellerTimezone)) out.sellerTimezone = s.sellerTimezone;
    if (s.plan === "professional" || s.plan === "individual") out.plan = s.plan;
    if (typeof s.videoVerified === "boolean") out.videoVerified = s.videoVerified;
    if (typeof s.twoFactor === "boolean") out.twoFactor = s.twoFactor;
    if (SSC.accountStatuses().includes(s.accountStatus)) out.accountStatus = s.accountStatus;
    if (typeof s.recordCases === "boolean") out.recordCases = s.recordCases;
    if (["auto", "zh_CN", "en"].includes(s.uiLanguage)) out.uiLanguage = s.uiLanguage;
    const url = SSC.normaliseBackendUrl(s.backendUrl);
    if (url) out.backendUrl = url;
    if (typeof s.teamServerUrl === "string" && SSC.normaliseTeamUrl(s.teamServerUrl)) out.teamServerUrl = SSC.normaliseTeamUrl(s.teamServerUrl);
    if (s.marketplaceOverride === "" || (SSC.MARKETPLACE_CODES || []).includes(s.marketplaceOverride)) {
      out.marketplaceOverride = s.marketplaceOverride || "";
    }
    return out;
  };

  SSC.loadSettings = async function () {
    const got = await api.storage.local.get("settings");
    return SSC.sanitiseSettings(got && got.settings);
  };

  SSC.saveSettings = async function (patch) {
    // A backend URL that is not loopback is refused outright, never silently replaced.
    if (patch && patch.backendUrl !== undefined && !SSC.normaliseBackendUrl(patch.backendUrl)) {
      throw new Error("Refusing backend URL " + String(patch.backendUrl).slice(0, 100) + ": use a loopback address such as http://127.0.0.1:8765");
    }
    // So is a team server that is not https (or loopback): "" goes back to the personal backend.
    if (patch && patch.teamServerUrl !== undefined && patch.teamServerUrl !== "" && !SSC.normaliseTeamUrl(patch.teamServerUrl)) {
      throw new Error("Refusing team server URL " + String(patch.teamServerUrl).slice(0, 100) + ": a team server must use https://");
    }
    const current = await SSC.loadSettings();
    const next = SSC.sanitiseSettings({ ...current, ...patch });
    await api.storage.local.set({ settings: next });
    return next;
  };

  /** "zh_CN" or "en" for a uiLanguage setting. */
  SSC.resolveLanguage = function (setting) {
    if (setting === "zh_CN" || setting === "en") return setting;
    let nav = "";
    try {
      nav = (api.i18n && api.i18n.getUILanguage && api.i18n.getUILanguage()) || root.navigator.language || "";
    } catch (e) {
      nav = "";
    }
    return /^zh/i.test(nav) ? "zh_CN" : "en";
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

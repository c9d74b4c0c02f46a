/*
 * Options page: seller time zone, plan, channel eligibility (verification, two-factor,
 * account status), UI language, backend URL,
 * connection test; the team server (team.js); what the classifier learned from the seller (corrections.js); page
 * anchors (anchors.js).
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const api = SSC.api;
  const i18n = SSC.i18n;
  const $ = (id) => document.getElementById(id);

  async function localise(lang) {
    await i18n.init(lang);
    SSC.localiseDocument(document);
  }

  let picker = null; // SSC.TimezonePicker on #sellerTimezone (main)

  function fill(s) {
    picker.set(s.sellerTimezone);
    $("plan").value = s.plan;
    $("videoVerified").value = s.videoVerified === null ? "" : String(s.videoVerified);
    $("twoFactor").value = s.twoFactor === null ? "" : String(s.twoFactor);
    $("accountStatus").value = s.accountStatus;
    $("recordCases").checked = s.recordCases;
    $("uiLanguage").value = s.uiLanguage;
    $("backendUrl").value = s.backendUrl;
  }

  /** A yes / no / not set select's value: true, false or null. */
  const yesNo = (value) => (value === "" ? null : value === "true");

  /** The account statuses as the backend names them (the contract), each labelled in the page's language. */
  function fillAccountStatuses() {
    const select = $("accountStatus");
    select.replaceChildren(...SSC.accountStatuses().map((status) => SSC.h("option", { value: status, "data-i18n": "optAccount_" + status })));
  }

  function read() {
    return {
      sellerTimezone: picker.value(),
      plan: $("plan").value,
      videoVerified: yesNo($("videoVerified").value),
      twoFactor: yesNo($("twoFactor").value),
      accountStatus: $("accountStatus").value,
      recordCases: $("recordCases").checked,
      uiLanguage: $("uiLanguage").value,
      backendUrl: $("backendUrl").value.trim(),
    };
  }

  function validate(v) {
    const tzOk = SSC.isValidTimezone(v.sellerTimezone);
    const urlOk = !!SSC.normaliseBackendUrl(v.backendUrl);
    $("tz-error").hidden = tzOk;
    $("url-error").hidden = urlOk;
    return tzOk && urlOk;
  }

  async function save(e) {
    if (e) e.preventDefault();
    const v = read();
    $("saved").hidden = true;
    if (!validate(v)) return;
    v.backendUrl = SSC.normaliseBackendUrl(v.backendUrl);
    const before = await SSC.loadSettings();
    const saved = await SSC.saveSettings(v);
    fill(saved);
    if (before.uiLanguage !== saved.uiLanguage) {
      await localise(saved.uiLanguage);
      picker.describe(); // the zone's name in the new language
      SSC.optionsTeam.relocalise();
    }
    $("saved").hidden = false;
    SSC.optionsCorrections.refresh(); // another backend or language
    document.body.dataset.sscSaved = String(Date.now());
  }

  async function test() {
    const out = $("test-result");
    const url = SSC.normaliseBackendUrl($("backendUrl").value.trim());
    out.hidden = false;
    out.removeAttribute("data-ok");
    if (!url) {
      out.dataset.ok = "false";
      out.textContent = i18n.t("optInvalidUrl");
      return;
    }
    out.textContent = i18n.t("optTesting");
    let reply;
    try {
      reply = await api.runtime.sendMessage({ type: "ssc:testConnection", url });
    } catch (err) {
      reply = { ok: false, error: { message: String(err && err.message) } };
    }
    if (reply && reply.ok && reply.data) {
      out.dataset.ok = "true";
      out.textContent = rulesStatus(reply.data);
    } else {
      out.dataset.ok = "false";
      out.textContent = i18n.t("optTestFail", [errorText(reply)]);
    }
  }

  /** Why the background's request failed, in the page's language (lib/errors.js). */
  function errorText(reply) {
    return SSC.errorText(i18n, reply && reply.error);
  }

  /** "Connected. Rules updated on …": when the rules were last edited, not their hash. */
  function rulesStatus(health) {
    const updated = Date.parse(health.rules_updated_at);
    if (!Number.isFinite(updated)) return i18n.t("optTestOkUndated");
    const tz = picker.value();
    const when = SSC.hours.fmt(updated, SSC.isValidTimezone(tz) ? tz : "UTC", i18n.locale, true);
    return i18n.t("optTestOk", [when]);
  }

  /** Send the pairing code to the background, which keeps the token the backend gives. */
  async function pairNow() {
    const out = $("pair-result");
    out.hidden = false;
    let reply;
    try {
      reply = await api.runtime.sendMessage({ type: "ssc:pair", code: $("pairCode").value.trim() });
    } catch (err) {
      reply = { ok: false, error: { message: String(err && err.message) } };
    }
    out.dataset.ok = String(!!(reply && reply.ok));
    out.textContent = reply && reply.ok ? i18n.t("optPairOk") : i18n.t("optPairFail", [errorText(reply)]);
  }

  async function loadZoneNames() {
    try {
      const reply = await api.runtime.sendMessage({ type: "ssc:marketplaces" });
      if (reply && reply.ok) picker.setZones(SSC.zonesOf(reply.data));
    } catch (e) {
      // The built-in names stay.
    }
  }

  async function main() {
    const s = await SSC.loadSettings();
    fillAccountStatuses();
    await localise(s.uiLanguage);
    picker = new SSC.TimezonePicker($("sellerTimezone"), $("tz-options"), $("tz-chosen"));
    fill(s);
    loadZoneNames(); // not awaited: the built-in names serve until the backend's arrive
    $("form").addEventListener("submit", save);
    $("test").addEventListener("click", test);
    $("pair").addEventListener("click", pairNow);
    await SSC.optionsTeam.start();
    SSC.optionsCorrections.start(); // not awaited: the section says when the backend is slow or down
    await SSC.optionsAnchors.start();
    document.body.dataset.sscReady = "true";
  }

  main().catch((e) => console.debug(e));
})();

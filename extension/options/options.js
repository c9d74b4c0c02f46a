/*
 * Options page: seller time zone, plan, phone eligibility, UI language, backend URL,
 * connection test; what the classifier learned from the seller (corrections.js); page
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

  function fill(s) {
    $("sellerTimezone").value = s.sellerTimezone;
    $("plan").value = s.plan;
    $("videoVerified").checked = s.videoVerified;
    $("twoFactor").checked = s.twoFactor;
    $("recordCases").checked = s.recordCases;
    $("uiLanguage").value = s.uiLanguage;
    $("backendUrl").value = s.backendUrl;
  }

  function read() {
    return {
      sellerTimezone: $("sellerTimezone").value.trim(),
      plan: $("plan").value,
      videoVerified: $("videoVerified").checked,
      twoFactor: $("twoFactor").checked,
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
    if (before.uiLanguage !== saved.uiLanguage) await localise(saved.uiLanguage);
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
      out.textContent = i18n.t("optTestOk", [String(reply.data.rules_version || "?")]);
    } else {
      out.dataset.ok = "false";
      out.textContent = i18n.t("optTestFail", [(reply && reply.error && (reply.error.message || reply.error.code)) || "?"]);
    }
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
    out.textContent = reply && reply.ok ? i18n.t("optPairOk") : i18n.t("optPairFail", [(reply && reply.error && (reply.error.message || reply.error.code)) || "?"]);
  }

  async function main() {
    const s = await SSC.loadSettings();
    await localise(s.uiLanguage);
    const list = $("tz-list");
    let zones = [];
    try {
      zones = Intl.supportedValuesOf("timeZone");
    } catch (e) {
      zones = ["Asia/Shanghai", "Asia/Hong_Kong", "America/New_York", "Europe/London"];
    }
    list.replaceChildren(...zones.map((z) => Object.assign(document.createElement("option"), { value: z })));
    fill(s);
    $("form").addEventListener("submit", save);
    $("test").addEventListener("click", test);
    $("pair").addEventListener("click", pairNow);
    SSC.optionsCorrections.start(); // not awaited: the section says when the backend is slow or down
    await SSC.optionsAnchors.start();
    document.body.dataset.sscReady = "true";
  }

  main().catch((e) => console.debug(e));
})();

/*
 * Runtime-switchable i18n. chrome.i18n always follows the browser language,
 * so the chosen locale's messages.json is loaded explicitly: directly in
 * extension pages, through the background in content scripts (extension
 * files are not web-accessible to pages).
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const api = SSC.api;

  function render(entry, subs) {
    let msg = String(entry.message || "");
    const ph = entry.placeholders || {};
    msg = msg.replace(/\$([A-Za-z0-9_@]+)\$/g, (m, name) => {
      const p = ph[name.toLowerCase()];
      return p ? String(p.content) : m;
    });
    const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
    msg = msg.replace(/\$(\d)/g, (m, d) => {
      const v = list[Number(d) - 1];
      return v === undefined || v === null ? "" : String(v);
    });
    return msg.replace(/\$\$/g, "$");
  }

  const i18n = {
    lang: "en",
    messages: null,
    async init(setting) {
      const lang = SSC.resolveLanguage(setting);
      let messages = null;
      try {
        const isExtPage = root.location && /^(chrome|moz)-extension:$/.test(root.location.protocol);
        if (isExtPage) {
          const res = await fetch(api.runtime.getURL("_locales/" + lang + "/messages.json"));
          messages = await res.json();
        } else {
          const reply = await api.runtime.sendMessage({ type: "ssc:locale", lang });
          if (reply && reply.ok) messages = reply.data;
        }
      } catch (e) {
        messages = null; // fall back to chrome.i18n (browser language)
      }
      this.lang = lang;
      this.messages = messages;
      return lang;
    },
    /** BCP-47 tag for Intl formatting. */
    get locale() {
      return this.lang === "zh_CN" ? "zh-CN" : "en-GB";
    },
    /** "zh" or "en": picks fields of {zh, en} objects from the backend. */
    get short() {
      return this.lang === "zh_CN" ? "zh" : "en";
    },
    t(key, subs) {
      const entry = this.messages && this.messages[key];
      if (entry) return render(entry, subs);
      try {
        const m = api.i18n.getMessage(key, subs === undefined ? undefined : [].concat(subs).map(String));
        if (m) return m;
      } catch (e) {
        /* ignore */
      }
      return key;
    },
    /** Pick the UI language from a backend {zh, en} object. */
    pick(obj) {
      if (!obj || typeof obj !== "object") return obj == null ? "" : String(obj);
      return String(obj[this.short] || obj.en || obj.zh || "");
    },
  };
  SSC.i18n = i18n;

  /** Fill [data-i18n] / [data-i18n-title] / [data-i18n-placeholder] in an extension page. */
  SSC.localiseDocument = function (doc) {
    for (const el of doc.querySelectorAll("[data-i18n]")) el.textContent = i18n.t(el.getAttribute("data-i18n"));
    for (const el of doc.querySelectorAll("[data-i18n-title]")) el.title = i18n.t(el.getAttribute("data-i18n-title"));
    for (const el of doc.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", i18n.t(el.getAttribute("data-i18n-aria-label")));
    for (const el of doc.querySelectorAll("[data-i18n-placeholder]")) {
      el.placeholder = i18n.t(el.getAttribute("data-i18n-placeholder"));
    }
    doc.documentElement.lang = i18n.locale;
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

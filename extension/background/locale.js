/*
 * Background, the UI strings of one language (_locales/<lang>/messages.json) for pages
 * and content scripts that switch language at run time; read once per worker.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;
  const loaded = {};

  async function locale(lang) {
    if (!loaded[lang]) {
      const res = await fetch(api.runtime.getURL("_locales/" + lang + "/messages.json"));
      loaded[lang] = await res.json();
    }
    return { ok: true, data: loaded[lang] };
  }

  SSC.locale = locale;
})(self.SSC);

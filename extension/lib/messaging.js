/*
 * The extension's pages (popup, options) ask the background, which alone talks to the
 * backend. A reply is always an object: `{ok: false, error: {code, message}}` when the
 * background did not answer or the extension was reloaded meanwhile, so a page never
 * fails on a missing reply.
 */
(function () {
  "use strict";
  const SSC = (globalThis.SSC = globalThis.SSC || {});

  SSC.askBackground = async function askBackground(msg) {
    try {
      const reply = await SSC.api.runtime.sendMessage(msg);
      return reply && typeof reply === "object" ? reply : { ok: false, error: { code: "no_reply", message: "No reply" } };
    } catch (e) {
      return { ok: false, error: { code: "extension", message: String((e && e.message) || e) } };
    }
  };
})();

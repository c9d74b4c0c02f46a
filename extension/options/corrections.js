/*
 * Options page, "What the classifier learned from you": how many of the seller's
 * corrections (cases filed under another category than the one we suggested first) the
 * backend's classifier learns from, and "Forget them" with a confirm step (the cases stay
 * in the log). Asked through the background like every backend call; when the backend is
 * not running, the section says so as "Test connection" does.
 *
 * Hooks: #corrections[data-ssc-corrections-state] is loading | live | empty | error;
 * [data-ssc-corrections-count] carries the count once known.
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const api = SSC.api;
  const i18n = SSC.i18n;
  const $ = (id) => document.getElementById(id);
  // The backend is not running or not reachable: the connection test's words.
  const UNREACHABLE = ["offline", "timeout", "bad_backend_url"];

  let count = 0; // as last read
  let seq = 0; // a newer read wins over an older one still under way

  async function ask(type) {
    try {
      return await api.runtime.sendMessage({ type });
    } catch (err) {
      return { ok: false, error: { code: "extension", message: String(err && err.message) } };
    }
  }

  /** What went wrong, in the seller's language. */
  function failure(reply) {
    const error = (reply && reply.error) || {};
    const why = error.message || error.code || "?";
    return UNREACHABLE.includes(error.code) ? i18n.t("optTestFail", [why]) : i18n.t("optCorrectionsFail", [why]);
  }

  function closeConfirm() {
    $("corrections-confirm").hidden = true;
  }

  /** The section in `state` (loading | live | empty | error) with `text` as its count line. */
  function show(state, text) {
    const line = $("corrections-count");
    $("corrections").dataset.sscCorrectionsState = state;
    line.textContent = text;
    if (state === "error") line.dataset.ok = "false";
    else line.removeAttribute("data-ok");
    if (state === "live" || state === "empty") line.dataset.sscCorrectionsCount = String(count);
    else line.removeAttribute("data-ssc-corrections-count");
    $("forget-corrections").hidden = state !== "live";
    closeConfirm();
  }

  async function refresh() {
    const mine = ++seq;
    show("loading", i18n.t("optCorrectionsLoading"));
    const reply = await ask("ssc:corrections");
    if (mine !== seq) return;
    if (!reply || !reply.ok || !reply.data) return show("error", failure(reply));
    count = reply.data.count;
    show(count > 0 ? "live" : "empty", count > 0 ? i18n.t("optCorrectionsCount", [String(count)]) : i18n.t("optCorrectionsEmpty"));
  }

  /** "Forget them": ask first. */
  function openConfirm() {
    $("corrections-result").hidden = true;
    $("corrections-confirm-text").textContent = i18n.t("optCorrectionsConfirm", [String(count)]);
    $("forget-corrections").hidden = true;
    $("corrections-confirm").hidden = false;
    $("confirm-forget").focus();
  }

  function cancel() {
    closeConfirm();
    $("forget-corrections").hidden = false;
  }

  async function forget() {
    closeConfirm();
    const reply = await ask("ssc:correctionsForget");
    const out = $("corrections-result");
    const ok = !!(reply && reply.ok && reply.data);
    out.dataset.ok = String(ok);
    out.textContent = ok ? i18n.t("optCorrectionsForgotten", [String(reply.data.forgotten)]) : failure(reply);
    out.hidden = false;
    await refresh();
  }

  SSC.optionsCorrections = {
    start() {
      $("forget-corrections").addEventListener("click", openConfirm);
      $("confirm-forget").addEventListener("click", () => forget().catch((e) => console.debug(e)));
      $("cancel-forget").addEventListener("click", cancel);
      return refresh();
    },
    /** Read the count again (after the settings, such as the backend URL or the language, changed). */
    refresh,
  };
})();

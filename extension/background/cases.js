/*
 * Background, the case log: record a case when the page's submit went through, store
 * Amazon's case id seen on the next page, list cases, the overdue ones, and change their
 * status for the popup. Every change keeps the follow-up reminders in step. The
 * corrections among the cases (filed under another category than we suggested) can be
 * counted and forgotten from the options page.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;
  const { MAX_CASE_LIST_BYTES, backendFetch, live } = SSC.client;
  const { isCasePk } = SSC.checks;


  // The case each tab recorded last ("recentCase:<tab id>", SSC.session), so that it
  // survives the worker being stopped between the submit and the confirmation page.
  const recentKey = (sender) => SSC.session.tabKey("recentCase", sender && sender.tab && sender.tab.id);
  const recentSet = SSC.session.set;
  const recentGet = SSC.session.get;

  const recordingByTab = new Map(); // tab key -> the in-flight record, settled either way

  const keepReminder = (c) => SSC.reminders.schedule(c).catch((e) => console.debug("[SSC] reminder not scheduled", e));

  /** ssc:caseRecord; `text` is already cut to the contract's limit. */
  function record(m, sender) {
    const key = recentKey(sender);
    const run = post(m, sender);
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

  async function post(m, sender) {
    const s = await SSC.loadSettings();
    if (!s.recordCases) return { ok: false, error: { code: "disabled", message: "The case log is switched off in the options" } };
    const body = { text: m.text, category: m.category, marketplace: m.marketplace, contact_method: m.contact_method };
    if (m.suggested) body.suggested = m.suggested; // differs from category: a correction the backend learns from
    if (m.case_id) body.case_id = m.case_id;
    // The store the case is for, when the page said (issue 16): its merchant id and header name.
    if (m.store_id) body.store_id = m.store_id;
    if (m.store_name) body.store_name = m.store_name.trim();
    return live(async () => {
      const data = await backendFetch("/api/v1/cases", { method: "POST", body });
      if (!data.case_id && isCasePk(data.id)) await recentSet(recentKey(sender), { id: data.id, at: Date.now() });
      await keepReminder(data);
      return data;
    });
  }

  /**
   * The tab whose recent case a case id belongs to: this tab, or the tab that opened this
   * window (Amazon's chat opens in a window of its own, with the case id in its URL).
   */
  async function caseTabKey(sender) {
    const own = recentKey(sender);
    const opener = SSC.session.tabKey("recentCase", sender && sender.tab && sender.tab.openerTabId);
    // The confirmation (or the chat window) can beat the case's POST: wait for either tab's.
    for (const key of [own, opener]) if (recordingByTab.has(key)) await recordingByTab.get(key);
    if (await recentGet(own)) return own;
    return opener || own;
  }

  /** ssc:caseIdSeen: Amazon's case id on the page after a submit, stored once on this tab's recent case. */
  async function idSeen(m, sender) {
    const key = await caseTabKey(sender);
    const recent = await recentGet(key);
    if (!recent || !isCasePk(recent.id) || !(Date.now() - recent.at <= SSC.CASE_ID_WINDOW_MS)) {
      return { ok: false, error: { code: "no_recent_case", message: "No case recorded from this tab in the last minutes" } };
    }
    await recentSet(key, null); // once
    return live(async () => {
      const data = await backendFetch("/api/v1/cases/" + recent.id, { method: "PATCH", body: { case_id: m.case_id } });
      await keepReminder(data);
      return data;
    });
  }

  /** GET /api/v1/cases with these query parameters (a case list may be large). */
  function fetchList(params) {
    return backendFetch("/api/v1/cases?" + new URLSearchParams(params), { maxBytes: MAX_CASE_LIST_BYTES });
  }

  // Enough pages for any real case log; a loop that never ends is a backend bug, not data.
  const MAX_PAGES = 200;

  /** Every case matching `params`, page after page (the backend pages with next_cursor). */
  async function fetchAll(params) {
    const cases = [];
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const data = await fetchList(cursor ? { ...params, cursor } : params);
      if (!data || !Array.isArray(data.cases)) throw new SSC.client.BackendError("bad_response", "Backend sent no case list");
      cases.push(...data.cases);
      cursor = typeof data.next_cursor === "string" && data.next_cursor ? data.next_cursor : null;
      if (!cursor) return cases;
    }
    throw new SSC.client.BackendError("bad_response", "Backend kept paging the case list");
  }

  /** ssc:caseList */
  function list(m) {
    const params = { limit: String(m.limit || 100) };
    if (m.status) params.status = m.status;
    if (m.marketplace) params.marketplace = m.marketplace;
    if (m.store_id) params.store_id = m.store_id;
    if (m.person) params.person = m.person;
    return live(() => fetchList(params));
  }

  /**
   * ssc:caseFacets: the stores and people of the case log (GET /api/v1/cases/facets), only
   * the well-formed ones: {stores: [{store_id, store_name|null}], people: [name]}. A backend
   * without facets (an older personal one) answers none, and the popup shows no filters.
   */
  function facets() {
    return live(async () => {
      const data = await backendFetch("/api/v1/cases/facets");
      if (!Array.isArray(data.stores) || !Array.isArray(data.people)) throw new SSC.client.BackendError("bad_response", "Backend sent no facets");
      return SSC.facetsOf(data);
    });
  }

  /** ssc:followups: the first page of overdue cases (GET /api/v1/cases/followups, now). */
  function followups() {
    return live(() => backendFetch("/api/v1/cases/followups?limit=500", { maxBytes: MAX_CASE_LIST_BYTES }));
  }

  /** ssc:caseUpdate: a case marked replied or resolved no longer gets a reminder. */
  function update(m) {
    const body = {};
    if (m.status !== undefined) body.status = m.status;
    if (m.case_id !== undefined) body.case_id = m.case_id;
    return live(async () => {
      const data = await backendFetch("/api/v1/cases/" + m.id, { method: "PATCH", body });
      if (data.status === "open") await keepReminder(data);
      else await SSC.reminders.drop(m.id).catch((e) => console.debug("[SSC]", e));
      return data;
    });
  }

  const isCount = (v) => Number.isSafeInteger(v) && v >= 0;

  /** A corrections answer: `key` a count, else a bad_response. */
  function countOf(data, key) {
    if (!isCount(data[key])) throw new SSC.client.BackendError("bad_response", "Backend sent no " + key + " for /api/v1/corrections");
    return { [key]: data[key] };
  }

  /** ssc:corrections: how many of the seller's corrections the classifier learns from. */
  function corrections() {
    return live(async () => countOf(await backendFetch("/api/v1/corrections"), "count"));
  }

  /** ssc:correctionsForget: the classifier forgets them; the cases stay. */
  function forgetCorrections() {
    return live(async () => countOf(await backendFetch("/api/v1/corrections", { method: "DELETE" }), "forgotten"));
  }

  SSC.cases = { record, idSeen, fetchAll, list, facets, followups, update, corrections, forgetCorrections };
})(self.SSC);

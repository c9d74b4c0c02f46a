/*
 * Background, the case being written in a tab: what the seller gave Amazon's form so far
 * (description, reference numbers, attachments' names, the category picked on the page)
 * and what our hints said (our top category, the seller's pick among them), kept per tab
 * in SSC.session across Amazon's describe -> troubleshoot -> contact steps, frame reloads
 * and page loads. It never leaves the browser except in a precheck or a
 * recorded case, to our own backend. A draft older than two hours is dropped, and a
 * closed tab's at once.
 */
(function (SSC) {
  "use strict";
  const MAX_AGE_MS = 2 * 60 * 60 * 1000;
  const draftKey = (sender) => SSC.session.tabKey("draft", sender && sender.tab && sender.tab.id);
  const { isStr, isCategory } = SSC.checks;
  const DRAFT_KEYS = [
    "origin",
    "description",
    "fields",
    "attachments",
    "pageCategory",
    "suggested",
    "hintPick",
    "uploadOffered",
    "startedAt",
    "sentAt",
  ];
  const isCategoryOrNull = (v) => v === null || isCategory(v);

  /** Is `d` a draft as the content script keeps it (descriptions up to the text limit)? */
  function isDraft(d, textLimit) {
    return (
      SSC.isObject(d) &&
      Object.keys(d).every((k) => DRAFT_KEYS.includes(k)) &&
      isStr(d.origin, 200) &&
      isStr(d.description, textLimit) &&
      SSC.isObject(d.fields) &&
      Object.keys(d.fields).length <= 12 &&
      Object.entries(d.fields).every(([k, v]) => SSC.isId(k) && isStr(v, SSC.FIELD_LIMIT)) &&
      Array.isArray(d.attachments) &&
      d.attachments.length <= 50 &&
      d.attachments.every((a) => isStr(a, 255)) &&
      isCategoryOrNull(d.pageCategory) &&
      isCategoryOrNull(d.suggested) && // our top hint of the latest classification
      isCategoryOrNull(d.hintPick) && // the seller's pick among our hints
      typeof d.uploadOffered === "boolean" &&
      Number.isFinite(d.startedAt) &&
      (d.sentAt === null || Number.isFinite(d.sentAt))
    );
  }

  /** ssc:draftSave; a null draft forgets the tab's case. */
  async function save(m, sender) {
    await SSC.session.set(draftKey(sender), m.draft);
    return { ok: true, data: {} };
  }

  /** ssc:draftLoad: the tab's draft if it is recent, else null. */
  async function load(m, sender) {
    const draft = await SSC.session.get(draftKey(sender));
    const fresh = draft && Date.now() - draft.startedAt <= MAX_AGE_MS;
    return { ok: true, data: { draft: fresh ? draft : null } };
  }

  /** A closed tab's draft (and its recent case) is forgotten at once. */
  function listen() {
    SSC.api.tabs.onRemoved.addListener((tabId) => {
      for (const prefix of ["draft", "recentCase"]) SSC.session.set(SSC.session.tabKey(prefix, tabId), null).catch(() => undefined);
    });
  }

  SSC.drafts = { isDraft, save, load, listen };
})(self.SSC);

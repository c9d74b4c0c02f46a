/*
 * Background, follow-up reminders: a chrome.alarms alarm at each open case's follow-up
 * time (its followup_due_at: the reply_by the backend promised when the case was filed,
 * holiday peaks included; none for phone and chat) and, when it goes off and the case is
 * still unanswered, one notification that opens the case on Seller Central, with the
 * follow-up checklist's first steps (and, for an account case, the Amazon Ads route),
 * each labelled with its source.
 *
 * Reminders live in storage.local ("reminders": {<case id>: {...}}), so the alarms are
 * recreated from storage whenever the service worker starts. Every hour (and at start)
 * they are reconciled with the backend's open cases, which also picks up cases recorded
 * in another browser or imported.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;
  const { backendFetch } = SSC.client;
  const { isObject, isCasePk, isAmazonCaseId, isCaseRecord } = SSC.checks;

  const REMINDER_PREFIX = "ssc-followup:";
  const SYNC_ALARM = "ssc-followup-sync";
  // A notification shows a few lines: the checklist's first steps; the popup lists them all.
  const NOTIFY_STEPS = 2;

  const isUnanswered = (c) => c.status === "open" && !c.replied_at;
  /** When the backend says this case is due for a follow-up; NaN: never (phone, chat). */
  const dueOf = SSC.followupDue;
  const needsReminder = (c) => isCaseRecord(c) && isUnanswered(c) && Number.isFinite(dueOf(c));

  /**
   * The case links of the selectors last served (the content scripts fetch them on every
   * Seller Central page), else undefined; SSC.caseUrl uses the built-in ones for anything
   * unusable. A click on a notification does not wait for the backend.
   */
  async function caseLinks() {
    const cached = await SSC.cache.cacheGet("cache:selectors");
    return cached && isObject(cached.data) ? cached.data.case_links : undefined;
  }

  /** https:// and the marketplace's own Seller Central domain (its last listed one). */
  function sellerCentralOrigin(marketplace) {
    const mp = SSC.FALLBACK_MARKETPLACES.find((m) => m.code === marketplace);
    return "https://" + (mp ? mp.domains[mp.domains.length - 1] : "sellercentral.amazon.com");
  }

  const reminders = {
    async all() {
      const got = await api.storage.local.get("reminders");
      const r = got && got.reminders;
      return isObject(r) ? r : {};
    },

    async save(all) {
      await api.storage.local.set({ reminders: all });
    },

    /** What a reminder keeps of a case (one that `needsReminder`). */
    entry(c, prev) {
      return {
        id: c.id,
        marketplace: c.marketplace,
        category: typeof c.category === "string" ? c.category : "",
        case_id: isAmazonCaseId(c.case_id) ? c.case_id : "",
        text: c.text.replace(/\s+/g, " ").trim().slice(0, 120),
        due: dueOf(c),
        notified: !!(prev && prev.notified),
      };
    },

    /** An alarm for an open case's follow-up mark (none once it is notified). */
    async arm(r) {
      const name = REMINDER_PREFIX + r.id;
      if (r.notified) return;
      const existing = await api.alarms.get(name);
      if (existing && Math.abs(existing.scheduledTime - Math.max(r.due, Date.now())) < 60000) return;
      await api.alarms.create(name, { when: Math.max(r.due, Date.now() + 1000) });
    },

    /** A case the backend just stored or changed: remind about it if it is open and due some time, else forget it. */
    async schedule(c) {
      if (!needsReminder(c)) return this.drop(c && c.id);
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
      let cases;
      try {
        cases = await SSC.cases.fetchAll({ status: "open", limit: "500" }); // every page: a case left out would lose its reminder
      } catch (e) {
        return;
      }
      const all = await this.all();
      const open = {};
      for (const c of cases) if (needsReminder(c)) open[c.id] = this.entry(c, all[c.id]);
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
        const c = await backendFetch("/api/v1/cases/" + id, { kind: "followup" });
        if (!c || !isUnanswered(c)) return this.drop(Number(id));
      } catch (e) {
        if (e && e.status === 404) return this.drop(Number(id));
        // Backend down: remind anyway; a missed follow-up costs more than a stale one.
      }
      await this.notify(r);
      r.notified = true;
      all[id] = r;
      await this.save(all);
    },

    /**
     * The first steps of the follow-up checklist (facts.yaml followup.steps, live else cached),
     * each as "<source label> <text>" (Amazon's or the article's, as everywhere); [] when no
     * copy of the facts is at hand: then the notification gives no advice rather than an
     * unlabelled one.
     */
    async advice(i18n) {
      const reply = await SSC.cache.cachedFacts();
      const data = reply.ok && isObject(reply.data) ? reply.data : {};
      const facts = Array.isArray(data.facts) ? data.facts.filter((f) => isObject(f) && isObject(f.text)) : [];
      const steps = Array.isArray(data.followup_steps) ? data.followup_steps : [];
      return steps
        .map((id) => facts.find((f) => f.id === id))
        .filter((f) => f && i18n.pick(f.text))
        .slice(0, NOTIFY_STEPS)
        .map((f) => SSC.sourceLabelText(i18n, f.source, f.kind) + " " + i18n.pick(f.text));
    },

    /**
     * The Amazon Ads route as "<source label> <text>" when the backend's follow-ups mark
     * this case as an account case (facts.yaml followup.account_categories), else null
     * (also when the backend is down: the route is not guessed here).
     */
    async accountRoute(i18n, id) {
      const reply = await SSC.cases.followups();
      const data = reply.ok && isObject(reply.data) ? reply.data : {};
      const route = data.account_route;
      const listed = Array.isArray(data.followups) ? data.followups : [];
      const routed = listed.some((f) => isObject(f) && isObject(f.case) && f.case.id === id && f.account_route === true);
      if (!routed || !isObject(route) || !i18n.pick(route.text)) return null;
      return SSC.sourceLabelText(i18n, route.source, route.kind) + " " + i18n.pick(route.text);
    },

    async notify(r) {
      const s = await SSC.loadSettings();
      const i18n = SSC.i18n;
      await i18n.init(s.uiLanguage);
      // Amazon's case id, never our log's row number (a seller would quote it to Amazon);
      // without one, the case's own words (the body) tell it apart, as in the popup.
      const name = r.case_id ? i18n.t("caseAmazonId", [r.case_id]) : i18n.t("caseNoAmazonId");
      const route = await this.accountRoute(i18n, r.id);
      const advice = [...(await this.advice(i18n)), route].filter(Boolean);
      await api.notifications.create(REMINDER_PREFIX + r.id, {
        type: "basic",
        iconUrl: api.runtime.getURL("icons/icon128.png"),
        title: i18n.t("notifyFollowupTitle", [name, r.marketplace]),
        message: [i18n.t("notifyFollowupBody", [r.text]), ...advice].join("\n"),
        priority: 1,
      });
    },

    /** A click on the notification opens the case (or the case log) on the marketplace's Seller Central. */
    async open(id) {
      const r = (await this.all())[id];
      if (!r) return;
      const url = SSC.caseUrl(sellerCentralOrigin(r.marketplace), await caseLinks(), r.case_id);
      await api.tabs.create({ url });
      await api.notifications.clear(REMINDER_PREFIX + id);
      return url;
    },

    /** Every start of the worker: alarms back from storage, then a reconcile with the backend. */
    start() {
      return this.restore()
        .then(() => this.sync())
        .catch((e) => console.debug("[SSC] reminders", e));
    },

    /** Registered synchronously at the top level of the worker, so an alarm or a click wakes it. */
    listen() {
      api.alarms.onAlarm.addListener((alarm) => {
        const run =
          alarm.name === SYNC_ALARM
            ? this.sync()
            : alarm.name.startsWith(REMINDER_PREFIX)
              ? this.fire(alarm.name.slice(REMINDER_PREFIX.length))
              : Promise.resolve();
        run.catch((e) => console.debug("[SSC] alarm", alarm.name, e));
      });
      api.notifications.onClicked.addListener((id) => {
        if (id.startsWith(REMINDER_PREFIX)) this.open(id.slice(REMINDER_PREFIX.length)).catch((e) => console.debug("[SSC]", e));
      });
    },
  };

  SSC.reminders = reminders;
})(self.SSC);

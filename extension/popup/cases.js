/*
 * Toolbar popup, open cases: the backend's case log (open cases only: its newest page,
 * and the overdue cases from the follow-ups, so the oldest are not the ones dropped),
 * overdue ones first, then oldest first, counted in full (the log's `total`), with their
 * age and when a reply is expected (the case's followup_due_at:
 * the reply_by the backend promised when it was filed, holiday peaks included; none
 * for phone and chat); those past it without a reply are marked with the follow-up
 * advice, at the same moment the reminder notification goes off. The seller marks a
 * case replied or resolved here. Everything goes through the background (ssc:caseList /
 * ssc:caseUpdate / ssc:contract / ssc:followups, whose account cases also get the
 * Amazon Ads route). Filters by store and by person (ssc:caseFacets, issue 16) show when
 * the log has more than one store or names anyone; each case shows its store and, on a
 * team server, who filed it.
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const i18n = SSC.i18n;
  const t = (k, s) => i18n.t(k, s);
  const HOUR_MS = 3600 * 1000;

  const el = SSC.h;

  const send = SSC.askBackground;

  const isCase = (c) =>
    !!c && typeof c === "object" && Number.isInteger(c.id) && c.id > 0 && typeof c.text === "string" &&
    typeof c.marketplace === "string" && typeof c.category === "string" && Number.isFinite(Date.parse(c.filed_at));

  /** The served (else cached, else built-in) contract, as the background has it. */
  const contractOf = (reply) => (reply.ok && SSC.validContract(reply.data) ? reply.data : SSC.DEFAULT_CONTRACT);

  /** "open 5 h" below the contract's case_age_days_from_hours, whole days from there (as the backend's duplicate warning). */
  function age(hours, contract) {
    const { unit, n } = SSC.caseAge(hours, contract);
    if (unit === "hours") return t("popupCaseAgeHours", [String(n)]);
    return unit === "day" ? t("popupCaseAgeOneDay") : t("popupCaseAgeDays", [String(n)]);
  }

  function snippet(text) {
    const s = text.replace(/\s+/g, " ").trim();
    return s.length > 90 ? s.slice(0, 89) + "…" : s;
  }

  /** The follow-up checklist's facts in order (facts.yaml followup.steps), Amazon's and the article's. */
  function checklistOf(reply) {
    const data = reply.ok && reply.data && Array.isArray(reply.data.facts) ? reply.data : { facts: [], followup_steps: [] };
    const byId = new Map(data.facts.filter((f) => f && typeof f.id === "string").map((f) => [f.id, f]));
    return (Array.isArray(data.followup_steps) ? data.followup_steps : []).map((id) => byId.get(id)).filter(Boolean);
  }

  /** Case id -> the advice for an overdue account case (the Amazon Ads route), from the backend's follow-ups. */
  function accountRoutesOf(reply) {
    const data = reply.ok && reply.data ? reply.data : {};
    const route = data.account_route;
    const routed = new Map();
    if (!SSC.isObject(route) || !Array.isArray(data.followups)) return routed;
    for (const f of data.followups) if (SSC.isObject(f) && f.account_route === true && SSC.isObject(f.case)) routed.set(f.case.id, route);
    return routed;
  }

  /** The overdue open cases of the backend's follow-ups (from the whole case log, up to 500, longest overdue first). */
  function overdueOf(reply) {
    const data = reply.ok && reply.data && Array.isArray(reply.data.followups) ? reply.data.followups : [];
    return data.map((f) => SSC.isObject(f) && f.case).filter((c) => isCase(c) && c.status === "open");
  }

  /** The facets' well-formed stores and people; none when the backend has no facets. */
  const facetsOf = (reply) => SSC.facetsOf(reply.ok ? reply.data : null);

  /** Does case `c` pass the chosen filters ({store_id, person}, "" for all)? */
  const passes = (c, filter) => (!filter.store_id || c.store_id === filter.store_id) && (!filter.person || c.person === filter.person);

  const dueOf = SSC.followupDue;
  const isOverdue = (c, now) => Number.isFinite(dueOf(c)) && now >= dueOf(c);

  /**
   * The cases to list: the case log gives its newest page, so the overdue ones (which
   * may be older than that page) come from the follow-ups; overdue first, longest overdue
   * first, then the rest oldest first; each case once.
   */
  function shownCases(newest, overdue, now) {
    const byId = new Map();
    for (const c of [...overdue, ...newest]) if (isCase(c) && c.status === "open" && !byId.has(c.id)) byId.set(c.id, c);
    const all = [...byId.values()];
    const late = all.filter((c) => isOverdue(c, now)).sort((a, b) => dueOf(a) - dueOf(b));
    const rest = all.filter((c) => !isOverdue(c, now)).sort((a, b) => Date.parse(a.filed_at) - Date.parse(b.filed_at));
    return [...late, ...rest];
  }

  const cases = {
    settings: null,
    checklist: [],
    accountRoutes: new Map(),
    contract: SSC.DEFAULT_CONTRACT,
    labels: {},
    filter: { store_id: "", person: "" }, // the seller's choice in the filters; "" for all
    filtersStarted: false,

    async render(settings) {
      this.settings = settings;
      const box = document.getElementById("cases");
      const status = document.getElementById("cases-status");
      const list = document.getElementById("case-rows");
      const query = { type: "ssc:caseList", status: "open" };
      if (this.filter.store_id) query.store_id = this.filter.store_id;
      if (this.filter.person) query.person = this.filter.person;
      const [reply, cats, contract, facts, followups, facets] = await Promise.all([
        send(query),
        send({ type: "ssc:categories" }),
        send({ type: "ssc:contract" }),
        send({ type: "ssc:facts" }),
        send({ type: "ssc:followups" }),
        send({ type: "ssc:caseFacets" }),
      ]);
      this.renderFilters(facetsOf(facets));
      this.accountRoutes = accountRoutesOf(followups);
      this.contract = contractOf(contract);
      this.checklist = checklistOf(facts);
      if (cats && cats.ok && cats.data && Array.isArray(cats.data.categories)) {
        for (const c of cats.data.categories) if (c && typeof c.id === "string") this.labels[c.id] = i18n.pick(c.label);
      }
      if (!reply.ok || !reply.data || !Array.isArray(reply.data.cases)) {
        status.hidden = false;
        status.textContent = t("popupCasesOffline");
        list.replaceChildren();
        box.dataset.sscCasesState = "offline";
        return;
      }
      const now = Date.now();
      // The follow-ups are the whole log's: only those the filters let through.
      const open = shownCases(reply.data.cases, overdueOf(followups).filter((c) => passes(c, this.filter)), now);
      // The list is the newest page; the backend counts them all (first page's `total`).
      const total = Number.isSafeInteger(reply.data.total) ? Math.max(reply.data.total, open.length) : open.length;
      box.dataset.sscCasesTotal = String(total);
      list.replaceChildren(...open.map((c) => this.row(c, now)));
      document.getElementById("cases-title").textContent = t("popupCasesTitle", [String(total)]);
      status.hidden = open.length > 0 && open.length === total;
      status.textContent = !open.length ? t("popupCasesEmpty") : open.length < total ? t("popupCasesPartial", [String(open.length), String(total)]) : "";
      box.dataset.sscCasesState = open.length ? "live" : "empty";
    },

    /** The store and person filters, when there is something to choose between. */
    renderFilters({ stores, people }) {
      const box = document.getElementById("case-filters");
      const storeSelect = document.getElementById("filter-store");
      const personSelect = document.getElementById("filter-person");
      box.hidden = !(stores.length > 1 || people.length >= 1);
      const all = () => el("option", { value: "", text: t("popupFilterAll") });
      storeSelect.replaceChildren(all(), ...stores.map((st) => el("option", { value: st.store_id, text: st.store_name || st.store_id })));
      personSelect.replaceChildren(all(), ...people.map((name) => el("option", { value: name, text: name })));
      storeSelect.value = this.filter.store_id;
      personSelect.value = this.filter.person;
      personSelect.hidden = document.querySelector('label[for="filter-person"]').hidden = !people.length;
      if (this.filtersStarted) return;
      this.filtersStarted = true;
      const choose = () => {
        this.filter = { store_id: storeSelect.value, person: personSelect.value };
        this.render(this.settings).catch((e) => console.debug(e));
      };
      storeSelect.addEventListener("change", choose);
      personSelect.addEventListener("change", choose);
    },

    /** The store a case was filed for (its header name, else its merchant id) and, on a team server, who filed it. */
    whoAndWhere(c) {
      const store = SSC.isName(c.store_name) ? c.store_name : SSC.isStoreId(c.store_id) ? c.store_id : "";
      const team = !!this.settings.teamServerUrl && SSC.isName(c.person);
      return [
        store ? [" ", el("span", { class: "store", "data-ssc-case-store": c.store_id || "", text: store })] : null,
        team ? [" ", el("span", { class: "muted", "data-ssc-case-person": c.person, text: t("popupCaseBy", [c.person]) })] : null,
      ];
    },

    row(c, now) {
      const tz = this.settings.sellerTimezone;
      const filed = Date.parse(c.filed_at);
      const hours = Math.max(0, Math.floor((now - filed) / HOUR_MS));
      const due = dueOf(c);
      const overdue = isOverdue(c, now);
      const dueText = Number.isFinite(due) ? SSC.hours.fmt(due, tz, i18n.locale, true) : "";
      const li = el("li", { "data-ssc-case": c.id, "data-ssc-overdue": String(overdue), class: overdue ? "case overdue" : "case" });
      const error = el("div", { class: "case-error", hidden: "" });
      const button = (status, key) =>
        el("button", {
          type: "button",
          "data-ssc-case-action": status,
          text: t(key),
          onclick: () => this.update(c, status, li, error),
        });
      const parts = [
        el(
          "div",
          { class: "case-head" },
          // Amazon's case id, never our log's own row number: a seller would quote it to Amazon.
          el("strong", { text: c.case_id ? t("caseAmazonId", [c.case_id]) : t("caseNoAmazonId") }),
          " ",
          el("span", { class: "tag", text: c.marketplace }),
          " ",
          el("span", { text: this.labels[c.category] || c.category }),
          ...this.whoAndWhere(c)
        ),
        el("div", { class: "case-text", title: c.text, text: snippet(c.text) }),
        el(
          "div",
          { class: "case-meta" },
          el("span", { "data-ssc-case-age": hours, class: overdue ? "age overdue" : "age", text: age(hours, this.contract) }),
          " ",
          el("span", { class: "muted", text: t("popupCaseFiled", [SSC.hours.fmt(filed, tz, i18n.locale, true)]) }),
          Number.isFinite(due) && !overdue ? [" ", el("span", { class: "muted", "data-ssc-case-due": c.followup_due_at, text: t("popupCaseReplyBy", [dueText]) })] : null,
          el("span", { class: "case-actions" }, button("replied", "popupCaseMarkReplied"), " ", button("resolved", "popupCaseMarkResolved"))
        ),
        overdue ? el("div", { class: "case-followup", "data-ssc-followup": c.followup_due_at, text: t("popupCaseOverdue", [dueText]) }) : null,
        overdue ? SSC.adviceList(i18n, this.checklist) : null, // each step labelled Amazon's or the article's
        overdue && this.accountRoutes.has(c.id) ? this.accountRoute(this.accountRoutes.get(c.id)) : null,
        error,
      ];
      li.append(...parts.filter(Boolean));
      return li;
    },

    /** The Amazon Ads route under an overdue account case, labelled with its source. */
    accountRoute(route) {
      const text = i18n.pick(route.text);
      if (!text) return null;
      return el("div", { class: "case-followup", "data-ssc-account-route": route.id }, SSC.sourceLabel(i18n, route.source), " ", text);
    },

    async update(c, status, li, error) {
      for (const b of li.querySelectorAll("button")) b.disabled = true;
      error.hidden = true;
      const reply = await send({ type: "ssc:caseUpdate", id: c.id, status });
      if (reply.ok && reply.data && reply.data.status === status) {
        await this.render(this.settings); // no longer open: the list redraws without it
        return;
      }
      for (const b of li.querySelectorAll("button")) b.disabled = false;
      error.hidden = false;
      error.textContent = t("popupCaseUpdateFailed", [(reply.error && (reply.error.message || reply.error.code)) || "?"]);
    },
  };

  cases.send = send;
  SSC.popupCases = cases;
})();

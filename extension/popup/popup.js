/*
 * Toolbar popup: two tabs, the world clock of Seller Support (every marketplace's channels in
 * the seller's zone) and the seller's open cases (cases.js). The cases tab opens first when
 * there are open cases: Chrome caps a popup at 600 px, and they would sit below the clock.
 * With the backend down, the clock is worked out from cached open intervals, with a note.
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const api = SSC.api;
  const i18n = SSC.i18n;
  const t = (k, s) => i18n.t(k, s);
  const CHANNELS = ["phone", "chat", "case"];

  const el = SSC.h;
  const $ = (id) => document.getElementById(id);
  let zones = SSC.FALLBACK_ZONES;
  const zoneName = (tz) => SSC.zoneName(tz, zones, (name) => i18n.pick(name));

  const send = SSC.popupCases.send; // one message helper for the popup page (cases.js)

  // ---------------------------------------------------------------- tabs (WAI-ARIA tabs pattern)
  const tabs = () => [...document.querySelectorAll('[role="tab"]')];
  let chosenBySeller = false;

  function selectTab(tab, focus) {
    for (const other of tabs()) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !on;
    }
    document.body.dataset.sscTab = tab.dataset.sscTab;
    if (focus) tab.focus();
  }

  function onTabKey(e) {
    const list = tabs();
    const i = list.indexOf(e.currentTarget);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: list.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    chosenBySeller = true;
    selectTab(list[(next + list.length) % list.length], true);
  }

  function startTabs() {
    for (const tab of tabs()) {
      tab.addEventListener("click", () => {
        chosenBySeller = true;
        selectTab(tab, false);
      });
      tab.addEventListener("keydown", onTabKey);
    }
    // The tab says how many cases are open (and whether one is overdue) whatever cases.js redraws.
    new MutationObserver(countCases).observe($("case-rows"), { childList: true });
  }

  function countCases() {
    const listed = document.querySelectorAll("#case-rows [data-ssc-case]").length;
    // Every open case, also those past the listed page (cases.js sets the log's total).
    const open = listed ? Math.max(listed, Number($("cases").dataset.sscCasesTotal) || 0) : 0;
    const overdue = document.querySelectorAll('#case-rows [data-ssc-overdue="true"]').length;
    const count = $("cases-count");
    count.textContent = open ? "(" + open + ")" : "";
    count.classList.toggle("overdue", overdue > 0);
    return open;
  }

  // ---------------------------------------------------------------- the world clock
  function showStatus(kind, text) {
    const status = $("status");
    status.hidden = !kind;
    status.dataset.kind = kind || "";
    status.textContent = text || "";
    // Offline: the welcome page has the steps for this computer (the toolbar's red "!" leads here).
    if (kind === "offline") status.append(" ", SSC.h("button", { type: "button", class: "link", "data-ssc-action": "open-welcome", text: t("statusSetupLink"), onclick: () => send({ type: "ssc:openWelcome" }) }));
  }

  function channelCell(name, mp, live, now, tz) {
    const ch = mp.channels.find((c) => c && c.channel === name);
    const st = !ch
      ? { status: "unknown", next: null }
      : live
        ? { status: ch.status, next: Date.parse(ch.next_change) || null }
        : SSC.hours.channelAt(ch, mp, now);
    // As the page's badges: the seller's settings rule it out (why, one hover away), or turn on a setting not filled in.
    const barred = SSC.ineligibleReasons(ch);
    const unset = barred ? null : SSC.unsetChecks(ch, i18n);
    const td = el(
      "td",
      { "data-ssc-channel": name, "data-ssc-status": st.status, "data-ssc-eligible": barred ? "false" : unset ? "unknown" : null },
      el("span", { class: "pill", text: t(barred ? "status_ineligible" : "status_" + st.status) })
    );
    if (barred) td.title = barred.map((r) => i18n.pick(r.message)).join("\n");
    else if (st.next) td.append(" ", el("span", { class: "muted", text: t("popupNext", [SSC.hours.fmt(st.next, tz, i18n.locale, true)]) }));
    if (unset) td.title = unset.text;
    return td;
  }

  function clockRows(reply, now, tz) {
    const names = {};
    for (const m of SSC.FALLBACK_MARKETPLACES) names[m.code] = m.name;
    const live = reply.source === "live";
    return reply.data.marketplaces
      .filter((mp) => mp && typeof mp.marketplace === "string" && Array.isArray(mp.channels))
      .map((mp) => {
        const mpTz = mp.marketplace_timezone || "UTC";
        return el(
          "tr",
          { "data-ssc-marketplace": mp.marketplace },
          el("th", { scope: "row" }, el("strong", { text: mp.marketplace }), " ", i18n.pick(names[mp.marketplace] || "")),
          el("td", { text: t("timeInZone", [SSC.hours.fmt(now, mpTz, i18n.locale, false), zoneName(mpTz)]) }),
          ...CHANNELS.map((name) => channelCell(name, mp, live, now, tz))
        );
      });
  }

  async function renderClock(settings) {
    const tz = settings.sellerTimezone;
    const now = Date.now();
    const reply = await send({ type: "ssc:hoursAll" });
    if (!reply || !reply.ok || !reply.data || !Array.isArray(reply.data.marketplaces)) {
      showStatus("offline", t("popupOffline"));
      $("rows").replaceChildren();
      document.body.dataset.sscState = "offline";
      return;
    }
    if (reply.source === "cache") {
      showStatus("cache", t("popupCached", [SSC.hours.fmt(Date.parse(reply.fetchedAt), tz, i18n.locale, true)]));
    } else {
      showStatus(null);
    }
    $("rows").replaceChildren(...clockRows(reply, now, tz));
    document.body.dataset.sscState = reply.source;
  }

  async function render() {
    const settings = await SSC.loadSettings();
    await i18n.init(settings.uiLanguage);
    SSC.localiseDocument(document);
    startTabs();
    const served = await send({ type: "ssc:marketplaces" });
    zones = SSC.zonesOf(served && served.ok ? served.data : null);
    const tz = settings.sellerTimezone;
    $("seller-time").textContent = t("popupSellerTime", [SSC.hours.fmt(Date.now(), tz, i18n.locale, true), zoneName(tz)]);
    // The open cases load alongside the world clock; a failure in one leaves the other.
    SSC.popupCases
      .render(settings)
      .then(() => {
        if (countCases() && !chosenBySeller) selectTab($("tab-cases"), false);
      })
      .catch((e) => {
        $("cases").dataset.sscCasesState = "error";
        console.debug(e);
      });
    await renderClock(settings);
  }

  $("open-options").addEventListener("click", (e) => {
    e.preventDefault();
    api.runtime.openOptionsPage();
  });
  render().catch((e) => {
    document.body.dataset.sscState = "error";
    showStatus("offline", t("popupOffline"));
    console.debug(e);
  });
})();

/* Toolbar popup: a world clock of Seller Support, every marketplace's channels in the seller's zone. */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const api = SSC.api;
  const i18n = SSC.i18n;
  const t = (k, s) => i18n.t(k, s);
  const CHANNELS = ["phone", "chat", "case"];

  const el = SSC.h;

  function zoneName(tz) {
    return tz === "Asia/Shanghai" ? t("zoneBeijing") : SSC.hours.zoneLabel(tz);
  }

  async function render() {
    const settings = await SSC.loadSettings();
    await i18n.init(settings.uiLanguage);
    SSC.localiseDocument(document);
    const now = Date.now();
    const tz = settings.sellerTimezone;
    document.getElementById("seller-time").textContent = t("popupSellerTime", [SSC.hours.fmt(now, tz, i18n.locale, true), zoneName(tz)]);
    // The open cases load alongside the world clock; a failure in one leaves the other.
    SSC.popupCases.render(settings).catch((e) => {
      document.getElementById("cases").dataset.sscCasesState = "error";
      console.debug(e);
    });

    let reply;
    try {
      reply = await api.runtime.sendMessage({ type: "ssc:hoursAll" });
    } catch (e) {
      reply = { ok: false };
    }
    const status = document.getElementById("status");
    const rows = document.getElementById("rows");
    if (!reply || !reply.ok || !reply.data || !Array.isArray(reply.data.marketplaces)) {
      status.hidden = false;
      status.dataset.kind = "offline";
      status.textContent = t("popupOffline");
      rows.replaceChildren();
      document.body.dataset.sscState = "offline";
      return;
    }
    if (reply.source === "cache") {
      status.hidden = false;
      status.dataset.kind = "cache";
      status.textContent = t("popupCached", [SSC.hours.fmt(Date.parse(reply.fetchedAt), tz, i18n.locale, true)]);
    } else {
      status.hidden = true;
    }
    const names = {};
    for (const m of SSC.FALLBACK_MARKETPLACES) names[m.code] = m.name;
    const out = [];
    for (const mp of reply.data.marketplaces) {
      if (!mp || !Array.isArray(mp.channels)) continue;
      const mpTz = mp.marketplace_timezone || "UTC";
      const tr = el(
        "tr",
        { "data-ssc-marketplace": mp.marketplace },
        el("td", null, el("strong", { text: mp.marketplace }), " ", i18n.pick(names[mp.marketplace] || "")),
        el("td", { text: SSC.hours.fmt(now, mpTz, i18n.locale, false) + " " + SSC.hours.zoneLabel(mpTz) })
      );
      for (const name of CHANNELS) {
        const ch = mp.channels.find((c) => c && c.channel === name);
        const live = reply.source === "live";
        const st = !ch
          ? { status: "unknown", next: null }
          : live
            ? { status: ch.status, next: Date.parse(ch.next_change) || null }
            : SSC.hours.channelAt(ch, mp, now);
        const td = el("td", { "data-ssc-channel": name, "data-ssc-status": st.status }, el("span", { class: "pill", text: t("status_" + st.status) }));
        if (st.next) td.append(" ", el("span", { class: "muted", text: t("popupNext", [SSC.hours.fmt(st.next, tz, i18n.locale, true)]) }));
        tr.append(td);
      }
      out.push(tr);
    }
    rows.replaceChildren(...out);
    document.body.dataset.sscState = reply.source;
  }

  document.getElementById("open-options").addEventListener("click", (e) => {
    e.preventDefault();
    api.runtime.openOptionsPage();
  });
  render().catch((e) => {
    document.body.dataset.sscState = "error";
    const status = document.getElementById("status");
    status.hidden = false;
    status.textContent = t("popupOffline");
    console.debug(e);
  });
})();

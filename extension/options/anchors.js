/*
 * Options page, "Page anchors": the description boxes the seller pointed at on pages
 * where Amazon's markup had changed (content/features/point-at-box.js keeps them through
 * lib/anchor-memory.js), each with Clear, and the anchor report (page paths and which
 * anchors were found, never case text) with a Copy button, so the seller can send it to us.
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const api = SSC.api;
  const i18n = SSC.i18n;
  const $ = (id) => document.getElementById(id);
  const memory = SSC.anchorMemory;

  async function clearPointed(path) {
    await memory.write(memory.POINTED, path, null);
    await render();
  }

  function pointedItem(path, entry) {
    const selector = SSC.isObject(entry) && SSC.isObject(entry.anchors) ? String(entry.anchors.description || "") : "";
    return SSC.h(
      "li",
      { "data-ssc-pointed-path": path },
      SSC.h("code", { text: path }),
      " → ",
      SSC.h("code", { text: selector }),
      " ",
      SSC.h("button", { type: "button", "data-ssc-action": "clear-pointed", text: i18n.t("optPointedClear"), onclick: () => clearPointed(path) })
    );
  }

  /** The report as the seller sends it: one line per path, the anchors found and not found. */
  function reportText(reports) {
    const lines = [`Seller Support Companion ${api.runtime.getManifest().version} anchor report`];
    for (const r of Object.values(reports)) {
      if (!SSC.isObject(r) || !SSC.isObject(r.found)) continue;
      const found = Object.keys(r.found).filter((k) => r.found[k]);
      const missing = Object.keys(r.found).filter((k) => !r.found[k]);
      lines.push(`${r.path} (${r.at}): found ${found.join(", ") || "-"}; missing ${missing.join(", ") || "-"}`);
    }
    return lines.join("\n");
  }

  async function render() {
    const pointed = await memory.read(memory.POINTED);
    const paths = Object.keys(pointed);
    $("pointed-list").replaceChildren(...paths.map((p) => pointedItem(p, pointed[p])));
    $("pointed-empty").hidden = paths.length > 0;
    const reports = await memory.read(memory.REPORTS);
    $("anchor-report").textContent = Object.keys(reports).length ? reportText(reports) : i18n.t("optReportEmpty");
  }

  async function copyReport() {
    const status = $("report-copied");
    try {
      await navigator.clipboard.writeText($("anchor-report").textContent);
      status.textContent = i18n.t("optReportCopied");
    } catch (e) {
      status.textContent = i18n.t("optReportCopyFailed");
    }
    status.hidden = false;
  }

  SSC.optionsAnchors = {
    start() {
      $("copy-report").addEventListener("click", copyReport);
      api.storage.onChanged.addListener((changes, area) => {
        if (area === "local" && (changes[memory.POINTED] || changes[memory.REPORTS])) render();
      });
      return render();
    },
  };
})();

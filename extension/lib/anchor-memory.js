/*
 * What this browser remembers about Seller Central's pages, per page path, in
 * storage.local: "pointedAnchors" (the description boxes the seller pointed at where our
 * anchors found nothing: {path: {anchors: {description: selector}, at}}) and
 * "anchorReports" ({path: {path, found: {anchor: bool}, at, version}}; names and booleans,
 * never case text). Written by content/features/point-at-box.js, shown and cleared by
 * the options page.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const MAX_PATHS = 30;

  /** The stored object under `key` ({} when absent or malformed). */
  async function read(key) {
    const all = (await SSC.api.storage.local.get(key))[key];
    return SSC.isObject(all) ? all : {};
  }

  /** Store `value` for `path` under `key` (null removes it); the newest MAX_PATHS paths are kept. */
  async function write(key, path, value) {
    const all = await read(key);
    if (value === null) delete all[path];
    else all[path] = value;
    const paths = Object.keys(all).sort((a, b) => String(all[b].at).localeCompare(String(all[a].at)));
    for (const old of paths.slice(MAX_PATHS)) delete all[old];
    await SSC.api.storage.local.set({ [key]: all });
  }

  SSC.anchorMemory = { POINTED: "pointedAnchors", REPORTS: "anchorReports", read, write };
})(typeof globalThis !== "undefined" ? globalThis : self);

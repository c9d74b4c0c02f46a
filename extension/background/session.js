/*
 * Background, per-tab memory that outlives the worker being stopped: storage.session
 * (kept in memory by the browser, cleared when it closes; content scripts cannot read
 * it, only the extension's own pages), or a Map where the browser has no
 * storage.session.
 */
(function (SSC) {
  "use strict";
  const area = SSC.api.storage.session || null;
  const memory = new Map();

  /** "<prefix>:<tab id>" for a message from a tab, else null. */
  const tabKey = (prefix, tabId) => (Number.isInteger(tabId) ? prefix + ":" + tabId : null);

  async function set(key, value) {
    if (!key) return;
    if (area) {
      if (value) await area.set({ [key]: value });
      else await area.remove(key);
    } else if (value) memory.set(key, value);
    else memory.delete(key);
  }

  async function get(key) {
    if (!key) return null;
    if (area) return ((await area.get(key)) || {})[key] || null;
    return memory.get(key) || null;
  }

  SSC.session = { tabKey, get, set };
})(self.SSC);

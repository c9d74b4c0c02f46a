/*
 * The content features' one shared state: a small store of named values. Every key
 * exists from the start (createStore's `initial`), so the whole shared state is listed
 * in one place (content/core.js); get, set or subscribe on any other key throws.
 * A feature never reads another feature's fields: it reads the store, and is told of
 * a change by subscribing to the key.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  /**
   * createStore({key: initialValue, ...}, onError(key, error)) -> {get, set, subscribe}.
   * set() tells the key's subscribers, in order, only when the value changes (Object.is).
   * A subscriber that throws (or rejects) is reported to onError; the others still run.
   */
  SSC.createStore = function createStore(initial, onError) {
    const values = new Map(Object.entries(initial));
    const subscribers = new Map([...values.keys()].map((k) => [k, []]));

    function known(key) {
      if (!values.has(key)) throw new Error("No shared state named " + String(key));
    }

    function notify(key, value, prev) {
      for (const fn of subscribers.get(key)) {
        try {
          const r = fn(value, prev);
          if (r && typeof r.then === "function") r.then(undefined, (e) => onError(key, e));
        } catch (e) {
          onError(key, e);
        }
      }
    }

    return {
      get(key) {
        known(key);
        return values.get(key);
      },
      set(key, value) {
        known(key);
        const prev = values.get(key);
        if (Object.is(prev, value)) return;
        values.set(key, value);
        notify(key, value, prev);
      },
      /** fn(value, prev) on every change of `key`, for the life of the page. */
      subscribe(key, fn) {
        known(key);
        subscribers.get(key).push(fn);
      },
    };
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

/*
 * Background, cached answers (storage.local "cache:<key>"), so badges, selectors and the
 * contract survive a stopped backend. A cached answer is replaced only by one of the
 * right shape.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;
  const { BackendError, backendFetch, errorReply } = SSC.client;

  async function cacheGet(key) {
    const got = await api.storage.local.get(key);
    return got ? got[key] : undefined;
  }

  async function cacheSet(key, data) {
    await api.storage.local.set({ [key]: { data, fetchedAt: new Date().toISOString() } });
  }

  /** What each cached answer must look like before it may replace the cached copy. */
  const SHAPES = {
    health: (d) => typeof d.status === "string",
    hours: (d) => Array.isArray(d.channels),
    hoursAll: (d) => Array.isArray(d.marketplaces),
    marketplaces: (d) => Array.isArray(d.marketplaces),
    categories: (d) => Array.isArray(d.categories),
    // The same check as the content scripts' (lib/selectors.js): a served copy with bad
    // case links or contact-method words never replaces a good cached one.
    selectors: (d) => SSC.validSelectors(d),
    // Every number and identifier pattern there and usable (lib/contract.js).
    contract: (d) => SSC.validContract(d),
  };

  /**
   * Fetch with cache fallback. Returns {ok, data, source:'live'|'cache'|'default', fetchedAt, error?}.
   * An answer of the wrong shape counts as a failure: it never overwrites a good cached copy.
   */
  async function cachedGet(key, path, fallback, shape) {
    try {
      const data = await backendFetch(path);
      if (shape && !shape(data)) throw new BackendError("bad_response", "Backend sent an answer of the wrong shape for " + path.split("?")[0]);
      await cacheSet(key, data);
      return { ok: true, data, source: "live", fetchedAt: new Date().toISOString() };
    } catch (e) {
      const cached = await cacheGet(key);
      const err = errorReply(e).error;
      if (cached && cached.data) return { ok: true, data: cached.data, source: "cache", fetchedAt: cached.fetchedAt, error: err };
      if (fallback !== undefined) return { ok: true, data: fallback, source: "default", fetchedAt: null, error: err };
      return { ok: false, error: err };
    }
  }

  /*
   * Chrome opens at most six connections to one host. Rules data (selectors, contract,
   * marketplaces, categories) is the same for every page, so it is fetched at most two at
   * a time: with a slow backend, the requests a seller waits on (hours, classify, a held
   * submit's precheck) still find a free connection instead of queueing behind it.
   */
  const RULES_DATA_LANES = 2;
  let lanesBusy = 0;
  const waiting = [];

  async function inRulesDataLane(run) {
    if (lanesBusy < RULES_DATA_LANES) lanesBusy += 1;
    else await new Promise((resolve) => waiting.push(resolve)); // the lane is handed over
    try {
      return await run();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else lanesBusy -= 1;
    }
  }

  /** cachedGet for rules data, in one of the rules-data lanes. */
  function cachedRulesData(key, path, fallback, shape) {
    return inRulesDataLane(() => cachedGet(key, path, fallback, shape));
  }

  SSC.cache = { SHAPES, cacheGet, cachedGet, cachedRulesData };
})(self.SSC);

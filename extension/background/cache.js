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
    facts: (d) => Array.isArray(d.facts),
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

  /**
   * The world clock with the backend down and none cached for this zone: put together from
   * the cached hours answers for the seller's current settings (`profileKey`, the end of
   * their cache keys: another profile's answers judge eligibility for other settings), the
   * pages' per marketplace and the popup's of any zone (open intervals are instants, so any
   * zone's serve), the newest per marketplace. Dated by the oldest piece used. null when
   * nothing is cached.
   */
  async function cachedWorldClock(profileKey) {
    const all = await api.storage.local.get(null);
    const newest = new Map(); // marketplace -> {report, fetchedAt}
    for (const [key, entry] of Object.entries(all || {})) {
      if (!key.endsWith(":" + profileKey)) continue;
      if (!entry || !entry.data || typeof entry.fetchedAt !== "string") continue;
      let reports = [];
      if (key.startsWith("cache:hoursAll:") && SHAPES.hoursAll(entry.data)) reports = entry.data.marketplaces;
      else if (key.startsWith("cache:hours:") && SHAPES.hours(entry.data)) reports = [entry.data];
      for (const report of reports) {
        if (!report || typeof report.marketplace !== "string" || !Array.isArray(report.channels)) continue;
        const known = newest.get(report.marketplace);
        if (!known || known.fetchedAt < entry.fetchedAt) newest.set(report.marketplace, { report, fetchedAt: entry.fetchedAt });
      }
    }
    if (!newest.size) return null;
    const order = SSC.MARKETPLACE_CODES || [];
    const pieces = [...newest.values()].sort((a, b) => order.indexOf(a.report.marketplace) - order.indexOf(b.report.marketplace));
    const fetchedAt = pieces.map((p) => p.fetchedAt).sort()[0];
    return { marketplaces: pieces.map((p) => p.report), fetchedAt };
  }

  /*
   * Chrome opens at most six connections to one host. Rules data (selectors, contract,
   * marketplaces, categories, facts) is the same for every page, so it is fetched at most two at
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

  /** GET /api/v1/facts (tips, advice, the follow-up checklist): live, else cached. */
  function cachedFacts() {
    return cachedRulesData("cache:facts", "/api/v1/facts", undefined, SHAPES.facts);
  }

  SSC.cache = { SHAPES, cacheGet, cachedGet, cachedRulesData, cachedWorldClock, cachedFacts };
})(self.SSC);

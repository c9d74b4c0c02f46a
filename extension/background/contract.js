/*
 * Background, the contract (GET /api/v1/contract): the text limit, the follow-up hours,
 * the case-age threshold and the id patterns. The served copy wins; while the backend is
 * down the last served copy (cached) is used, else the generated built-in copy
 * (SSC.DEFAULT_CONTRACT, lib/default-contract.js).
 */
(function (SSC) {
  "use strict";
  const { SHAPES, cacheGet, cachedRulesData } = SSC.cache;

  const KEY = "cache:contract";
  // The contract changes only with the backend's rules; asking once in a while is enough.
  const REFRESH_MS = 10 * 60 * 1000;
  /*
   * Texts over max_text_length are cut to it (SSC.clipText) rather than refused: the
   * backend refuses longer texts, which made hints say "unavailable" and left the case
   * unlogged for long descriptions. The content scripts cut too; the background is the edge
   * that guarantees it. Only texts over this many times the limit, which no description
   * box produces, are malformed messages.
   */
  const ABSURD_FACTOR = 4;
  let lastRefresh = 0;
  let inflight = null; // one fetch serves every caller meanwhile
  let checked = null; // the stored copy last found usable: its patterns are not checked again

  /** The served contract, else the cached one, else the built-in copy (the ssc:contract reply). */
  function refresh() {
    if (!inflight) {
      lastRefresh = Date.now();
      inflight = cachedRulesData(KEY, "/api/v1/contract", SSC.DEFAULT_CONTRACT, SHAPES.contract).finally(() => {
        inflight = null;
      });
    }
    return inflight;
  }

  const isFresh = (copy) => !!copy && Date.now() - Date.parse(copy.fetchedAt) < REFRESH_MS;

  /** The stored copy if usable. Storage stays the one source (tests and other tabs write it). */
  async function stored() {
    const cached = await cacheGet(KEY);
    if (!cached || !cached.data) return null;
    if (checked && cached.fetchedAt === checked.fetchedAt) return checked;
    checked = SHAPES.contract(cached.data) ? cached : null;
    return checked;
  }

  /**
   * The contract to compute with now, without waiting for the network: a message handler
   * (a held submit's precheck among them) must not wait for a contract fetch. A stale or
   * missing copy is refreshed meanwhile, for the next caller.
   */
  async function current() {
    const copy = await stored();
    if (!isFresh(copy) && Date.now() - lastRefresh >= REFRESH_MS) {
      refresh().catch((e) => console.debug("[SSC] contract", e));
    }
    return copy ? copy.data : SSC.DEFAULT_CONTRACT;
  }

  /** The longest text a message may carry; messages with longer texts are malformed. */
  function messageTextLimit(contract) {
    return ABSURD_FACTOR * contract.max_text_length;
  }

  SSC.contract = { refresh, current, messageTextLimit };
})(self.SSC);

/*
 * Marketplaces: the built-in table (SSC.DEFAULT_MARKETPLACES, lib/default-marketplaces.js,
 * generated from shared-rules/marketplaces.yaml), used until /api/v1/marketplaces answers
 * (or when the backend is down), and the helpers that recognise a marketplace from the
 * host, the header's switcher text or a marketplace id. Every helper takes the served
 * list when it has one. Source of truth: shared-rules on the backend.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const DEFAULTS = SSC.DEFAULT_MARKETPLACES || { marketplaces: [], uncovered_marketplace_ids: [] };
  SSC.FALLBACK_MARKETPLACES = DEFAULTS.marketplaces;
  SSC.MARKETPLACE_CODES = SSC.FALLBACK_MARKETPLACES.map((m) => m.code);
  const builtIn = (code) => SSC.FALLBACK_MARKETPLACES.find((m) => m.code === code);
  const isZone = (z) => !!z && typeof z === "object" && typeof z.id === "string" && !!z.name && typeof z.name === "object";

  /** The time zones' display names of a /api/v1/marketplaces document, else the built-in ones. */
  SSC.zonesOf = function (data) {
    const served = data && Array.isArray(data.zones) ? data.zones.filter(isZone) : [];
    return served.length ? served : (DEFAULTS.zones || []).filter(isZone);
  };
  SSC.FALLBACK_ZONES = SSC.zonesOf(null);

  /**
   * A time zone as a seller names it ("美东时间", "US Eastern time"): its name in `zones`
   * (the marketplaces document's), found by its id or one of its `aliases` (Asia/Chongqing
   * is 北京时间 too), in the language `pick` chooses, else the IANA city.
   */
  SSC.zoneName = function (tz, zones, pick) {
    const named = (z) => z.id === tz || (Array.isArray(z.aliases) && z.aliases.includes(tz));
    const known = (zones && zones.length ? zones : SSC.FALLBACK_ZONES).find(named);
    const name = known ? pick(known.name) : "";
    return name || String(tz || "").split("/").pop().replace(/_/g, " ");
  };

  /**
   * Marketplaces whose Seller Central domain is `host`.
   * Returns a list of codes (several for sellercentral-europe).
   */
  SSC.marketplacesForHost = function (host, marketplaces) {
    const list = marketplaces && marketplaces.length ? marketplaces : SSC.FALLBACK_MARKETPLACES;
    const h = String(host || "").toLowerCase();
    return list.filter((m) => (m.domains || []).some((d) => String(d).toLowerCase() === h)).map((m) => m.code);
  };

  /** Best marketplace code mentioned in a piece of switcher text, or null. */
  SSC.marketplaceFromText = function (text, candidates, marketplaces) {
    const t = String(text || "").toLowerCase();
    if (!t) return null;
    const list = marketplaces && marketplaces.length ? marketplaces : SSC.FALLBACK_MARKETPLACES;
    let best = null;
    let bestPos = Infinity;
    for (const m of list) {
      if (candidates && candidates.length && !candidates.includes(m.code)) continue;
      // A served copy from an older backend has no header_words: the built-in ones then.
      const own = Array.isArray(m.header_words) ? m.header_words : (builtIn(m.code) || {}).header_words || [];
      const words = own.filter((w) => typeof w === "string");
      if (m.name) words.push(String(m.name.en || "").toLowerCase(), String(m.name.zh || "").replace(/站$/, ""));
      for (const w of words) {
        if (!w) continue;
        const pos = t.indexOf(w.toLowerCase());
        // Longest/earliest match wins: "amazon.com.mx" must not read as "amazon.com".
        if (pos >= 0 && (pos < bestPos || (pos === bestPos && best && w.length > best.len))) {
          best = { code: m.code, len: w.length };
          bestPos = pos;
        }
      }
    }
    return best ? best.code : null;
  };

  /**
   * The marketplace a marketplace id names (the URL parameter mons_sel_mkid, bare or
   * prefixed): {code, covered: true} for one we cover, {code, covered: false} for one we
   * know but do not cover (BR, NL, …), null for anything else. `prefixes` are the ones
   * the selectors' marketplace_param lists (e.g. ["amzn1.mp.o."]); `data` is the
   * /api/v1/marketplaces document (default: the built-in one).
   */
  SSC.marketplaceFromId = function (value, data, prefixes) {
    let id = String(value || "").trim();
    if (!id) return null;
    for (const p of Array.isArray(prefixes) ? prefixes : []) {
      if (typeof p === "string" && p && id.startsWith(p)) {
        id = id.slice(p.length);
        break;
      }
    }
    const doc = data && Array.isArray(data.marketplaces) && data.marketplaces.length ? data : DEFAULTS;
    const covered = doc.marketplaces.find((m) => m.marketplace_id === id);
    if (covered) return { code: covered.code, covered: true };
    const others = Array.isArray(doc.uncovered_marketplace_ids) ? doc.uncovered_marketplace_ids : DEFAULTS.uncovered_marketplace_ids || [];
    const uncovered = others.find((m) => m && m.marketplace_id === id);
    return uncovered ? { code: uncovered.code, covered: false } : null;
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

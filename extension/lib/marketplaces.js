/*
 * Fallback marketplace table, used only until /api/v1/marketplaces answers
 * (or when the backend is down). Source of truth: shared-rules on the backend.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const EU = "sellercentral-europe.amazon.com";
  SSC.FALLBACK_MARKETPLACES = [
    { code: "US", name: { zh: "美国站", en: "United States" }, timezone: "America/New_York", domains: ["sellercentral.amazon.com"] },
    { code: "CA", name: { zh: "加拿大站", en: "Canada" }, timezone: "America/Toronto", domains: ["sellercentral.amazon.ca"] },
    { code: "MX", name: { zh: "墨西哥站", en: "Mexico" }, timezone: "America/Mexico_City", domains: ["sellercentral.amazon.com.mx"] },
    { code: "UK", name: { zh: "英国站", en: "United Kingdom" }, timezone: "Europe/London", domains: [EU, "sellercentral.amazon.co.uk"] },
    { code: "DE", name: { zh: "德国站", en: "Germany" }, timezone: "Europe/Berlin", domains: [EU, "sellercentral.amazon.de"] },
    { code: "FR", name: { zh: "法国站", en: "France" }, timezone: "Europe/Paris", domains: [EU, "sellercentral.amazon.fr"] },
    { code: "IT", name: { zh: "意大利站", en: "Italy" }, timezone: "Europe/Rome", domains: [EU, "sellercentral.amazon.it"] },
    { code: "ES", name: { zh: "西班牙站", en: "Spain" }, timezone: "Europe/Madrid", domains: [EU, "sellercentral.amazon.es"] },
    { code: "JP", name: { zh: "日本站", en: "Japan" }, timezone: "Asia/Tokyo", domains: ["sellercentral.amazon.co.jp", "sellercentral-japan.amazon.com"] },
    { code: "IN", name: { zh: "印度站", en: "India" }, timezone: "Asia/Kolkata", domains: ["sellercentral.amazon.in"] },
    { code: "AU", name: { zh: "澳大利亚站", en: "Australia" }, timezone: "Australia/Sydney", domains: ["sellercentral.amazon.com.au"] },
  ];
  SSC.MARKETPLACE_CODES = SSC.FALLBACK_MARKETPLACES.map((m) => m.code);

  /** Extra words that identify a marketplace in a switcher's text. */
  SSC.MARKETPLACE_WORDS = {
    US: ["united states", "amazon.com", "美国"],
    CA: ["canada", "amazon.ca", "加拿大"],
    MX: ["mexico", "méxico", "amazon.com.mx", "墨西哥"],
    UK: ["united kingdom", "amazon.co.uk", "英国", "great britain"],
    DE: ["germany", "deutschland", "amazon.de", "德国"],
    FR: ["france", "amazon.fr", "法国"],
    IT: ["italy", "italia", "amazon.it", "意大利"],
    ES: ["spain", "españa", "espana", "amazon.es", "西班牙"],
    JP: ["japan", "amazon.co.jp", "日本"],
    IN: ["india", "amazon.in", "印度"],
    AU: ["australia", "amazon.com.au", "澳大利亚", "澳洲"],
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
      const words = [...(SSC.MARKETPLACE_WORDS[m.code] || [])];
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
})(typeof globalThis !== "undefined" ? globalThis : self);

/*
 * Reading the contract (GET /api/v1/contract; built-in copy SSC.DEFAULT_CONTRACT): the
 * longest text the backend accepts, the case-age threshold, the account statuses the
 * options page offers, and the identifier patterns
 * as JavaScript RegExp source and flags, written from the same rules as the backend's
 * Python patterns. Content features take the contract from ctx.store ("contract").
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const IDENTIFIERS = ["order_id", "asin", "amazon_case_id", "fba_shipment_id"];
  // Only flags that keep a RegExp stateless and mean what Python's inline flags meant.
  const FLAGS_RE = /^[ims]*$/;
  const compiled = new WeakMap(); // contract object -> {name: RegExp}

  const isObj = SSC.isObject;
  const isCount = (v) => Number.isInteger(v) && v > 0;

  function patterns(contract) {
    let res = compiled.get(contract);
    if (!res) {
      res = {};
      for (const name of IDENTIFIERS) res[name] = new RegExp(contract.identifiers[name].source, contract.identifiers[name].flags);
      compiled.set(contract, res);
    }
    return res;
  }

  /** Is `data` a contract we can use? Every identifier must compile. */
  SSC.validContract = function validContract(data) {
    if (!isObj(data) || !isObj(data.identifiers)) return false;
    if (![data.max_text_length, data.case_age_days_from_hours].every(isCount)) return false;
    if (!Array.isArray(data.account_statuses) || !data.account_statuses.length || !data.account_statuses.every(SSC.isId)) return false;
    const ok = IDENTIFIERS.every((name) => {
      const p = data.identifiers[name];
      return isObj(p) && typeof p.source === "string" && typeof p.flags === "string" && FLAGS_RE.test(p.flags);
    });
    if (!ok) return false;
    try {
      patterns(data);
      return true;
    } catch (e) {
      return false; // a pattern this browser cannot compile
    }
  };

  /**
   * `text` cut to the contract's max_text_length. The backend counts code points, so a
   * character outside the BMP counts once and is never cut in half.
   */
  SSC.clipText = function clipText(text, contract) {
    const s = String(text);
    const max = contract.max_text_length;
    // UTF-16 length >= code points: a text this short is within the limit.
    return s.length <= max ? s : Array.from(s).slice(0, max).join("");
  };

  /**
   * The first `name` identifier (order_id, asin, amazon_case_id, fba_shipment_id) in
   * `text`, or null. The text is NFKC-folded first, as the backend does, so the full-width
   * digits and letters of Chinese IMEs match (and come out as ASCII).
   */
  SSC.findIdentifier = function findIdentifier(text, contract, name) {
    const m = patterns(contract)[name].exec(String(text).normalize("NFKC"));
    return m ? m[0] : null;
  };

  /**
   * A case's age as the backend words it: hours below the contract's
   * case_age_days_from_hours, whole days from there. {unit: "hours"|"day"|"days", n}.
   */
  SSC.caseAge = function caseAge(hours, contract) {
    if (hours < contract.case_age_days_from_hours) return { unit: "hours", n: hours };
    const days = Math.floor(hours / 24);
    return { unit: days === 1 ? "day" : "days", n: days };
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

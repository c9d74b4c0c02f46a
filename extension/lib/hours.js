/*
 * Pure helpers for open-hours badges: evaluate a channel at any instant from
 * the 7-day open intervals the backend sends (so badges keep ticking, and
 * keep working from cache while the backend is down), format times, and read whether the
 * seller's own settings let them use a channel.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const WEEK_MS = 7 * 24 * 3600 * 1000;
  const ms = (iso) => {
    const v = Date.parse(iso);
    return Number.isFinite(v) ? v : null;
  };

  /**
   * State of one channel at `now` (ms since epoch).
   * `response` is the /api/v1/hours object the channel came from.
   * Returns {status: open|closed|unknown|offline, next: ms|null}.
   */
  function channelAt(channel, response, now) {
    const at = ms(response && response.at);
    const horizon = at === null ? null : at + WEEK_MS;
    if (!channel || !["open", "closed"].includes(channel.status)) return { status: "unknown", next: null };
    if (horizon !== null && now >= horizon) return { status: "offline", next: null };
    const backendNext = ms(channel.next_change);
    const intervals = (Array.isArray(channel.open_intervals) ? channel.open_intervals : [])
      .map((iv) => ({ start: ms(iv.start), end: ms(iv.end) }))
      .filter((iv) => iv.start !== null && iv.end !== null && iv.end > iv.start)
      .sort((a, b) => a.start - b.start);
    if (!intervals.length) {
      // No schedule to evaluate (e.g. an always-open case channel): trust the
      // backend's status until its announced next change.
      if (backendNext !== null && now >= backendNext) return { status: "offline", next: null };
      return { status: channel.status === "closed" ? "closed" : "open", next: backendNext };
    }
    // Merge touching intervals (a 24/7 channel may come as daily pieces).
    const merged = [];
    for (const iv of intervals) {
      const last = merged[merged.length - 1];
      if (last && iv.start <= last.end + 1000) last.end = Math.max(last.end, iv.end);
      else merged.push({ ...iv });
    }
    const edge = horizon !== null ? horizon - 60 * 1000 : Infinity;
    for (const iv of merged) {
      if (now >= iv.start && now < iv.end) {
        // An interval running to the end of the data window has no known close.
        const next = iv.end >= edge ? (backendNext !== null && backendNext > now ? backendNext : null) : iv.end;
        return { status: "open", next };
      }
      if (iv.start > now) return { status: "closed", next: iv.start };
    }
    return { status: "closed", next: null };
  }

  /** Earliest future change among channels, or null. */
  function nextTick(states, now) {
    let best = null;
    for (const s of states) if (s.next !== null && s.next > now && (best === null || s.next < best)) best = s.next;
    return best;
  }

  function fmt(instant, tz, locale, withDate) {
    const opts = { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (withDate) {
      opts.month = "short";
      opts.day = "numeric";
      opts.weekday = "short";
    }
    try {
      return new Intl.DateTimeFormat(locale, opts).format(new Date(instant));
    } catch (e) {
      return new Date(instant).toISOString().slice(0, 16).replace("T", " ") + " UTC";
    }
  }

  /** "YYYY-MM-DD" of an instant in a zone (for "same day?" checks). */
  function dayKey(instant, tz) {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(instant));
    } catch (e) {
      return new Date(instant).toISOString().slice(0, 10);
    }
  }

  /** Whole hours/minutes until `instant`. */
  function until(instant, now) {
    const mins = Math.max(0, Math.round((instant - now) / 60000));
    return { days: Math.floor(mins / 1440), hours: Math.floor((mins % 1440) / 60), minutes: mins % 60, total: mins };
  }

  SSC.hours = { channelAt, nextTick, fmt, dayKey, until, WEEK_MS };

  /** A channel's `eligibility` from the backend (its seller-settings verdict), or null. */
  const eligibilityOf = (ch) => (ch && SSC.isObject(ch.eligibility) ? ch.eligibility : null);

  /**
   * Why the seller's own settings rule the channel out (the backend's eligibility reasons:
   * {code, message, source}); null while it is usable or not known. The badges and the popup
   * show them alike.
   */
  SSC.ineligibleReasons = function ineligibleReasons(ch) {
    const e = eligibilityOf(ch);
    if (!e || e.usable !== false) return null;
    return (Array.isArray(e.reasons) ? e.reasons : []).filter((r) => SSC.isObject(r) && SSC.isObject(r.message));
  };

  /**
   * The settings not filled in yet that decide whether the seller may use the channel:
   * {names, text} (text asks the seller to fill them in, in i18n's language); null when none.
   */
  SSC.unsetChecks = function unsetChecks(ch, i18n) {
    const e = eligibilityOf(ch);
    if (!e || e.usable !== null || !Array.isArray(e.unset)) return null;
    const names = e.unset.filter((name) => SSC.isId(name));
    if (!names.length) return null;
    const listed = names.map((name) => i18n.t("setting_" + name)).join(i18n.t("listSeparator"));
    return { names, text: i18n.t("badgeCheckSettings", [listed]) };
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

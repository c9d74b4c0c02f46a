/*
 * Feature "hours-badges": one badge per channel (phone, chat, case) showing
 * open / closed / unknown and the next change, in the seller's zone and the
 * marketplace's zone, plus holiday notices with the case reply_by time.
 * Badges re-evaluate themselves at the next change (timer, no reload) from
 * the 7-day open intervals, which is also how they keep working from cache
 * while the backend is down. A channel the seller's own settings rule out (plan,
 * verification, account status: the backend's `eligibility`) says "not available to
 * you" and why, whatever its hours; one that turns on a setting not filled in yet asks
 * the seller to fill it in. When Amazon's contact step says no support agent is
 * available (the "no_agents" anchor), the chat badge says so: the page outranks our
 * schedule, and the badge says where its status came from (data-ssc-source).
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;
  const CHANNELS = ["phone", "chat", "case"];
  const REFRESH_MS = 5 * 60 * 1000;
  const FRESH_MS = 60 * 1000;

  SSC.registerFeature("hours-badges", {
    init(ctx) {
      this.ctx = ctx;
      this.reply = null;
      this.receivedAt = 0;
      this.timer = null;
      ctx.store.subscribe("marketplace", () => this.load());
      ctx.store.subscribe("zones", () => this.render());
      ctx.on("backend-online", () => this.load());
      if (ctx.store.get("marketplace")) this.load();
      else this.render();
    },

    onAnchors(anchors, prev) {
      if (!!anchors.no_agents !== !!prev.no_agents) this.render();
    },

    /** The page's own word on the chat channel beats our schedule. */
    fromPage(name) {
      const el = this.ctx.anchors.no_agents;
      return name === "chat" && SSC.dom.alive(el);
    },

    onSettings(settings, prev) {
      // The zone and the settings that decide eligibility change the backend's answer.
      const keys = ["sellerTimezone", "backendUrl", "teamServerUrl", "plan", "videoVerified", "twoFactor", "accountStatus"];
      if (keys.some((k) => settings[k] !== prev[k])) this.load();
    },

    async load() {
      const ctx = this.ctx;
      const mp = ctx.store.get("marketplace");
      if (!mp) return;
      const reply = await SSC.send("ssc:hours", { marketplace: mp });
      if (mp !== ctx.store.get("marketplace")) return; // marketplace changed while waiting
      if (reply.ok && reply.data && SSC.valid.channels(reply.data.channels).length) {
        reply.data.channels = SSC.valid.channels(reply.data.channels);
        this.reply = reply;
        this.receivedAt = Date.now();
        ctx.setBackend(reply.source === "live" ? "live" : "cache", reply.fetchedAt);
      } else {
        this.reply = null;
        // The backend answered, but not to us: this browser is not paired with it, or the
        // team server wants the person's token.
        ctx.setBackend(ctx.backendStateOf(reply.error));
      }
      this.render();
    },

    /** Status of each channel right now: backend's word while fresh, else computed from intervals. */
    states(now) {
      const out = {};
      const data = this.reply && this.reply.data;
      for (const name of CHANNELS) {
        const ch = data && data.channels.find((c) => c && c.channel === name);
        if (!data || !ch) {
          out[name] = { status: "offline", next: null, ch: null };
          continue;
        }
        const backendNext = Date.parse(ch.next_change);
        const fresh =
          this.reply.source === "live" &&
          now - this.receivedAt < FRESH_MS &&
          (!Number.isFinite(backendNext) || now < backendNext) &&
          ["open", "closed", "unknown"].includes(ch.status);
        const st = fresh
          ? { status: ch.status, next: Number.isFinite(backendNext) ? backendNext : null }
          : SSC.hours.channelAt(ch, data, now);
        out[name] = { ...st, ch };
      }
      return out;
    },

    render() {
      const ctx = this.ctx;
      if (!ctx || !ctx.overlay) return;
      const { h, t, i18n } = { h: ctx.h, t: ctx.t.bind(ctx), i18n: ctx.i18n };
      const now = Date.now();
      const data = this.reply && this.reply.data;
      const states = this.states(now);
      const sellerTz = (data && data.seller_timezone) || ctx.settings.sellerTimezone;
      const marketplace = ctx.store.get("marketplace");
      const mpInfo = ctx.store.get("marketplaces").find((m) => m.code === marketplace);
      const mpTz = (data && data.marketplace_timezone) || (mpInfo && mpInfo.timezone) || "UTC";
      const mpName = mpInfo ? i18n.pick(mpInfo.name) : marketplace || "";
      const zoneName = (tz) => SSC.zoneName(tz, ctx.store.get("zones"), (name) => i18n.pick(name));
      // "美东时间 20:00" / "20:00 US Eastern time": the zone as a seller names it, in the language's order.
      const inZone = (instant, tz, withDate) => t("timeInZone", [SSC.hours.fmt(instant, tz, i18n.locale, withDate), zoneName(tz)]);

      const section = ctx.overlay.section("badges");
      const list = h("div", { class: "badges", "data-ssc-badges": marketplace || "", "data-ssc-source": this.reply ? this.reply.source : "none" });
      for (const name of CHANNELS) {
        const fromPage = this.fromPage(name);
        const st = fromPage ? { ...states[name], status: "unavailable", next: null } : states[name];
        const ch = st.ch;
        const label = ch && ch.label && typeof ch.label === "object" ? i18n.pick(ch.label) : t("channel_" + name);
        const barred = SSC.ineligibleReasons(ch);
        const unset = barred ? null : SSC.unsetChecks(ch, i18n);
        const badge = h(
          "div",
          {
            class: "badge",
            "data-ssc-channel": name,
            "data-ssc-status": st.status,
            "data-ssc-source": fromPage ? "page" : "schedule",
            "data-ssc-eligible": barred ? "false" : unset ? "unknown" : null,
          },
          h("div", { class: "row" }, h("span", { class: "name", text: label }), h("span", { class: "pill", text: t(barred ? "status_ineligible" : "status_" + st.status) }))
        );
        if (barred) {
          for (const r of barred) badge.appendChild(h("div", { class: "muted", "data-ssc-ineligible-reason": String(r.code || ""), text: i18n.pick(r.message) }));
          badge.appendChild(h("div", { class: "muted", text: t("badgeIneligibleHint") }));
        }
        // Settings a fresh install has not filled in: we ask rather than say "not available".
        if (unset) badge.appendChild(h("div", { class: "muted", "data-ssc-unset": unset.names.join(" "), text: unset.text }));
        if (fromPage) badge.appendChild(h("div", { class: "muted", "data-ssc-from-page": "", text: t("badgeFromPage") }));
        if (st.next) {
          const sameDay = (tz) => SSC.hours.dayKey(now, tz) === SSC.hours.dayKey(st.next, tz);
          const u = SSC.hours.until(st.next, now);
          const rel = u.days ? t("inDaysHours", [u.days, u.hours]) : u.hours ? t("inHoursMinutes", [u.hours, u.minutes]) : t("inMinutes", [u.minutes]);
          badge.appendChild(
            h("div", {
              class: "muted",
              "data-ssc-next": new Date(st.next).toISOString(),
              text: t(st.status === "open" ? "nextClose" : "nextOpen", [
                inZone(st.next, sellerTz, !sameDay(sellerTz)),
                inZone(st.next, mpTz, !sameDay(mpTz)),
                rel,
              ]),
            })
          );
        } else if (st.status === "open") {
          badge.appendChild(h("div", { class: "muted", text: t("noScheduledClose") }));
        }
        if (name === "case" && ch && ch.reply_by && st.status !== "offline") {
          const rb = Date.parse(ch.reply_by);
          if (Number.isFinite(rb)) {
            badge.appendChild(
              h("div", {
                class: "muted",
                "data-ssc-reply-by": ch.reply_by,
                // As the holiday notice words it: the seller's zone, the marketplace's in parentheses.
                text: t("replyBy", [inZone(rb, sellerTz, true), inZone(rb, mpTz, true)]),
              })
            );
          }
        }
        if (ch && ch.scope === "high_priority" && st.status !== "offline") {
          badge.appendChild(h("div", { class: "muted", text: t("scopeHighPriority") }));
        }
        // The rule's full note (with its source facts) is one hover away.
        if (ch && ch.note && i18n.pick(ch.note)) badge.title = i18n.pick(ch.note);
        const helpUrl = st.status === "unknown" && ch ? SSC.safeUrl(ch.help_url) : null;
        if (helpUrl) {
          badge.appendChild(h("a", { class: "link", href: helpUrl, target: "_blank", rel: "noopener noreferrer", text: t("unknownHelpLink") }));
        }
        if (st.status === "offline") badge.appendChild(h("div", { class: "muted", text: t("badgeOfflineHint") }));
        list.appendChild(badge);
      }
      const title = h("div", { class: "section-title", text: t("hoursTitle", [mpName, zoneName(sellerTz)]) });
      section.replaceChildren(title, list);

      const notices = ctx.overlay.section("notices");
      const items = SSC.valid.notices(data && data.notices).map((n) =>
        h(
          "div",
          { class: "notice", "data-ssc-notice": String(n.code || ""), "data-severity": n.severity || "info" },
          n.source ? [SSC.sourceLabel(i18n, n.source), " "] : null, // Amazon's or the article's (lib/advice.js)
          i18n.pick(n.message)
        )
      );
      notices.replaceChildren(...items);
      this.schedule(states, now);
    },

    /** Timer to the next open/close (capped), so badges tick over without a reload. */
    schedule(states, now) {
      clearTimeout(this.timer);
      const next = SSC.hours.nextTick(Object.values(states), now);
      let delay = REFRESH_MS;
      let atChange = false;
      if (next !== null && next - now < delay) {
        delay = Math.max(250, next - now + 250);
        atChange = true;
      }
      // Also re-render each minute so the relative "in 2 h 5 min" text stays true.
      if (delay > 60000) {
        delay = 60000;
        atChange = false;
      }
      const ctx = this.ctx;
      this.timer = setTimeout(
        ctx.guard("hours-badges", () => {
          if (atChange || Date.now() - this.receivedAt >= REFRESH_MS) {
            this.render(); // flip from local intervals immediately
            this.load(); // then confirm with the backend (falls back to cache)
          } else {
            this.render();
          }
        }),
        delay
      );
    },
  });
})(typeof globalThis !== "undefined" ? globalThis : self);

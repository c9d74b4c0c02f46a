/*
 * Options page, the time-zone picker: a searchable list (WAI-ARIA combobox with a listbox
 * popup) in place of a free-text IANA field. The zones Chinese-speaking sellers most often
 * work in come first, under the names a seller uses (北京时间, US Pacific time: the
 * marketplaces document's `zones`, served or built in); every other zone the browser knows
 * (Intl.supportedValuesOf) follows under its IANA name. A search matches the name in
 * either language and the IANA name, underscores as spaces (美西, pacific, los angeles).
 * The input keeps the IANA name, which is what is saved.
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const SHOWN = 60; // options listed at once; typing narrows the rest

  /** Every zone as {id, name (or null), words (lower-cased, searched)}: common ones first. */
  function allZones(zones) {
    let known = [];
    try {
      known = Intl.supportedValuesOf("timeZone");
    } catch (e) {
      known = []; // an old browser: the named zones only
    }
    const named = zones.filter((z) => SSC.isValidTimezone(z.id));
    const common = named.filter((z) => z.seller_common);
    const first = new Set(common.map((z) => z.id));
    const entry = (id, name) => ({
      id,
      name,
      words: [id, id.replace(/_/g, " "), name ? name.zh : "", name ? name.en : ""].join(" ").toLowerCase(),
    });
    const byId = new Map(named.map((z) => [z.id, z.name]));
    return [
      ...common.map((z) => entry(z.id, z.name)),
      ...[...new Set([...known, ...named.map((z) => z.id)])].filter((id) => !first.has(id)).sort().map((id) => entry(id, byId.get(id) || null)),
    ];
  }

  class TimezonePicker {
    /** input: the combobox <input>; list: its <ul role=listbox>; chosen: where the chosen zone's name is said. */
    constructor(input, list, chosen) {
      this.input = input;
      this.list = list;
      this.chosen = chosen;
      this.zones = allZones(SSC.FALLBACK_ZONES);
      this.shown = [];
      this.active = -1;
      input.addEventListener("input", () => this.onInput());
      input.addEventListener("focus", () => this.open(true));
      input.addEventListener("keydown", (e) => this.onKey(e));
      input.addEventListener("blur", () => setTimeout(() => this.close(), 150)); // after a click on an option
      list.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus in the input
    }

    /** Names from the served marketplaces document (else the built-in copy stays). */
    setZones(zones) {
      if (zones.length) this.zones = allZones(zones);
      this.describe();
    }

    label(zone) {
      const i18n = SSC.i18n;
      return zone.name ? i18n.pick(zone.name) + " · " + zone.id : zone.id;
    }

    /** The IANA name for what is typed: itself, or a zone's display name in either language. */
    value() {
      const typed = this.input.value.trim();
      if (SSC.isValidTimezone(typed)) return typed;
      const lower = typed.toLowerCase();
      const byName = this.zones.find((z) => z.name && [z.name.zh, z.name.en].some((n) => n.toLowerCase() === lower));
      return byName ? byName.id : typed;
    }

    set(id) {
      this.input.value = id;
      this.describe();
    }

    /** Under the field: the chosen zone as a seller names it. */
    describe() {
      const id = this.value();
      const zone = this.zones.find((z) => z.id === id);
      this.chosen.textContent = zone && zone.name ? this.label(zone) : "";
    }

    /** Typing narrows the list; a whole IANA name typed out needs no list. */
    onInput() {
      if (SSC.isValidTimezone(this.input.value.trim())) {
        this.close();
        this.describe();
      } else {
        this.open(false);
      }
    }

    matches(all) {
      const query = this.input.value.trim().toLowerCase();
      return (all || !query ? this.zones : this.zones.filter((z) => z.words.includes(query))).slice(0, SHOWN);
    }

    /** all: every zone (common ones first), as a select would on entering the field; else the matches. */
    open(all) {
      this.shown = this.matches(all);
      this.active = -1;
      const h = SSC.h;
      this.list.replaceChildren(
        ...this.shown.map((zone, i) =>
          h("li", {
            id: "tz-option-" + i,
            role: "option",
            "aria-selected": "false",
            "data-ssc-zone": zone.id,
            text: this.label(zone),
            onclick: () => this.pick(i),
          })
        )
      );
      this.list.hidden = this.shown.length === 0;
      this.input.setAttribute("aria-expanded", String(!this.list.hidden));
      this.input.removeAttribute("aria-activedescendant");
      this.describe();
    }

    close() {
      this.list.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
    }

    move(step) {
      if (this.list.hidden) this.open(false);
      if (!this.shown.length) return;
      this.active = (this.active + step + this.shown.length) % this.shown.length;
      const options = this.list.children;
      for (let i = 0; i < options.length; i++) options[i].setAttribute("aria-selected", String(i === this.active));
      const current = options[this.active];
      this.input.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    }

    pick(i) {
      const zone = this.shown[i];
      if (!zone) return;
      this.set(zone.id);
      this.close();
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    onKey(e) {
      const open = !this.list.hidden;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        this.move(e.key === "ArrowDown" ? 1 : -1);
      } else if (e.key === "Enter" && open && this.active >= 0) {
        e.preventDefault(); // picks the zone; does not submit the form
        this.pick(this.active);
      } else if (e.key === "Escape" && open) {
        e.preventDefault();
        this.close();
      }
    }
  }

  SSC.TimezonePicker = TimezonePicker;
})();

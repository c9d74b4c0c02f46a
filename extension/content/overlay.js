/*
 * The overlay: ONE host element [data-ssc="overlay"] with an open shadow root
 * and a `:host{all:initial !important}` reset, so page CSS cannot reach our UI
 * and our CSS cannot reach the page. All text is written with textContent (see SSC.h()).
 *
 * Page CSS can still match the host element itself (`* {display:none !important}`,
 * `[data-ssc] {all:unset}`, a transform that shrinks it, a script that sets its
 * style attribute). Our `:host` rules are !important: for important declarations
 * the shadow tree's own rules win over the page's rules and its inline styles, so
 * the host always renders as a plain box. Hiding it is our decision only, through
 * the `data-ssc-hidden` attribute.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  const COLLAPSED_KEY = "overlayCollapsed";

  const CSS_TEXT = `
:host {
  all: initial !important; display: block !important; visibility: visible !important;
  opacity: 1 !important; position: static !important; pointer-events: auto !important;
  contain: none !important; transform: none !important; filter: none !important; clip-path: none !important;
}
:host([data-ssc-hidden]) { display: none !important; }
* { box-sizing: border-box; }
/* Bottom right, in the lower 56% of the window: the top stays clear for the page's header
   and its first fields (the Help Hub's contact-method fieldset), and on a 1024-px window it
   takes 27% of the width, not 35%. The body scrolls inside; the head stays. */
.panel {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
  width: clamp(280px, 27vw, 360px); max-height: min(480px, 56vh);
  display: flex; flex-direction: column; overflow: hidden;
  font: 13px/1.45 -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", Arial, sans-serif;
  color: #0f1111; background: #fff; border: 1px solid #d5d9d9; border-radius: 10px;
  box-shadow: 0 6px 24px rgba(15,17,17,.18);
}
.head { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: #232f3e; color: #fff;
  border-radius: 10px 10px 0 0; flex: none; }
.collapsed .head { border-radius: 10px; }
.title { font-weight: 700; flex: 1; font-size: 13px; }
.head select { font: inherit; font-size: 12px; max-width: 130px; }
.head button { font: inherit; background: transparent; color: #fff; border: 1px solid #6b7785; border-radius: 4px;
  cursor: pointer; padding: 0 6px; min-width: 24px; }
.body { padding: 8px 10px 10px; overflow: auto; min-height: 0; }
button:focus-visible, a:focus-visible, select:focus-visible { outline: 2px solid #ffb400; outline-offset: 1px; }
.collapsed .body { display: none; }
.status { padding: 6px 8px; border-radius: 6px; margin-bottom: 8px; font-size: 12px; }
.status[data-kind="offline"], .status[data-kind="error"] { background: #fff4e5; border: 1px solid #f0a800; }
.status[data-kind="cache"] { background: #eef6ff; border: 1px solid #8fb7e6; }
.status code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
.section-title { font-weight: 700; margin: 8px 0 4px; font-size: 12px; color: #565959; text-transform: none; }
.badges { display: grid; gap: 6px; }
.badge { border: 1px solid #d5d9d9; border-radius: 6px; padding: 6px 8px; display: grid; gap: 2px; }
.badge .row { display: flex; align-items: center; gap: 6px; }
.badge .name { font-weight: 700; flex: 1; }
.pill { font-size: 11px; font-weight: 700; border-radius: 10px; padding: 1px 8px; color: #fff; }
.badge[data-ssc-status="open"] .pill { background: #067d62; }
.badge[data-ssc-status="closed"] .pill { background: #b12704; }
.badge[data-ssc-status="unknown"] .pill { background: #6f7373; }
.badge[data-ssc-status="offline"] .pill { background: #8d6e00; }
.badge[data-ssc-status="unavailable"] .pill { background: #b12704; }
/* The seller's settings rule the channel out: never green, whatever the hours say. */
.badge[data-ssc-eligible="false"] .pill { background: #565959; }
.muted { color: #565959; font-size: 12px; }
.head .muted { color: #d5d9d9; }
.notice { border-left: 3px solid #8fb7e6; padding: 4px 8px; margin: 4px 0; font-size: 12px; background: #f7fafd; }
.notice[data-severity="warning"] { border-color: #f0a800; background: #fffaf0; }
.hint { border: 1px solid #8fb7e6; border-radius: 6px; padding: 8px; background: #f7fbff; }
.hint .cat { font-weight: 700; font-size: 14px; }
.hint.question { border-style: dashed; background: #fffdf5; }
.tag { display: inline-block; font-size: 11px; border-radius: 10px; padding: 0 6px; margin: 0 4px 0 0; background: #e7f0fb; color: #17416b; }
.tag.high { background: #fde8e4; color: #8a1c00; }
.tag.special { background: #efe7fb; color: #4a227a; }
.reason { display: inline-block; background: #fff3c4; border-radius: 3px; padding: 0 4px; margin: 0 4px 2px 0; font-size: 12px; }
ul { margin: 4px 0; padding-left: 18px; }
.alts { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 6px; }
button.link, a.link { font: inherit; font-size: 12px; background: #fff; border: 1px solid #d5d9d9; border-radius: 14px;
  padding: 2px 10px; cursor: pointer; color: #0f1111; text-decoration: none; }
button.primary { font: inherit; background: #ffd814; border: 1px solid #fcd200; border-radius: 8px; padding: 4px 12px; cursor: pointer; color: #0f1111; }
button.secondary { font: inherit; background: #fff; border: 1px solid #d5d9d9; border-radius: 8px; padding: 4px 12px; cursor: pointer; color: #0f1111; }
.advice { margin-top: 6px; padding: 6px; background: #fff8e1; border-radius: 4px; font-size: 12px; }
.special { margin-top: 6px; padding: 6px; background: #f3ecfd; border-radius: 4px; font-size: 12px; }
.actions { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
.backdrop { position: fixed; inset: 0; background: rgba(15,17,17,.35); z-index: 2147483001;
  display: flex; align-items: center; justify-content: center; }
.dialog { background: #fff; width: min(480px, calc(100vw - 32px)); max-height: calc(100vh - 64px); overflow: auto;
  border-radius: 10px; padding: 14px 16px; box-shadow: 0 10px 40px rgba(0,0,0,.3);
  font: 13px/1.5 -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", Arial, sans-serif; color: #0f1111; }
.dialog h2 { font-size: 15px; margin: 0 0 8px; }
.finding { border-left: 4px solid #8fb7e6; padding: 4px 8px; margin: 6px 0; background: #f7fafd; }
.finding[data-severity="warning"] { border-color: #f0a800; background: #fffaf0; }
.finding[data-severity="error"] { border-color: #b12704; background: #fff0ee; }
.finding .dup { margin-top: 4px; font-size: 12px; color: #565959; }
.finding .dup a { color: #007185; }
.src { display: inline-block; font-size: 11px; border-radius: 10px; padding: 0 6px; margin-right: 2px; background: #f3f3f3; color: #565959; }
.src[data-ssc-source="amazon"] { background: #e6f4ea; color: #0b5a2a; }
.tip { display: flex; gap: 6px; align-items: flex-start; border: 1px solid #e3e6e6; border-radius: 6px; padding: 4px 6px; margin: 4px 0; font-size: 12px; background: #fcfcfc; }
.tip .tip-text { flex: 1; }
.tip summary { cursor: pointer; display: inline; }
.tip .steps { margin: 4px 0 0; padding-left: 18px; }
.tip .dismiss { font: inherit; background: transparent; border: 0; color: #565959; cursor: pointer; padding: 0 4px; line-height: 1; font-size: 14px; }
.advice-list { margin: 4px 0 0; padding-left: 18px; font-size: 12px; }
.finding .sev { font-size: 11px; font-weight: 700; text-transform: uppercase; color: #565959; margin-right: 6px; }
`;

  class Overlay {
    constructor() {
      this.host = null;
      this.shadow = null;
      this.sections = {};
      this.hidden = false; // our own state: the page can set attributes on the host, not this
      this.collapsedKnown = false; // until the seller's stored choice is read
      this.collapseListeners = [];
    }

    mount() {
      if (this.host && this.host.isConnected) return this;
      // Never two overlays, even if the script were injected twice.
      const existing = document.querySelector('[data-ssc="overlay"]');
      if (existing) existing.remove();
      const host = document.createElement("div");
      host.setAttribute("data-ssc", "overlay");
      const shadow = host.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = CSS_TEXT;
      shadow.appendChild(style);
      // A landmark named by its title, so a screen reader can jump to it.
      this.panel = SSC.h("div", { class: "panel", role: "region", "aria-labelledby": "ssc-title" }); // no part=: ::part() would let page CSS in
      this.head = SSC.h("div", { class: "head" });
      this.titleEl = SSC.h("span", { class: "title", id: "ssc-title" });
      this.headTools = SSC.h("span", { class: "tools" });
      this.collapseBtn = SSC.h("button", {
        type: "button",
        "data-ssc-action": "collapse",
        "aria-controls": "ssc-body",
        onclick: () => this.setCollapsed(!this.collapsed, true),
      });
      this.head.append(this.titleEl, this.headTools, this.collapseBtn);
      this.body = SSC.h("div", { class: "body", id: "ssc-body" });
      this.statusEl = SSC.h("div", { class: "status", "data-ssc": "status", role: "status", hidden: true });
      this.body.appendChild(this.statusEl);
      for (const id of ["anchors", "badges", "notices", "hints", "composer", "tips"]) {
        this.sections[id] = SSC.h("div", { "data-ssc-section": id });
        this.body.appendChild(this.sections[id]);
      }
      this.panel.append(this.head, this.body);
      this.modal = SSC.h("div", { "data-ssc-section": "modal" });
      shadow.append(this.panel, this.modal);
      (document.body || document.documentElement).appendChild(host);
      this.host = host;
      this.shadow = shadow;
      this.setCollapsed(false, false);
      this.restoreCollapsed();
      return this;
    }

    /** Collapsed or not: "+" to expand, "–" to collapse; stored when the seller chose it. */
    setCollapsed(collapsed, bySeller) {
      this.collapsed = collapsed;
      this.panel.classList.toggle("collapsed", collapsed);
      this.collapseBtn.textContent = collapsed ? "+" : "–";
      this.collapseBtn.setAttribute("aria-expanded", String(!collapsed));
      this.labelCollapse();
      if (bySeller) SSC.api.storage.local.set({ [COLLAPSED_KEY]: collapsed }).catch(() => {});
      this.collapsedChanged();
    }

    /** Is the panel's body on screen: shown, and expanded by the seller's (restored) choice? */
    expanded() {
      return this.visible() && this.collapsedKnown && !this.collapsed;
    }

    /** fn() after the panel collapses or expands (tips count as seen only when expanded). */
    onCollapsedChange(fn) {
      this.collapseListeners.push(fn);
    }

    collapsedChanged() {
      for (const fn of this.collapseListeners) {
        try {
          fn();
        } catch (e) {
          console.debug("[SSC] collapse listener", e);
        }
      }
    }

    /** The button says what it does now ("Expand the panel" while collapsed), in the UI's language. */
    labelCollapse() {
      const label = SSC.i18n.t(this.collapsed ? "overlayExpand" : "overlayCollapse");
      this.collapseBtn.title = label;
      this.collapseBtn.setAttribute("aria-label", label);
    }

    /** The seller's last choice survives a reload (storage.local, every Seller Central tab alike). */
    async restoreCollapsed() {
      try {
        const got = await SSC.api.storage.local.get(COLLAPSED_KEY);
        if (got && typeof got[COLLAPSED_KEY] === "boolean") this.setCollapsed(got[COLLAPSED_KEY], false);
      } catch (e) {
        // Storage unavailable (extension reloaded): the panel stays open.
      }
      this.collapsedKnown = true;
      this.collapsedChanged();
    }

    /** Re-add the host if the page wiped it (e.g. body replaced). */
    ensureAttached() {
      if (this.host && !this.host.isConnected) (document.body || document.documentElement).appendChild(this.host);
    }

    show(visible) {
      this.hidden = !visible;
      if (!this.host) return;
      if (visible) this.host.removeAttribute("data-ssc-hidden");
      else this.host.setAttribute("data-ssc-hidden", "");
    }

    /** Shown by us (the page's CSS cannot hide it, see :host above). */
    visible() {
      return !!(this.host && this.host.isConnected && !this.hidden);
    }

    section(id) {
      return this.sections[id];
    }

    /** The title, and the collapse button's label, in the UI's language (after a switch too). */
    setTitle(text) {
      this.titleEl.textContent = text;
      this.labelCollapse();
    }

    /** kind: null (hide) | "offline" | "cache" | "error"; parts: strings or nodes. */
    setStatus(kind, ...parts) {
      this.statusEl.replaceChildren();
      if (!kind) {
        this.statusEl.hidden = true;
        this.statusEl.removeAttribute("data-kind");
        return;
      }
      this.statusEl.hidden = false;
      this.statusEl.setAttribute("data-kind", kind);
      for (const p of parts.flat()) {
        if (p === null || p === undefined) continue;
        this.statusEl.appendChild(typeof p === "string" ? document.createTextNode(p) : p);
      }
    }
  }

  SSC.Overlay = Overlay;
})(typeof globalThis !== "undefined" ? globalThis : self);

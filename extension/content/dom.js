/*
 * DOM helpers that see through open shadow roots (Seller Central's KAT
 * components keep their real <textarea>/<button> inside shadow DOM) and
 * find page anchors from data: CSS selectors first, then label texts in
 * English and Chinese, then generic role fallbacks.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  const norm = (s) => String(s || "").replace(/\s+/g, " ").trim().toLowerCase();

  /** All elements under `start` (document or element), descending into open shadow roots. */
  function allElements(start) {
    const out = [];
    const stack = [start];
    while (stack.length) {
      const node = stack.pop();
      const kids = node.children || (node.documentElement ? [node.documentElement] : []);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
      if (node.nodeType === 1) {
        out.push(node);
        if (node.shadowRoot) stack.push(node.shadowRoot);
      }
    }
    return out;
  }

  // The list of open shadow roots is collected once per task (one anchor scan
  // runs many queries) and dropped at the next microtask, so it is never stale.
  let rootsCache = null;
  function documentRoots() {
    if (!rootsCache) {
      const roots = [document];
      for (const el of allElements(document)) if (el.shadowRoot) roots.push(el.shadowRoot);
      rootsCache = roots;
      queueMicrotask(() => {
        rootsCache = null;
      });
    }
    return rootsCache;
  }

  /** querySelectorAll across the document and every open shadow root. */
  function deepQueryAll(selector, start) {
    const res = [];
    let roots;
    if (!start || start === document) roots = documentRoots();
    else {
      roots = [start];
      for (const el of allElements(start)) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    for (const r of roots) {
      try {
        for (const el of r.querySelectorAll(selector)) res.push(el);
      } catch (e) {
        return []; // invalid selector in the data: skip it
      }
    }
    return res;
  }

  function isOurs(el) {
    const host = el && el.getRootNode && el.getRootNode().host;
    return !!(host && host.getAttribute && host.getAttribute("data-ssc") === "overlay") ||
      !!(el && el.getAttribute && el.getAttribute("data-ssc") === "overlay");
  }

  function isVisible(el) {
    if (!el || !el.isConnected) return false;
    if (el.getClientRects().length === 0) {
      // Custom elements with display:contents still count if their content is visible.
      const inner = el.shadowRoot && el.shadowRoot.querySelector("textarea, input, button, [role]");
      return !!(inner && inner.getClientRects().length);
    }
    const st = getComputedStyle(el);
    return st.visibility !== "hidden" && st.display !== "none";
  }

  /** Outermost shadow host chain: an element inside a KAT component maps to the component. */
  function hostOf(el) {
    let cur = el;
    for (;;) {
      const r = cur.getRootNode && cur.getRootNode();
      if (r && r.host && /^kat-/i.test(r.host.localName)) cur = r.host;
      else return cur;
    }
  }

  /** Visible text of an element, including its light DOM and shadow DOM text and common label attributes. */
  function labelOf(el) {
    if (!el || el.nodeType !== 1) return "";
    const attrs = ["aria-label", "label", "title", "placeholder", "value"];
    const parts = [];
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v && !(a === "value" && !/^(submit|button)$/i.test(el.type || ""))) parts.push(v);
    }
    const own = el.textContent || "";
    if (own.trim()) parts.push(own);
    else if (el.shadowRoot) parts.push(el.shadowRoot.textContent || "");
    const seen = [];
    for (const p of parts.map(norm)) if (p && !seen.includes(p)) seen.push(p);
    return seen.join(" ");
  }

  function textList(anchor) {
    const t = (anchor && anchor.texts) || {};
    const all = [];
    for (const k of Object.keys(t)) for (const s of t[k] || []) if (s) all.push(norm(s));
    return all;
  }

  const TEXT_CONTROL = "textarea, kat-textarea, [contenteditable='true'], [role='textbox']";
  const BUTTON_LIKE = "button, kat-button, input[type='submit'], input[type='button'], [role='button']";

  function bySelectors(anchor) {
    for (const s of (anchor && anchor.selectors) || []) {
      const found = deepQueryAll(s.selector).filter((el) => !isOurs(el) && isVisible(el));
      if (found.length) return found[0];
    }
    return null;
  }

  /** The text control a <label> (or label-ish element) points at. */
  function controlForLabel(label) {
    const id = label.getAttribute("for");
    const scope = label.getRootNode();
    if (id && scope.getElementById) {
      const c = scope.getElementById(id);
      if (c) return c;
    }
    const nested = label.querySelector && label.querySelector(TEXT_CONTROL);
    if (nested) return nested;
    // Next text control after the label within its parent block.
    let p = label.parentElement;
    for (let depth = 0; p && depth < 3; depth++, p = p.parentElement) {
      const c = p.querySelector(TEXT_CONTROL);
      if (c) return c;
    }
    return null;
  }

  function findDescription(anchor) {
    const hit = bySelectors(anchor);
    if (hit) return hostOf(hit);
    const texts = textList(anchor);
    const controls = deepQueryAll(TEXT_CONTROL).filter((el) => !isOurs(el) && isVisible(el));
    // 1. A control whose own label/aria-label/placeholder names it.
    for (const c of controls) {
      const l = norm([c.getAttribute("aria-label"), c.getAttribute("label"), c.getAttribute("placeholder")].join(" "));
      if (l && texts.some((t) => l.includes(t))) return hostOf(c);
    }
    // 2. aria-labelledby.
    for (const c of controls) {
      const ids = (c.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      const scope = c.getRootNode();
      const l = norm(ids.map((i) => (scope.getElementById && scope.getElementById(i) ? scope.getElementById(i).textContent : "")).join(" "));
      if (l && texts.some((t) => l.includes(t))) return hostOf(c);
    }
    // 3. A <label>/heading whose text matches, pointing at a control.
    const labels = deepQueryAll("label, legend, h1, h2, h3, h4, kat-label, [id$='label' i]").filter((el) => !isOurs(el));
    for (const lab of labels) {
      const l = norm(lab.getAttribute("text") || lab.textContent);
      if (l && l.length < 120 && texts.some((t) => l.includes(t))) {
        const c = controlForLabel(lab);
        if (c && isVisible(c)) return hostOf(c);
      }
    }
    // 4. Role fallback: the largest visible multi-line text control.
    const multi = controls.filter((c) => /^(textarea|kat-textarea)$/i.test(c.localName) || c.getAttribute("aria-multiline") === "true");
    if (multi.length) {
      multi.sort((a, b) => area(b) - area(a));
      return hostOf(multi[0]);
    }
    return null;
  }

  function area(el) {
    const r = el.getBoundingClientRect();
    return r.width * r.height;
  }

  /** Does `el` look like the page's submit control according to the anchor data? */
  function isSubmitControl(el, anchor) {
    if (!el || el.nodeType !== 1 || isOurs(el)) return false;
    for (const s of (anchor && anchor.selectors) || []) {
      try {
        if (el.matches(s.selector)) return true;
      } catch (e) {
        /* bad selector in data */
      }
    }
    let buttonLike = false;
    try {
      buttonLike = el.matches(BUTTON_LIKE);
    } catch (e) {
      buttonLike = false;
    }
    if (!buttonLike) return false;
    const l = labelOf(el);
    if (!l || l.length > 60) return false;
    return textList(anchor).some((t) => l === t || l.startsWith(t + " ") || l.endsWith(" " + t));
  }

  function findSubmit(anchor) {
    const hit = bySelectors(anchor);
    if (hit) return hostOf(hit);
    const cands = deepQueryAll(BUTTON_LIKE).filter((el) => !isOurs(el) && isVisible(el) && isSubmitControl(el, anchor));
    return cands.length ? hostOf(cands[0]) : null;
  }

  function findGeneric(anchor) {
    const hit = bySelectors(anchor);
    if (hit) return hit;
    const texts = textList(anchor);
    if (!texts.length) return null;
    const els = deepQueryAll("label, span, div, a, button, kat-dropdown, select").filter((el) => !isOurs(el));
    for (const el of els) {
      const l = labelOf(el);
      if (l && l.length < 80 && texts.some((t) => l.includes(t))) return el;
    }
    return null;
  }

  /** The real form control behind an anchor (inside a KAT shadow root if needed). */
  function innerControl(el) {
    if (!el) return null;
    if (/^(textarea|input)$/i.test(el.localName) || el.isContentEditable) return el;
    const sr = el.shadowRoot;
    const inner = sr && sr.querySelector("textarea, input, [contenteditable='true']");
    if (inner) return innerControl(inner);
    const light = el.querySelector && el.querySelector("textarea, input");
    return light || null;
  }

  function getText(el) {
    const c = innerControl(el);
    if (!c) return "";
    if (c.isContentEditable && !/^(textarea|input)$/i.test(c.localName)) return c.innerText || "";
    return typeof c.value === "string" ? c.value : "";
  }

  /** Set the text of a control and fire the events a framework listens for. */
  function setText(el, text) {
    const c = innerControl(el);
    if (!c) return false;
    if (c.isContentEditable && !/^(textarea|input)$/i.test(c.localName)) {
      c.textContent = text;
    } else {
      const proto = c.localName === "textarea" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      const desc = Object.getOwnPropertyDescriptor(proto, "value");
      if (desc && desc.set) desc.set.call(c, text);
      else c.value = text;
    }
    c.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    c.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
    return true;
  }

  /** Focus the real control behind an anchor. */
  function focus(el) {
    const c = innerControl(el) || el;
    try {
      c.focus();
    } catch (e) {
      /* ignore */
    }
  }

  /** Does the composed path of an event go through `el` (or its inner control)? */
  function pathIncludes(event, el) {
    if (!el) return false;
    const path = event.composedPath ? event.composedPath() : [];
    return path.includes(el);
  }

  /** File names the seller attached (any file input on the page, shadow roots included). */
  function attachmentNames() {
    const names = [];
    for (const input of deepQueryAll("input[type='file']")) {
      if (isOurs(input)) continue;
      for (const f of input.files || []) names.push(String(f.name).slice(0, 255));
    }
    return names.slice(0, 50);
  }

  const CONTACT_METHODS = ["phone", "chat", "case"];

  /**
   * How the seller chose to be contacted: phone, chat or case (the default). `words` is
   * the selectors' contact_methods, {phone: [...], chat: [...], case: [...]}: lower-cased
   * substrings of the checked option's label, tried in that order.
   */
  function contactMethod(words) {
    const checked = deepQueryAll(
      "input[type='radio']:checked, kat-radiobutton[checked], [role='radio'][aria-checked='true']"
    ).filter((el) => !isOurs(el));
    for (const el of checked) {
      const host = hostOf(el);
      let l = labelOf(host) + " " + norm(host.getAttribute("value") || el.value || "");
      if (el.id) {
        const lab = el.getRootNode().querySelector && el.getRootNode().querySelector("label[for='" + CSS.escape(el.id) + "']");
        if (lab) l += " " + norm(lab.textContent);
      }
      const method = CONTACT_METHODS.find((m) => words[m].some((w) => l.includes(norm(w))));
      if (method) return method;
    }
    return "case";
  }

  SSC.dom = {
    norm,
    allElements,
    deepQueryAll,
    hostOf,
    labelOf,
    isOurs,
    isVisible,
    findDescription,
    findSubmit,
    findGeneric,
    isSubmitControl,
    innerControl,
    getText,
    setText,
    focus,
    pathIncludes,
    attachmentNames,
    contactMethod,
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

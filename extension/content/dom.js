/*
 * DOM helpers that see through open shadow roots and same-origin frames (Seller
 * Central's KAT components keep their real <textarea>/<button> inside shadow DOM, and
 * the Help Center's form lives in iframes). Every search takes the list of search roots
 * from SSC.Frames.roots(). Anchors are found from data: CSS selectors first, then label
 * texts in English and Chinese, then (for the description box only) the largest
 * multi-line text box.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  const norm = (s) => String(s || "").replace(/\s+/g, " ").trim().toLowerCase();

  /** querySelectorAll over a list of search roots (documents and open shadow roots). */
  function deepQueryAll(selector, roots) {
    const res = [];
    for (const r of roots) {
      try {
        for (const el of r.querySelectorAll(selector)) res.push(el);
      } catch (e) {
        return []; // invalid selector in the data: skip it
      }
    }
    return res;
  }

  /**
   * Is this page element still in a live document? Firefox turns our references to the
   * elements of a frame's old document into "dead objects" that throw on any access, so
   * every check on an element we held across a step change goes through here.
   */
  function alive(el) {
    try {
      return !!el && el.isConnected;
    } catch (e) {
      return false;
    }
  }

  function isOurs(el) {
    const host = el && el.getRootNode && el.getRootNode().host;
    return !!(host && host.getAttribute && host.getAttribute("data-ssc") === "overlay") ||
      !!(el && el.getAttribute && el.getAttribute("data-ssc") === "overlay");
  }

  function isVisible(el) {
    if (!alive(el)) return false;
    if (el.getClientRects().length === 0) {
      // Custom elements with display:contents still count if their content is visible.
      const inner = el.shadowRoot && el.shadowRoot.querySelector("textarea, input, button, [role]");
      return !!(inner && inner.getClientRects().length);
    }
    const view = el.ownerDocument.defaultView; // the element's own frame
    const st = view ? view.getComputedStyle(el) : null;
    if (!st) return false;
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

  const TEXT_CONTROL = "textarea, kat-textarea, input:not([type]), input[type='text'], kat-input, [contenteditable='true'], [role='textbox']";
  const BUTTON_LIKE = "button, kat-button, input[type='submit'], input[type='button'], [role='button'], kat-link, a[role='button']";
  const LABEL_LIKE = "label, kat-label, legend, h1, h2, h3, h4, [id$='label' i]";

  const usable = (el) => !isOurs(el) && isVisible(el);

  function bySelectors(anchor, roots) {
    for (const s of (anchor && anchor.selectors) || []) {
      const found = deepQueryAll(s.selector, roots).find(usable);
      if (found) return hostOf(found);
    }
    return null;
  }

  function matchesText(label, texts) {
    return !!label && texts.some((t) => label.includes(t));
  }

  /** The control a label points at: for= (an id, or a kat-input's unique-id), nested, or next in its block. */
  function controlForLabel(label) {
    const id = label.getAttribute("for");
    const scope = label.getRootNode();
    if (id && scope.querySelector) {
      const c = scope.querySelector("#" + CSS.escape(id) + ", [unique-id='" + CSS.escape(id) + "']");
      if (c) return c;
    }
    const nested = label.querySelector(TEXT_CONTROL);
    if (nested) return nested;
    let p = label.parentElement;
    for (let depth = 0; p && depth < 3; depth++, p = p.parentElement) {
      const c = p.querySelector(TEXT_CONTROL);
      if (c) return c;
    }
    return null;
  }

  /** A text box named by the anchor's texts: own label attributes, aria-labelledby, then a label element. */
  function textBoxByLabel(anchor, roots) {
    const texts = textList(anchor);
    if (!texts.length) return null;
    const controls = deepQueryAll(TEXT_CONTROL, roots).filter(usable);
    for (const c of controls) {
      const own = norm([c.getAttribute("aria-label"), c.getAttribute("label"), c.getAttribute("placeholder")].join(" "));
      if (matchesText(own, texts)) return hostOf(c);
    }
    for (const c of controls) {
      const ids = (c.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      const scope = c.getRootNode();
      const l = norm(ids.map((i) => (scope.getElementById && scope.getElementById(i) ? scope.getElementById(i).textContent : "")).join(" "));
      if (matchesText(l, texts)) return hostOf(c);
    }
    for (const lab of deepQueryAll(LABEL_LIKE, roots)) {
      if (isOurs(lab)) continue;
      const l = norm(lab.getAttribute("text") || lab.textContent);
      if (l.length < 120 && matchesText(l, texts)) {
        const c = controlForLabel(lab);
        if (c && isVisible(c)) return hostOf(c);
      }
    }
    return null;
  }

  function area(el) {
    const r = el.getBoundingClientRect();
    return r.width * r.height;
  }

  /** The largest visible multi-line text box: the description when nothing names it. */
  function largestMultiline(roots) {
    const multi = deepQueryAll("textarea, kat-textarea, [aria-multiline='true']", roots).filter(usable);
    if (!multi.length) return null;
    multi.sort((a, b) => area(b) - area(a));
    return hostOf(multi[0]);
  }

  /** Is `el` a button-like control that the anchor names, by selector or by its label? */
  function isAnchorButton(el, anchor) {
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

  function buttonByLabel(anchor, roots) {
    const hit = deepQueryAll(BUTTON_LIKE, roots).find((el) => isAnchorButton(el, anchor) && isVisible(el));
    return hit ? hostOf(hit) : null;
  }

  /**
   * The element holding one of the anchor's texts (a message or a "Case ID" line): a
   * text-node walk, so it reads each text once instead of every element's textContent.
   */
  function elementWithText(anchor, roots) {
    const texts = textList(anchor);
    if (!texts.length) return null;
    for (const r of roots) {
      const doc = r.ownerDocument || r;
      const walker = doc.createTreeWalker(r, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const v = n.nodeValue;
        if (v.length < 3 || v.length > 400) continue;
        const l = norm(v);
        const el = n.parentElement;
        if (el && matchesText(l, texts) && !isOurs(el) && !/^(script|style|template)$/.test(el.localName)) return el;
      }
    }
    return null;
  }

  /**
   * How each kind of anchor is found when none of its selectors matches. Anchor names
   * come from shared-rules/selectors.yaml (content/anchors.js KINDS); an unknown name is
   * looked for by its selectors only.
   */
  const FALLBACKS = {
    description: (a, roots) => textBoxByLabel(a, roots) || largestMultiline(roots),
    textBox: textBoxByLabel,
    button: buttonByLabel,
    text: elementWithText,
    element: () => null,
  };

  function byFallback(kind, anchor, roots) {
    return (FALLBACKS[kind] || FALLBACKS.element)(anchor, roots);
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

  /** Does the composed path of an event go through `el` (or the real control inside it)? */
  function pathIncludes(event, el) {
    if (!alive(el)) return false;
    const path = event.composedPath ? event.composedPath() : [];
    return path.includes(el) || path.includes(innerControl(el));
  }

  /** File names in a file input (or a kat-file-upload host). */
  function fileNames(el) {
    const input = el && (el.localName === "input" ? el : el.shadowRoot && el.shadowRoot.querySelector("input[type='file']"));
    return Array.from((input && input.files) || [], (f) => String(f.name).slice(0, 255));
  }

  /** File names the seller attached in any file input under the roots. */
  function attachmentNames(roots) {
    const names = [];
    for (const input of deepQueryAll("input[type='file']", roots)) if (!isOurs(input)) names.push(...fileNames(input));
    return names.slice(0, 50);
  }

  const CONTACT_METHODS = ["phone", "chat", "case"];

  /** The contact method named by a label, with the selectors' contact_methods words; null if none. */
  function methodFromLabel(label, words) {
    const l = norm(label);
    return CONTACT_METHODS.find((m) => (words[m] || []).some((w) => l.includes(norm(w)))) || null;
  }

  /**
   * How the seller chose to be contacted: the selected tab of the contact tabs (Help
   * Center: kat-tabs' `selected` attribute holds the tab-id, Email or Chat), else the
   * checked radio option (the classic contact page), read with the selectors'
   * contact_methods words; null when the page shows no choice.
   */
  function contactMethod(tabs, words, roots) {
    if (alive(tabs)) {
      // The tab-id (Email, Chat), else the tab's own label: never the text of its panel,
      // which may well mention calls or chats.
      const id = tabs.getAttribute("selected") || "";
      const tab = id ? tabs.querySelector("kat-tab[tab-id='" + CSS.escape(id) + "']") : tabs.querySelector("kat-tab[selected]");
      const method = methodFromLabel(id, words) || (tab && methodFromLabel(tab.getAttribute("label") || "", words));
      if (method) return method;
    }
    const checked = deepQueryAll("input[type='radio']:checked, kat-radiobutton[checked], [role='radio'][aria-checked='true']", roots).filter(
      (el) => !isOurs(el)
    );
    for (const el of checked) {
      const host = hostOf(el);
      let l = labelOf(host) + " " + norm(host.getAttribute("value") || el.value || "");
      if (el.id) {
        const lab = el.getRootNode().querySelector("label[for='" + CSS.escape(el.id) + "']");
        if (lab) l += " " + norm(lab.textContent);
      }
      const method = methodFromLabel(l, words);
      if (method) return method;
    }
    return null;
  }

  /** The first element on an event's composed path that satisfies `test`, stopping at the body. */
  function onPath(event, test) {
    const path = event.composedPath ? event.composedPath() : [event.target];
    for (const el of path) {
      if (!el || el.nodeType !== 1) continue;
      if (test(el)) return el;
      if (el.localName === "body") break;
    }
    return null;
  }

  SSC.dom = {
    norm,
    alive,
    TEXT_CONTROL,
    BUTTON_LIKE,
    LABEL_LIKE,
    deepQueryAll,
    hostOf,
    labelOf,
    textList,
    isOurs,
    isVisible,
    bySelectors,
    byFallback,
    isAnchorButton,
    innerControl,
    getText,
    setText,
    focus,
    pathIncludes,
    onPath,
    fileNames,
    attachmentNames,
    contactMethod,
  };
})(typeof globalThis !== "undefined" ? globalThis : self);

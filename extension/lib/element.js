/*
 * The one element factory for our UI (overlay, popup, options): text always goes
 * through textContent, attributes through setAttribute, never innerHTML.
 * h("div", {class: "x", text: "hi", onclick: fn}, child, [children]).
 * Click handlers given here run only for the user's own clicks (isTrusted): a page script
 * that reaches into the overlay's shadow root and calls .click() on "Submit anyway" does
 * nothing. (Other events are taken as they come: a forged change on the marketplace
 * picker can change only which hours are shown.)
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") el.textContent = String(v);
      else if (k === "class") el.className = v;
      else if (k === "onclick" && typeof v === "function") el.addEventListener("click", (e) => e.isTrusted && v(e));
      else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return el;
  }

  SSC.h = h;
})(globalThis);

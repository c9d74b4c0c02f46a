/*
 * kat-mock.js: stand-ins for Amazon's KAT ("Katal") web components, as far as public
 * automation code shows them (../shared/reference/seller-central-pages.md, "Frames and
 * components"; sources BAA, BR, CLAIM, VIV). Served at /mock-assets/kat-mock.js on every
 * Seller Central host (tests/e2e/conftest.py). Load it with a plain <script src> in each
 * document (every frame has its own custom element registry).
 *
 * Reproduced facts:
 *  - every component uses an OPEN shadow root (BAA, BR, CLAIM);
 *  - kat-textarea / kat-input wrap a native <textarea>/<input> in the shadow root and the host
 *    exposes .value; native `input` events are composed, so they reach the host retargeted;
 *    `change` is not composed (automation fires its own composed events);
 *  - kat-label[for=X] pairs with the kat-input whose unique-id is X;
 *  - kat-button keeps its text in the `label` attribute; the real <button> is in the shadow
 *    root and has its own `disabled`;
 *  - kat-tabs holds kat-tab[tab-id]; the chosen tab is the `selected` attribute of kat-tabs;
 *  - kat-file-upload keeps its <input type=file> in the shadow root;
 *  - kat-box, kat-link[label], kat-dropdown + kat-option[value], kat-expander exist.
 * Guesses (no public source shows them): the inner markup and `part` names, delegatesFocus,
 * the tab strip being <button role=tab> elements, the `change` event of kat-tabs and
 * kat-dropdown, kat-box being a plain slot, and how kat-label shows its text.
 */
(function () {
  "use strict";

  function define(name, cls) {
    if (!customElements.get(name)) customElements.define(name, cls);
  }

  const BASE_CSS = `
    :host { font-family: Arial, sans-serif; font-size: 14px; }
    :host([hidden]) { display: none !important; }
    label { display: block; font-weight: bold; margin: 10px 0 4px; }
    textarea, input { box-sizing: border-box; width: 100%; font: inherit; padding: 6px; }
    button { font: inherit; padding: 6px 14px; cursor: pointer; }
    button[disabled] { cursor: not-allowed; opacity: 0.5; }
  `;

  function shadow(host, html, delegatesFocus) {
    const root = host.attachShadow({ mode: "open", delegatesFocus: !!delegatesFocus });
    root.innerHTML = `<style>${BASE_CSS}</style>${html}`;
    return root;
  }

  /* kat-textarea / kat-input: a native control in an open shadow root, .value on the host
     (reference: "kat-textarea and kat-input wrap a native <textarea>/<input>..."). */
  class KatTextField extends HTMLElement {
    static get observedAttributes() {
      return ["label", "placeholder", "disabled", "required", "value", "unique-id", "name", "type"];
    }
    constructor(tag) {
      super();
      this._root = shadow(
        this,
        `<style>:host { display: block; margin: 6px 0; }</style>` +
          `<label part="label" for="control" hidden></label>` +
          (tag === "textarea"
            ? `<textarea part="textarea" id="control" rows="6"></textarea>`
            : `<input part="input" id="control" type="text">`),
        true
      );
      this._label = this._root.querySelector("label");
      this._control = this._root.querySelector("#control");
    }
    attributeChangedCallback(name, _old, value) {
      const c = this._control;
      if (name === "label") {
        this._label.textContent = value || "";
        this._label.hidden = !value;
      } else if (name === "placeholder") c.placeholder = value || "";
      else if (name === "disabled") c.disabled = value !== null;
      else if (name === "required") c.required = value !== null;
      else if (name === "value" && !this._touched) c.value = value || "";
      else if (name === "name") c.name = value || "";
      else if (name === "type" && c.tagName === "INPUT") c.type = value || "text";
      // unique-id is read by kat-label[for]; nothing to copy.
    }
    connectedCallback() {
      if (!this._listening) {
        this._listening = true;
        this._control.addEventListener("input", () => (this._touched = true));
      }
    }
    get value() {
      return this._control.value;
    }
    set value(v) {
      this._touched = true;
      this._control.value = v == null ? "" : String(v);
    }
    get disabled() {
      return this.hasAttribute("disabled");
    }
    set disabled(v) {
      this.toggleAttribute("disabled", !!v);
    }
    focus(options) {
      this._control.focus(options);
    }
  }
  class KatTextarea extends KatTextField {
    constructor() {
      super("textarea");
    }
  }
  class KatInput extends KatTextField {
    constructor() {
      super("input");
    }
  }

  /* kat-label[for][text]: pairs with kat-input[unique-id] (reference: "kat-label[for=X] pairs
     with the kat-input whose unique-id attribute is X"). Clicking it focuses that input (guess). */
  class KatLabel extends HTMLElement {
    static get observedAttributes() {
      return ["text"];
    }
    constructor() {
      super();
      this._root = shadow(this, `<label part="label"></label><slot></slot>`);
      this._label = this._root.querySelector("label");
      this.addEventListener("click", () => {
        const id = this.getAttribute("for");
        const target = id && this.getRootNode().querySelector(`[unique-id="${CSS.escape(id)}"]`);
        if (target) target.focus();
      });
    }
    attributeChangedCallback(_name, _old, value) {
      this._label.textContent = value || "";
    }
  }

  /* kat-button[label]: the text is the label attribute, the real <button> is in the shadow root
     and carries `disabled` (reference: "kat-button keeps its text in a label attribute ..."). */
  class KatButton extends HTMLElement {
    static get observedAttributes() {
      return ["label", "disabled"];
    }
    constructor() {
      super();
      this._root = shadow(
        this,
        `<style>:host { display: inline-block; margin: 4px 4px 4px 0; }
           :host([aria-pressed="true"]) button { background: #e47911; color: #fff; }</style>
         <button part="button" type="button"></button>`
      );
      this._button = this._root.querySelector("button");
      // A disabled kat-button never lets a click through to the page's listeners (registered
      // later on the host, so this target-phase capture listener runs first).
      this.addEventListener(
        "click",
        (event) => {
          if (this.disabled) {
            event.preventDefault();
            event.stopImmediatePropagation();
          }
        },
        true
      );
    }
    attributeChangedCallback(name, _old, value) {
      if (name === "label") this._button.textContent = value || "";
      else {
        this._button.disabled = value !== null;
        if (value !== null) this.setAttribute("aria-disabled", "true");
        else this.removeAttribute("aria-disabled");
      }
    }
    get label() {
      return this.getAttribute("label") || "";
    }
    set label(v) {
      this.setAttribute("label", v);
    }
    get disabled() {
      return this.hasAttribute("disabled");
    }
    set disabled(v) {
      this.toggleAttribute("disabled", !!v);
    }
  }

  /* kat-tabs + kat-tab[tab-id][label]: the chosen tab is kat-tabs' `selected` attribute
     (reference: "kat-tabs holds kat-tab[tab-id=Email] and kat-tab[tab-id=Chat] ..."). The tab
     strip is rendered in kat-tabs' shadow root; only the selected kat-tab is shown. */
  class KatTabs extends HTMLElement {
    static get observedAttributes() {
      return ["selected"];
    }
    constructor() {
      super();
      this._root = shadow(
        this,
        `<style>
           [role=tablist] { display: flex; gap: 4px; border-bottom: 1px solid #ccc; }
           [role=tab][aria-selected=true] { border-bottom: 3px solid #e47911; font-weight: bold; }
           :host { display: block; }
         </style>
         <div role="tablist" part="tablist"></div><div part="panels"><slot></slot></div>`
      );
      this._strip = this._root.querySelector("[role=tablist]");
      this._root.querySelector("slot").addEventListener("slotchange", () => this._render());
      this._strip.addEventListener("click", (event) => {
        const tab = event.target.closest("[role=tab]");
        if (!tab || tab.getAttribute("aria-selected") === "true") return;
        this.setAttribute("selected", tab.dataset.tabId);
        this.dispatchEvent(new CustomEvent("change", { bubbles: true, detail: { selected: tab.dataset.tabId } }));
      });
    }
    attributeChangedCallback() {
      this._render();
    }
    get selected() {
      return this.getAttribute("selected");
    }
    set selected(v) {
      this.setAttribute("selected", v);
    }
    _tabs() {
      return Array.from(this.children).filter((c) => c.localName === "kat-tab");
    }
    _render() {
      const tabs = this._tabs();
      let selected = this.getAttribute("selected");
      if (!tabs.some((t) => t.getAttribute("tab-id") === selected) && tabs.length) {
        selected = tabs[0].getAttribute("tab-id");
      }
      this._strip.replaceChildren(
        ...tabs.map((t) => {
          const b = document.createElement("button");
          b.type = "button";
          b.setAttribute("role", "tab");
          b.setAttribute("part", "tab");
          b.dataset.tabId = t.getAttribute("tab-id");
          b.textContent = t.getAttribute("label") || t.getAttribute("tab-id");
          b.setAttribute("aria-selected", String(b.dataset.tabId === selected));
          return b;
        })
      );
      for (const t of tabs) t.hidden = t.getAttribute("tab-id") !== selected;
    }
  }
  class KatTab extends HTMLElement {
    constructor() {
      super();
      shadow(this, `<style>:host { display: block; padding: 8px 0; }</style><slot></slot>`);
    }
  }

  /* kat-file-upload: its <input type=file> is in the shadow root (reference). */
  class KatFileUpload extends HTMLElement {
    static get observedAttributes() {
      return ["label", "multiple", "disabled"];
    }
    constructor() {
      super();
      this._root = shadow(this, `<label part="label" for="file"></label><input part="input" id="file" type="file">`);
      this._label = this._root.querySelector("label");
      this._input = this._root.querySelector("input");
    }
    attributeChangedCallback(name, _old, value) {
      if (name === "label") this._label.textContent = value || "";
      else if (name === "multiple") this._input.multiple = value !== null;
      else this._input.disabled = value !== null;
    }
    get files() {
      return this._input.files;
    }
  }

  /* kat-box: a card around its light-DOM content (reference: case messages are kat-box cards). */
  class KatBox extends HTMLElement {
    constructor() {
      super();
      shadow(this, `<style>:host { display: block; border: 1px solid #ddd; border-radius: 4px; padding: 12px; margin: 8px 0; }</style><slot></slot>`);
    }
  }

  /* kat-link[label][href]: an <a> in the shadow root with the label text. */
  class KatLink extends HTMLElement {
    static get observedAttributes() {
      return ["label", "href"];
    }
    constructor() {
      super();
      this._root = shadow(this, `<a part="link"></a>`);
      this._a = this._root.querySelector("a");
    }
    attributeChangedCallback(name, _old, value) {
      if (name === "label") this._a.textContent = value || "";
      else this._a.href = value || "";
    }
  }

  /* kat-dropdown + kat-option[value]: a native <select> in the shadow root mirrors the options
     (the real one is a custom listbox; guess). .value on the host. */
  class KatDropdown extends HTMLElement {
    static get observedAttributes() {
      return ["value", "label"];
    }
    constructor() {
      super();
      this._root = shadow(this, `<label part="label" for="select"></label><select part="select" id="select"></select><slot hidden></slot>`);
      this._label = this._root.querySelector("label");
      this._select = this._root.querySelector("select");
      this._root.querySelector("slot").addEventListener("slotchange", () => this._render());
      this._select.addEventListener("change", () => {
        this.setAttribute("value", this._select.value);
        this.dispatchEvent(new CustomEvent("change", { bubbles: true, composed: true, detail: { value: this._select.value } }));
      });
    }
    attributeChangedCallback(name, _old, value) {
      if (name === "label") this._label.textContent = value || "";
      else this._select.value = value || "";
    }
    _render() {
      this._select.replaceChildren(
        ...Array.from(this.querySelectorAll("kat-option")).map((o) => {
          const opt = document.createElement("option");
          opt.value = o.getAttribute("value") || "";
          opt.textContent = o.textContent.trim() || opt.value;
          return opt;
        })
      );
      if (this.hasAttribute("value")) this._select.value = this.getAttribute("value");
    }
    get value() {
      return this._select.value;
    }
    set value(v) {
      this.setAttribute("value", v);
    }
  }
  class KatOption extends HTMLElement {}

  /* kat-expander[label]: a toggled section (reference lists the tag only; markup guessed). */
  class KatExpander extends HTMLElement {
    constructor() {
      super();
      this._root = shadow(this, `<button part="toggle" type="button" aria-expanded="false"></button><div part="body" hidden><slot></slot></div>`);
      const toggle = this._root.querySelector("button");
      const body = this._root.querySelector("[part=body]");
      toggle.addEventListener("click", () => {
        body.hidden = !body.hidden;
        toggle.setAttribute("aria-expanded", String(!body.hidden));
      });
    }
    connectedCallback() {
      this._root.querySelector("button").textContent = this.getAttribute("label") || "";
    }
  }

  define("kat-textarea", KatTextarea);
  define("kat-input", KatInput);
  define("kat-label", KatLabel);
  define("kat-button", KatButton);
  define("kat-tabs", KatTabs);
  define("kat-tab", KatTab);
  define("kat-file-upload", KatFileUpload);
  define("kat-box", KatBox);
  define("kat-link", KatLink);
  define("kat-dropdown", KatDropdown);
  define("kat-option", KatOption);
  define("kat-expander", KatExpander);
})();

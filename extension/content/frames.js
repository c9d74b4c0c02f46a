/*
 * The documents the overlay works on: the top document and every same-origin frame
 * reachable from it, including frames inside open shadow roots. Seller Central's Help
 * Center renders its case form in a same-origin iframe, and the contact step in another
 * iframe inside <spl-hill-form>'s open shadow root (VIV, BR in
 * shared/reference/seller-central-pages.md).
 *
 * Nothing is injected into any frame. This content script, in the top document, reads
 * the frames' documents directly (a same-origin frame's contentDocument is reachable
 * from a content script's isolated world) and listens on their windows. A frame of
 * another origin gives no contentDocument and is left alone.
 *
 * SSC.Frames keeps:
 *  - one MutationObserver on every tracked document and every open shadow root seen,
 *    whose records go to `onMutations(records)`;
 *  - the listeners registered with `listen(type, fn)`, on every tracked window (capture
 *    phase), present and future;
 *  - a `load` listener on each frame element and a `pagehide` listener on each frame's
 *    window: a frame that navigates or reloads (a new step) brings a new document,
 *    which is tracked as soon as it exists (not only at its `load`, which waits for
 *    every image), and reported with `onFrameLoad()`.
 */
(function (root) {
  "use strict";
  const SSC = root.SSC;

  /** A same-origin frame's document, or null (another origin, or not loaded). */
  function frameDocument(frame) {
    try {
      const doc = frame.contentDocument;
      return doc && doc.documentElement ? doc : null;
    } catch (e) {
      return null;
    }
  }

  /** The frames in an element's subtree, open shadow roots included (an added step is small). */
  function framesIn(start) {
    const found = [];
    const stack = [start];
    while (stack.length) {
      const el = stack.pop();
      if (el.localName === "iframe" || el.localName === "frame") found.push(el);
      const kids = el.children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
      if (el.shadowRoot) for (const kid of el.shadowRoot.children) stack.push(kid);
    }
    return found;
  }

  // How often and how long to look for a frame's next document after its old one went.
  const NEXT_DOCUMENT_POLL_MS = 25;
  const NEXT_DOCUMENT_WAIT_MS = 5000;

  class Frames {
    /** `skip(el)`: an element whose shadow root is not the page's (our overlay). */
    constructor({ onMutations, onFrameLoad, skip }) {
      this.onFrameLoad = onFrameLoad;
      this.skip = skip;
      this.observer = new MutationObserver((records) => {
        this.trackAddedFrames(records);
        onMutations(records);
      });
      this.observed = new WeakSet(); // documents and shadow roots under observation
      this.framesWithLoad = new WeakSet();
      this.awaiting = new WeakMap(); // frame element -> its poll for the next document
      this.windows = new Set(); // windows carrying our listeners (addEventListener ignores a repeat)
      this.listeners = []; // [type, handler]
      this.rootsCache = null;
    }

    /** Start with the top document. */
    start(doc) {
      this.track(doc);
      return this;
    }

    /** Observe `doc` and listen on its window; `frame` is its frame element (none for the top document). */
    track(doc, frame) {
      if (this.observed.has(doc)) return;
      this.observed.add(doc);
      this.observer.observe(doc, { childList: true, subtree: true });
      // Per document, not per window: a frame's first about:blank document and the page
      // that replaces it can share one window, and a new document may not keep its
      // listeners. Adding the same listener to a window again is a no-op.
      const win = doc.defaultView;
      if (!win) return;
      this.windows.add(win);
      for (const [type, fn] of this.listeners) win.addEventListener(type, fn, true);
      if (!frame) return;
      win.addEventListener("pagehide", () => this.awaitNextDocument(frame, doc));
      // A frame just added holds the initial about:blank until its page commits; that page
      // can take clicks long before its load event.
      // (Its src may be set only after it was inserted, so this does not look at src.)
      if (doc.URL === "about:blank") this.awaitNextDocument(frame, doc);
    }

    /**
     * A frame added to a document we watch (also one inside a just-added element's shadow
     * root, as in <spl-hill-form>, at any depth of the added subtree) is tracked at once,
     * not at the next anchor pass: a click on the new step must never find us missing.
     */
    trackAddedFrames(records) {
      for (const r of records) {
        const added = r.addedNodes;
        for (let i = 0; i < added.length; i++) {
          const el = added[i];
          if (el.nodeType !== 1 || this.skip(el)) continue;
          for (const frame of framesIn(el)) this.adopt(frame);
        }
      }
    }

    /** Watch a frame element, and track its document if it has one already. */
    adopt(frame) {
      this.watchFrame(frame);
      const doc = frameDocument(frame);
      if (!doc) this.awaitNextDocument(frame, null); // no document yet: track the first one
      else if (!this.observed.has(doc)) {
        this.rootsCache = null;
        this.track(doc, frame);
        this.onFrameLoad();
      }
    }

    /** The frame's document is going: track the next one the moment it exists. */
    awaitNextDocument(frame, gone) {
      clearInterval(this.awaiting.get(frame)); // one poll per frame (about:blank and pagehide can both start one)
      const started = Date.now();
      const timer = setInterval(() => {
        const next = frameDocument(frame);
        const found = next && next !== gone;
        if (found) {
          this.rootsCache = null;
          this.track(next, frame);
          this.onFrameLoad();
        }
        if (found || !frame.isConnected || Date.now() - started > NEXT_DOCUMENT_WAIT_MS) clearInterval(timer);
      }, NEXT_DOCUMENT_POLL_MS);
      this.awaiting.set(frame, timer);
    }

    observeShadowRoot(shadowRoot) {
      if (this.observed.has(shadowRoot)) return;
      this.observed.add(shadowRoot);
      this.observer.observe(shadowRoot, { childList: true, subtree: true });
    }

    watchFrame(frame) {
      if (this.framesWithLoad.has(frame)) return;
      this.framesWithLoad.add(frame);
      frame.addEventListener("load", () => {
        this.rootsCache = null;
        // The frame's new document: observed and listened on at once, so a click on
        // the new step is never missed while the next anchor pass is waiting.
        const doc = frameDocument(frame);
        if (doc) this.track(doc, frame);
        this.onFrameLoad();
      });
    }

    /** Listen (capture phase) on the top window and every tracked frame's window. */
    listen(type, fn) {
      this.listeners.push([type, fn]);
      for (const win of this.windows) win.addEventListener(type, fn, true);
    }

    /**
     * Every search root: each reachable document and each open shadow root in it, found
     * in one walk. Frames met on the way are tracked and walked too. The list is kept for
     * the current task only (an anchor pass runs many queries on it) and dropped at the
     * next microtask, so it is never stale.
     */
    roots() {
      if (!this.rootsCache) {
        const roots = [];
        this.walk(document, roots);
        this.rootsCache = roots;
        queueMicrotask(() => {
          this.rootsCache = null;
        });
      }
      return this.rootsCache;
    }

    walk(doc, roots, frame) {
      this.track(doc, frame);
      roots.push(doc);
      const stack = [doc.documentElement];
      while (stack.length) {
        const el = stack.pop();
        if (!el) continue;
        const kids = el.children;
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
        if (el.shadowRoot && !this.skip(el)) {
          this.observeShadowRoot(el.shadowRoot);
          roots.push(el.shadowRoot);
          const inner = el.shadowRoot.children;
          for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]);
        }
        if (el.localName === "iframe" || el.localName === "frame") {
          this.watchFrame(el);
          const child = frameDocument(el);
          if (child) this.walk(child, roots, el);
        }
      }
    }
  }

  SSC.Frames = Frames;
  SSC.frameDocument = frameDocument;
})(typeof globalThis !== "undefined" ? globalThis : self);

/*
 * Background, messages: content scripts, the popup and the options page talk to the
 * backend only through these. A message is answered only if its type is known, it comes
 * from the kind of sender that type allows, and it carries exactly that type's keys in the
 * expected shapes; anything else is refused before any request is made.
 */
(function (SSC) {
  "use strict";
  const api = SSC.api;
  const { BAD_URL_MESSAGE, BackendError, backendFetch, errorReply, live } = SSC.client;
  const { SHAPES, cachedGet, cachedRulesData } = SSC.cache;
  const { isStr, isMarketplace, isCategory, isAmazonCaseId, isCasePk, isStoreId, isName } = SSC.checks;
  const optional = (v, check) => v === undefined || check(v);

  const CONTACT_METHODS = ["case", "phone", "chat"];
  const CASE_STATUSES = ["open", "replied", "resolved"];
  const STAGES = ["describe", "send"]; // leaving Amazon's describe step (Continue), or sending the case
  const isStrList = (v, count, length) => Array.isArray(v) && v.length <= count && v.every((s) => isStr(s, length));
  // Every message carries exactly the keys its type allows: no extra url, path or method.
  const hasOnly = (m, keys) => Object.keys(m).every((k) => k === "type" || keys.includes(k));
  // Texts over the contract's limit are cut, not refused (SSC.clipText); only absurd sizes are malformed.
  const isText = (v, contract) => isStr(v, SSC.contract.messageTextLimit(contract));
  // What the composer knows from the page: the header's store name, a case page's case id,
  // the names of the files attached on the form.
  const isValue = (v) => isStr(v, SSC.FIELD_LIMIT) && v.trim() !== "";
  const COMPOSE_VALUES = { STORE_NAME: isValue, CASE_ID: isAmazonCaseId, ATTACHMENTS: isValue };
  const isComposeValues = (v) => SSC.isObject(v) && Object.entries(v).every(([k, x]) => Object.hasOwn(COMPOSE_VALUES, k) && COMPOSE_VALUES[k](x));

  /* -------------------------------------------------------------- operations */

  function checkHealth(data) {
    if (!SHAPES.health(data)) throw new BackendError("bad_response", "Backend sent an answer of the wrong shape for /api/v1/health");
    return data;
  }

  /** The configured backend's health, or that of `baseUrl` ("Test connection" before saving). */
  function health(baseUrl) {
    return live(async () => checkHealth(await backendFetch("/api/v1/health", { kind: "health", baseUrl })));
  }

  function testConnection(url) {
    const base = SSC.normaliseBackendUrl(url);
    if (!base) return { ok: false, error: { code: "bad_backend_url", message: BAD_URL_MESSAGE } };
    return health(base);
  }

  /** The seller's own settings as the backend names them: they decide which channels the
   * seller may use (the badges' eligibility, the precheck's channel_ineligible). */
  function sellerProfile(s) {
    const profile = { plan: s.plan, video_verified: s.videoVerified, two_factor: s.twoFactor, account_status: s.accountStatus };
    // A check not set yet (null) is left out: the backend then says it decides (eligibility `unset`).
    return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== null));
  }

  /**
   * Hours answers depend on the seller's zone and settings: each combination is cached apart
   * (key: "<zone>:<profile>"; the profile part names each setting, so an unset one is not
   * mistaken for another).
   */
  function hoursQuery(s, extra) {
    const profile = sellerProfile(s);
    const q = new URLSearchParams({ ...extra, tz: s.sellerTimezone, ...profile });
    const profileKey = Object.entries(profile).map(([name, value]) => name + "=" + value).join(":");
    return { q, key: s.sellerTimezone + ":" + profileKey, profileKey };
  }

  async function hours(m) {
    const s = await SSC.loadSettings();
    const { q, key } = hoursQuery(s, { marketplace: m.marketplace });
    return cachedGet("cache:hours:" + m.marketplace + ":" + key, "/api/v1/hours?" + q, undefined, SHAPES.hours);
  }

  async function hoursAll() {
    const s = await SSC.loadSettings();
    const { q, key, profileKey } = hoursQuery(s, {});
    const reply = await cachedGet("cache:hoursAll:" + key, "/api/v1/hours/all?" + q, undefined, SHAPES.hoursAll);
    if (reply.ok) return reply;
    const pieced = await SSC.cache.cachedWorldClock(profileKey);
    return pieced ? { ok: true, data: { marketplaces: pieced.marketplaces }, source: "cache", fetchedAt: pieced.fetchedAt, error: reply.error } : reply;
  }

  // One in-flight classify per tab: a newer request cancels the stale one.
  const inflightClassify = new Map();

  async function classify(m, sender, contract) {
    const key = sender && sender.tab ? "tab:" + sender.tab.id : "page";
    const prev = inflightClassify.get(key);
    if (prev) prev.abort();
    const ctrl = new AbortController();
    inflightClassify.set(key, ctrl);
    try {
      const body = { text: SSC.clipText(m.text, contract), marketplace: m.marketplace };
      return await live(() => backendFetch("/api/v1/classify", { method: "POST", body, kind: "classify", signal: ctrl.signal }));
    } finally {
      if (inflightClassify.get(key) === ctrl) inflightClassify.delete(key);
    }
  }

  async function precheck(m, contract) {
    const s = await SSC.loadSettings();
    const body = {
      text: SSC.clipText(m.text, contract),
      marketplace: m.marketplace,
      contact_method: m.contact_method,
      attachments: m.attachments,
      seller: sellerProfile(s),
    };
    if (m.category) body.category = m.category;
    for (const key of ["reference_numbers", "upload_offered", "stage", "store_id"]) if (m[key] !== undefined) body[key] = m[key];
    return live(() => backendFetch("/api/v1/precheck", { method: "POST", body, kind: "precheck" }));
  }

  /** An English case from a template, the known values filled in (features/composer.js). */
  async function compose(m, contract) {
    const s = await SSC.loadSettings();
    const body = {
      template: m.template,
      marketplace: m.marketplace,
      text: SSC.clipText(m.text, contract),
      reference_numbers: m.reference_numbers,
      values: m.values,
      tz: s.sellerTimezone, // today's date is the marketplace's, worked out from now
    };
    if (m.category) body.category = m.category;
    return live(() => backendFetch("/api/v1/compose", { method: "POST", body, kind: "compose" }));
  }

  /* -------------------------------------------------------------- message types */

  const none = (m) => hasOnly(m, []);

  /**
   * type -> {from: 'content' | 'page' | 'any', check(msg, contract) -> bool, run(msg, sender, contract)}.
   * 'content' is our content script on Seller Central, 'page' one of our own pages (popup, options).
   */
  const HANDLERS = {
    "ssc:health": { from: "any", check: none, run: () => health() },
    "ssc:marketplaces": {
      from: "any",
      check: none,
      run: () => cachedRulesData("cache:marketplaces", "/api/v1/marketplaces", { marketplaces: SSC.FALLBACK_MARKETPLACES }, SHAPES.marketplaces),
    },
    "ssc:categories": { from: "any", check: none, run: () => cachedRulesData("cache:categories", "/api/v1/categories", undefined, SHAPES.categories) },
    // Statistics and advice with their sources and the situations they are tips for (features/tips.js).
    "ssc:facts": { from: "any", check: none, run: () => SSC.cache.cachedFacts() },
    "ssc:selectors": {
      from: "any",
      check: none,
      run: () => cachedRulesData("cache:selectors", "/api/v1/selectors", SSC.DEFAULT_SELECTORS, SHAPES.selectors),
    },
    "ssc:contract": { from: "any", check: none, run: () => SSC.contract.refresh() },
    "ssc:hours": {
      from: "any",
      check: (m) => hasOnly(m, ["marketplace"]) && isMarketplace(m.marketplace),
      run: (m) => hours(m),
    },
    "ssc:hoursAll": { from: "any", check: none, run: () => hoursAll() },
    "ssc:classify": {
      from: "any",
      check: (m, contract) => hasOnly(m, ["text", "marketplace"]) && isText(m.text, contract) && isMarketplace(m.marketplace),
      run: (m, sender, contract) => classify(m, sender, contract),
    },
    "ssc:precheck": {
      from: "any",
      check: (m, contract) =>
        hasOnly(m, ["text", "marketplace", "category", "contact_method", "attachments", "reference_numbers", "upload_offered", "stage", "store_id"]) &&
        isText(m.text, contract) &&
        isMarketplace(m.marketplace) &&
        (m.category === null || isCategory(m.category)) &&
        CONTACT_METHODS.includes(m.contact_method) &&
        isStrList(m.attachments, 50, 255) &&
        // What the Help Center flow adds; absent where the page has no such steps.
        (m.reference_numbers === undefined || isStrList(m.reference_numbers, 20, SSC.FIELD_LIMIT)) &&
        (m.upload_offered === undefined || typeof m.upload_offered === "boolean") &&
        (m.stage === undefined || STAGES.includes(m.stage)) &&
        // The store the page is for (its merchant id), when the page says (issue 16).
        optional(m.store_id, isStoreId),
      run: (m, sender, contract) => precheck(m, contract),
    },
    "ssc:compose": {
      from: "content",
      check: (m, contract) =>
        hasOnly(m, ["template", "category", "marketplace", "text", "reference_numbers", "values"]) &&
        isCategory(m.template) && // a template id has the same form as a category id
        (m.category === null || isCategory(m.category)) &&
        isMarketplace(m.marketplace) &&
        isText(m.text, contract) &&
        isStrList(m.reference_numbers, 20, SSC.FIELD_LIMIT) &&
        (m.values === undefined || isComposeValues(m.values)),
      run: (m, sender, contract) => compose(m, contract),
    },
    // The case log. Only our content scripts record a case (when the page's submit goes
    // through); only our own pages (the popup) list cases and change their status.
    "ssc:caseRecord": {
      from: "content",
      check: (m, contract) =>
        hasOnly(m, ["text", "category", "suggested", "marketplace", "contact_method", "case_id", "store_id", "store_name"]) &&
        isText(m.text, contract) &&
        m.text.trim().length > 0 &&
        isCategory(m.category) &&
        // Our top hint when the seller chose (absent when nothing was classified).
        (m.suggested === undefined || isCategory(m.suggested)) &&
        isMarketplace(m.marketplace) &&
        CONTACT_METHODS.includes(m.contact_method) &&
        (m.case_id === undefined || m.case_id === null || isAmazonCaseId(m.case_id)) &&
        optional(m.store_id, isStoreId) &&
        optional(m.store_name, isName),
      run: (m, sender, contract) => SSC.cases.record({ ...m, text: SSC.clipText(m.text, contract) }, sender),
    },
    // Amazon's case id seen on the page after a submit (confirmation or case page): it is
    // stored on the case this tab recorded in the last few minutes, once; otherwise ignored.
    "ssc:caseIdSeen": {
      from: "content",
      check: (m) => hasOnly(m, ["case_id"]) && isAmazonCaseId(m.case_id),
      run: (m, sender) => SSC.cases.idSeen(m, sender),
    },
    // The case being written in this tab, kept across Amazon's steps (background/drafts.js).
    "ssc:draftSave": {
      from: "content",
      check: (m, contract) => hasOnly(m, ["draft"]) && (m.draft === null || SSC.drafts.isDraft(m.draft, SSC.contract.messageTextLimit(contract))),
      run: (m, sender) => SSC.drafts.save(m, sender),
    },
    "ssc:draftLoad": { from: "content", check: none, run: (m, sender) => SSC.drafts.load(m, sender) },
    "ssc:caseList": {
      from: "page",
      check: (m) =>
        hasOnly(m, ["status", "marketplace", "limit", "store_id", "person"]) &&
        (m.status === undefined || CASE_STATUSES.includes(m.status)) &&
        (m.marketplace === undefined || isMarketplace(m.marketplace)) &&
        optional(m.store_id, isStoreId) &&
        optional(m.person, isName) &&
        (m.limit === undefined || (Number.isInteger(m.limit) && m.limit >= 1 && m.limit <= 500)),
      run: (m) => SSC.cases.list(m),
    },
    // The stores and people the case log knows, for the popup's filters (issue 16).
    "ssc:caseFacets": { from: "page", check: none, run: () => SSC.cases.facets() },
    // The overdue cases as the backend lists them, with the advice for account cases (popup).
    "ssc:followups": { from: "page", check: none, run: () => SSC.cases.followups() },
    "ssc:caseUpdate": {
      from: "page",
      check: (m) =>
        hasOnly(m, ["id", "status", "case_id"]) &&
        isCasePk(m.id) &&
        (m.status !== undefined || m.case_id !== undefined) &&
        (m.status === undefined || CASE_STATUSES.includes(m.status)) &&
        (m.case_id === undefined || isAmazonCaseId(m.case_id)),
      run: (m) => SSC.cases.update(m),
    },
    // What the classifier learned from the seller's corrections (options page).
    "ssc:corrections": { from: "page", check: none, run: () => SSC.cases.corrections() },
    "ssc:correctionsForget": { from: "page", check: none, run: () => SSC.cases.forgetCorrections() },
    "ssc:locale": {
      from: "any",
      check: (m) => hasOnly(m, ["lang"]) && (m.lang === "zh_CN" || m.lang === "en"),
      run: (m) => SSC.locale(m.lang),
    },
    // Pairing with the code `ssc pair` shows (options page).
    "ssc:pair": {
      from: "page",
      check: (m) => hasOnly(m, ["code"]) && isStr(m.code, 32) && m.code.trim().length > 0,
      run: (m) => live(() => SSC.client.pair(m.code.trim())),
    },
    // The team server (options page, background/team.js): save it with the person's token,
    // its state (the token's last 4 characters only), check the connection, leave it.
    "ssc:teamSave": {
      from: "page",
      check: (m) => hasOnly(m, ["url", "token"]) && isStr(m.url, 200) && optional(m.token, SSC.isAccessToken),
      run: (m) => SSC.team.save(m),
    },
    "ssc:teamState": { from: "page", check: none, run: () => SSC.team.state() },
    "ssc:teamCheck": { from: "page", check: none, run: () => SSC.team.check() },
    "ssc:teamLeave": { from: "page", check: none, run: () => SSC.team.leave() },
    // The overlay's "Open the settings" when the team server refuses the token.
    "ssc:openOptions": { from: "any", check: none, run: () => SSC.team.openOptions() },
    // The welcome page: connected, not running or pairing needed (background/status.js).
    "ssc:backendState": { from: "page", check: none, run: () => SSC.status.backendState() },
    // The overlay's and the popup's "How to start the backend" (a content script cannot open extension pages).
    "ssc:openWelcome": { from: "any", check: none, run: () => SSC.status.openWelcome() },
    "ssc:testConnection": {
      from: "page",
      check: (m) => hasOnly(m, ["url"]) && isStr(m.url, 200),
      run: (m) => testConnection(m.url),
    },
  };

  /* -------------------------------------------------------------- dispatch */

  /** 'page' (our own extension pages), 'content' (our content script on Seller Central) or null. */
  function senderKind(sender) {
    if (!sender || sender.id !== api.runtime.id) return null;
    const base = api.runtime.getURL("");
    if (sender.url && sender.url.startsWith(base)) return "page";
    if (sender.tab && sender.url) {
      try {
        const host = new URL(sender.url).hostname;
        if (SSC.marketplacesForHost(host).length) return "content";
      } catch (e) {
        return null;
      }
    }
    return null;
  }

  /** The handler for this message type if this kind of sender may send it. */
  function handlerFor(type, kind) {
    const h = Object.prototype.hasOwnProperty.call(HANDLERS, type) ? HANDLERS[type] : null;
    return h && (h.from === "any" || h.from === kind) ? h : null;
  }

  function isWellFormed(h, msg, contract) {
    try {
      return Boolean(h.check(msg, contract));
    } catch (e) {
      return false; // a check that throws on a strange value has found a malformed message
    }
  }

  async function answer(h, msg, sender) {
    try {
      const contract = await SSC.contract.current();
      if (!isWellFormed(h, msg, contract)) return { ok: false, error: { code: "bad_message", message: "Malformed " + msg.type } };
      return await h.run(msg, sender, contract);
    } catch (e) {
      return errorReply(e);
    }
  }

  /** Registered synchronously at the top level of the worker, so a message wakes it. */
  function listen() {
    api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
      const kind = senderKind(sender);
      if (!kind || !msg || typeof msg !== "object" || typeof msg.type !== "string") {
        sendResponse({ ok: false, error: { code: "bad_message", message: "Unknown sender or message" } });
        return false;
      }
      const h = handlerFor(msg.type, kind);
      if (!h) {
        sendResponse({ ok: false, error: { code: "unknown_type", message: "Unknown message type" } });
        return false;
      }
      answer(h, msg, sender).then(sendResponse);
      return true; // async sendResponse (works in Chrome and Firefox)
    });
  }

  SSC.router = { listen };
})(self.SSC);

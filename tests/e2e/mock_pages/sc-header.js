/*
 * sc-header.js: a Seller Central-like header, filled into <div id="navbar"> by a <script> placed
 * right after it (served at /mock-assets/sc-header.js).
 *
 * Reproduced facts (../shared/reference/seller-central-pages.md, "Which marketplace is selected"):
 *  - `#navbar .dropdown-account-switcher-header-label` with child spans `-label-global` (the store
 *    name) and `-label-regional` (the marketplace);
 *  - the URL parameter `mons_sel_mkid` holds a bare (ATVPDKIKX0DER) or prefixed
 *    (amzn1.mp.o.ATVPDKIKX0DER) marketplace id; the ids are SP-API's.
 * Guesses: the store name, the separator, English country names as the regional label, and the
 * marketplace shown without the parameter (the host's first marketplace; UK on
 * sellercentral-europe). The real header is server-rendered.
 */
(function () {
  "use strict";
  const NAMES = {
    ATVPDKIKX0DER: "United States", A2EUQ1WTGCTBG2: "Canada", A1AM78C64UM0Y8: "Mexico",
    A2Q3Y263D00KWC: "Brazil", A1F83G8C2ARO7P: "United Kingdom", A1PA6795UKMFR9: "Germany",
    A13V1IB3VIYZZH: "France", APJ6JRA9NG5V4: "Italy", A1RKKUPIHCS9HS: "Spain",
    A1805IZSGTT6HS: "Netherlands", A2NODRKZP88ZB9: "Sweden", A1C3SOZRARQ6R3: "Poland",
    AMEN7PMS3EDWL: "Belgium", A28R8C7NBKEWEA: "Ireland", A33AVAJ2PDY3EV: "Turkey",
    A2VIGQ35RCS4UG: "United Arab Emirates", A17E79C6D8DWNP: "Saudi Arabia", ARBP9OOSHTCHU: "Egypt",
    A21TJRUUN4KGV: "India", A19VAU5U5O7RUS: "Singapore", A39IBJ37TRP1C6: "Australia",
    A1VC38T7YXB528: "Japan", AE08WJ6YKNBMC: "South Africa",
  };
  const HOST_DEFAULT = {
    "sellercentral.amazon.com": "ATVPDKIKX0DER",
    "sellercentral.amazon.ca": "A2EUQ1WTGCTBG2",
    "sellercentral.amazon.com.mx": "A1AM78C64UM0Y8",
    "sellercentral-europe.amazon.com": "A1F83G8C2ARO7P",
    "sellercentral.amazon.co.uk": "A1F83G8C2ARO7P",
    "sellercentral.amazon.de": "A1PA6795UKMFR9",
    "sellercentral.amazon.fr": "A13V1IB3VIYZZH",
    "sellercentral.amazon.it": "APJ6JRA9NG5V4",
    "sellercentral.amazon.es": "A1RKKUPIHCS9HS",
    "sellercentral.amazon.co.jp": "A1VC38T7YXB528",
    "sellercentral-japan.amazon.com": "A1VC38T7YXB528",
    "sellercentral.amazon.in": "A21TJRUUN4KGV",
    "sellercentral.amazon.com.au": "A39IBJ37TRP1C6",
  };
  const param = (new URLSearchParams(location.search).get("mons_sel_mkid") || "").replace(/^amzn1\.mp\.o\./, "");
  const id = NAMES[param] ? param : HOST_DEFAULT[location.hostname] || "ATVPDKIKX0DER";

  const nav = document.getElementById("navbar");
  nav.innerHTML = `
    <style>
      #navbar { background: #232f3e; color: #fff; padding: 10px 16px; font: 14px Arial, sans-serif; }
      #navbar .sc-logo { font-weight: bold; margin-right: 24px; }
    </style>
    <span class="sc-logo">amazon seller central</span>
    <span class="dropdown-account-switcher-header-label"
      ><span class="dropdown-account-switcher-header-label-global">Example Store</span
      ><span class="dropdown-account-switcher-header-label-separator"> | </span
      ><span class="dropdown-account-switcher-header-label-regional"></span
    ></span>`;
  nav.querySelector(".dropdown-account-switcher-header-label-regional").textContent = NAMES[id];
  window.__marketplaceId = id;
})();

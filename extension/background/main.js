/*
 * Seller Support Companion: background (MV3 service worker in Chrome, event page in
 * Firefox). The ONLY place that talks to the rules backend. Content scripts, the popup and
 * the options page send it messages (router.js); every message is validated and only the
 * configured loopback backend URL is ever fetched (client.js).
 *
 * Chrome runs this file as a classic service worker and loads the rest with importScripts.
 * Firefox ignores "service_worker" and loads manifest.json's "background.scripts" instead:
 * the same files in the same order, ending with this one. The two lists must agree
 * (tests/e2e/test_extension_static.py checks it).
 */
/* global importScripts */
"use strict";

if (typeof importScripts === "function") {
  // Paths are absolute: importScripts resolves them against this script's URL (background/).
  importScripts(
    "/lib/default-selectors.js",
    "/lib/default-contract.js",
    "/lib/values.js",
    "/lib/contract.js",
    "/lib/selectors.js",
    "/lib/default-marketplaces.js",
    "/lib/marketplaces.js",
    "/lib/settings.js",
    "/lib/i18n.js",
    "/lib/advice.js",
    "/background/checks.js",
    "/background/client.js",
    "/background/cache.js",
    "/background/contract.js",
    "/background/locale.js",
    "/background/session.js",
    "/background/drafts.js",
    "/background/cases.js",
    "/background/reminders.js",
    "/background/status.js",
    "/background/team.js",
    "/background/router.js"
  );
}

// Listeners are registered synchronously at the top level, so a message, an alarm or a
// notification click wakes the worker.
self.SSC.router.listen();
self.SSC.reminders.listen();
self.SSC.drafts.listen();
self.SSC.status.listen();
self.SSC.reminders.start();
self.SSC.status.start();

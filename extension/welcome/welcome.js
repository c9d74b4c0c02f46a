/*
 * Welcome page, opened when the extension is installed (background/status.js) and from the
 * overlay's "How to start the backend" link. It asks the background whether the backend
 * answers (ssc:backendState) and shows what to do: the set-up steps for this computer's OS
 * and where to download the backend while it is not running, how to pair while it refuses
 * this browser, to enter the access token while a team server refuses it, the next steps
 * once it answers.
 */
(function () {
  "use strict";
  const SSC = globalThis.SSC;
  const api = SSC.api;
  const i18n = SSC.i18n;
  const h = SSC.h;
  const $ = (id) => document.getElementById(id);

  // PLACEHOLDER until the first release: where the standalone builds and the wheel are
  // published (the project's GitHub Releases page). The one copy of this link.
  const RELEASES_URL = "https://github.com/seller-support-companion/seller-support-companion/releases";

  const OS_NAMES = { win: "welcomeOsWin", mac: "welcomeOsMac", linux: "welcomeOsLinux" };
  const INSTALL_STEPS = { win: "welcomeStepInstallWin", mac: "welcomeStepInstallMac", linux: "welcomeStepInstallLinux" };
  // The command as the seller types it: the standalone build runs from its own folder, where
  // macOS's shell needs "./" and Windows' does not; pipx (Linux) puts ssc on the PATH.
  const PROGRAM = { win: "ssc", mac: "./ssc", linux: "ssc" };
  const STATES = ["checking", "connected", "offline", "unpaired", "token"];

  let os = "linux";
  let state = "checking";

  /** win, mac or linux (any other OS gets the Python package's steps, as Linux does). */
  async function detectOs() {
    try {
      const info = await api.runtime.getPlatformInfo();
      return Object.hasOwn(PROGRAM, info.os) ? info.os : "linux";
    } catch (e) {
      return "linux";
    }
  }

  function wheel() {
    return "seller_support_companion-" + api.runtime.getManifest().version + "-py3-none-any.whl";
  }

  const command = (text) => h("pre", {}, h("code", { "data-ssc-command": true, text }));

  /** [message key, command or null] for each step on this OS. */
  function steps() {
    const ssc = PROGRAM[os];
    return [
      [INSTALL_STEPS[os], os === "linux" ? "pipx install " + wheel() : null],
      ["welcomeStepServe", ssc + " serve"],
      ["welcomeStepAutostart", ssc + " autostart on"],
      ["welcomeStepDoctor", ssc + " doctor"],
    ];
  }

  function renderSteps() {
    $("os-intro").textContent = i18n.t("welcomeOfflineIntro", [i18n.t(OS_NAMES[os])]);
    $("steps").dataset.sscOs = os;
    $("steps").replaceChildren(...steps().map(([key, cmd]) => h("li", { "data-ssc-step": key }, h("span", { text: i18n.t(key) }), cmd && command(cmd))));
    const alt = $("python-alternative");
    alt.hidden = os === "linux"; // Linux's steps are the Python package's already
    alt.replaceChildren(h("span", { text: i18n.t("welcomePythonAlternative") }), command("pipx install " + wheel()));
    document.querySelector("#unpaired [data-ssc-command]").textContent = PROGRAM[os] + " pair";
  }

  /** One link per marketplace to its Seller Central support page (the backend's marketplaces). */
  async function renderMarketplaces() {
    let reply;
    try {
      reply = await api.runtime.sendMessage({ type: "ssc:marketplaces" });
    } catch (e) {
      return;
    }
    const list = reply && reply.ok && reply.data && Array.isArray(reply.data.marketplaces) ? reply.data.marketplaces : [];
    const items = list
      .map((m) => ({ url: SSC.safeUrl(m && m.contact_us_url), name: i18n.pick(m && m.name) }))
      .filter((m) => m.url && m.name)
      .map((m) => h("li", {}, h("a", { href: m.url, target: "_blank", rel: "noopener", text: m.name })));
    $("marketplaces").replaceChildren(...items);
  }

  function show(next, error) {
    state = next;
    document.querySelector("main").dataset.sscWelcomeState = next;
    for (const s of STATES) $(s).hidden = s !== next;
    $("download").hidden = next !== "offline";
    $("check-again").hidden = next === "connected" || next === "checking";
    const why = $("last-error");
    why.hidden = !(error && next !== "connected");
    why.textContent = why.hidden ? "" : i18n.t("welcomeLastError", [SSC.errorText(i18n, error)]);
    if (next === "connected") renderMarketplaces();
  }

  async function check() {
    show("checking");
    let reply;
    try {
      reply = await api.runtime.sendMessage({ type: "ssc:backendState" });
    } catch (e) {
      reply = { ok: false, error: { code: "extension", message: String((e && e.message) || e) } };
    }
    const result = reply && reply.ok && reply.data ? reply.data : { state: "offline", error: reply && reply.error };
    show(STATES.includes(result.state) ? result.state : "offline", result.error);
  }

  async function main() {
    const settings = await SSC.loadSettings();
    await i18n.init(settings.uiLanguage);
    document.documentElement.lang = i18n.locale;
    SSC.localiseDocument(document);
    os = await detectOs();
    $("releases").href = RELEASES_URL;
    renderSteps();
    $("check-again").addEventListener("click", check);
    for (const b of document.querySelectorAll('[data-ssc-action="open-options"]')) b.addEventListener("click", () => api.runtime.openOptionsPage());
    // Back from the terminal where the seller just started the backend: look again.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && state !== "connected" && state !== "checking") check();
    });
    await check();
    document.body.dataset.sscReady = "true";
  }

  main().catch((e) => console.debug("[SSC] welcome", e));
})();

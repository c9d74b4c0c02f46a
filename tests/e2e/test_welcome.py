"""Set-up guidance (issue 15): the welcome page opened on install says how to start the
backend on this OS while it is not running, how to pair while it refuses the browser, and
what to do next once it answers; the toolbar button shows the same three states; the
overlay's "not running" notice links to the page. All against the real backend."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from seller_support import package_extension
from seller_support.store.pairing import new_code, pairing_path

from ..conftest import free_port, running_backend
from .conftest import CONTACT_US, EXTENSION_DIR, launch_context, ready_service_worker
from .helpers import OVERLAY
from .test_accessibility import AXE, serious_violations

WELCOME = "welcome/welcome.html"
MAIN = '[data-ssc="welcome"]'
BADGE = "async () => [await chrome.action.getBadgeText({}), await chrome.action.getTitle({})]"
SEND = "(m) => chrome.runtime.sendMessage(m)"


def wheel() -> str:
    return f"seller_support_companion-{package_extension.project_version()}-py3-none-any.whl"


def open_welcome(page, url: str):
    page.goto(url)
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    return page.locator(MAIN)


def test_installing_opens_the_welcome_page(extension_context, ext):
    url = ext.url(WELCOME)
    pages = [p for p in extension_context.pages if p.url == url]
    if not pages:  # the install may still be opening it
        pages = [extension_context.wait_for_event("page", lambda p: p.url == url, timeout=10000)]
    expect(pages[0].locator(MAIN)).to_have_count(1)


def test_backend_down_then_started_with_check_again(page, ext, tmp_path):
    port = free_port()
    ext.set_settings(backendUrl=f"http://127.0.0.1:{port}", uiLanguage="zh_CN")
    welcome = open_welcome(page, ext.url(WELCOME))
    expect(welcome).to_have_attribute("data-ssc-welcome-state", "offline")
    expect(welcome.locator("#offline h2")).to_have_text("规则后端未运行")
    # This machine's OS (Linux here): the Python package's steps.
    os_name = ext.worker.evaluate("async () => (await chrome.runtime.getPlatformInfo()).os")
    expect(page.locator("#steps")).to_have_attribute("data-ssc-os", os_name)
    assert page.locator("#steps [data-ssc-command]").all_text_contents() == [
        f"pipx install {wheel()}",
        "ssc serve",
        "ssc autostart on",
        "ssc doctor",
    ]
    expect(page.locator("[data-ssc-releases]")).to_have_attribute(
        "href", re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+/releases$")
    )
    offline = json.loads((EXTENSION_DIR / "_locales/zh_CN/messages.json").read_text("utf-8"))
    expect(page.locator("[data-ssc-welcome-error]")).to_contain_text(
        offline["errorOffline"]["message"]
    )
    badge, title = ext.worker.evaluate(BADGE)
    assert badge == "!" and "规则后端未运行" in title
    assert serious_violations(page, AXE.read_text(encoding="utf-8")) == []

    with running_backend(tmp_path / "cases.sqlite3", port=port):
        page.locator('[data-ssc-action="check-again"]').click()
        expect(welcome).to_have_attribute("data-ssc-welcome-state", "connected")
        expect(page.locator("#download")).to_be_hidden()
        # Next step: each marketplace's support page, from the backend's marketplaces.
        expect(page.locator("[data-ssc-welcome-marketplaces] a").first).to_have_attribute(
            "href", "https://sellercentral.amazon.com/cu/contact-us"
        )
        badge, title = ext.worker.evaluate(BADGE)
        assert badge == "" and "已连接" in title
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_windows_steps_use_the_standalone_build(page, ext, closed_port):
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    page.add_init_script(
        "chrome.runtime.getPlatformInfo = async () => ({os: 'win', arch: 'x86-64'});"
    )
    welcome = open_welcome(page, ext.url(WELCOME))
    expect(welcome).to_have_attribute("data-ssc-welcome-state", "offline")
    expect(page.locator("#steps")).to_have_attribute("data-ssc-os", "win")
    expect(page.locator("#os-intro")).to_contain_text("Windows")
    expect(page.locator('[data-ssc-step="welcomeStepInstallWin"]')).to_contain_text("cmd")
    assert page.locator("#steps [data-ssc-command]").all_text_contents() == [
        "ssc serve",
        "ssc autostart on",
        "ssc doctor",
    ]
    expect(page.locator("#python-alternative [data-ssc-command]")).to_have_text(
        f"pipx install {wheel()}"
    )


def test_the_overlay_and_the_popup_link_to_the_welcome_page(page, ext, closed_port):
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    ext.clear_cache()
    page.goto(CONTACT_US)
    link = page.locator(f'{OVERLAY} [data-ssc="status"] [data-ssc-action="open-welcome"]')
    with ext.context.expect_page() as opened:
        link.click()
    expect(opened.value.locator(MAIN)).to_have_attribute("data-ssc-welcome-state", "offline")
    opened.value.close()
    badge, title = ext.worker.evaluate(BADGE)
    assert badge == "!" and "not running" in title
    # The popup, where a click on the red "!" leads, links to it too.
    page.goto(ext.url("popup/popup.html"))
    with ext.context.expect_page() as opened:
        page.locator('#status [data-ssc-action="open-welcome"]').click()
    expect(opened.value.locator(MAIN)).to_have_attribute("data-ssc-welcome-state", "offline")
    opened.value.close()


def test_a_store_install_asks_for_pairing_until_paired(playwright_session, chromium_path, tmp_path):
    """The store package has no `key`, so its id is not the pinned one: the backend refuses
    it until it pairs (as in Firefox). The button and the welcome page say so."""
    store_build = package_extension.unpack("chrome", tmp_path / "chrome")
    context = launch_context(playwright_session, chromium_path, tmp_path / "profile", store_build)
    db = tmp_path / "cases.sqlite3"
    try:
        worker = ready_service_worker(context)
        # A new installation thinks in Beijing time whatever the browser's zone.
        default = worker.evaluate("async () => (await SSC.loadSettings()).sellerTimezone")
        assert default == "Asia/Shanghai"
        with running_backend(db) as (url, _):
            worker.evaluate("(url) => SSC.saveSettings({backendUrl: url, uiLanguage: 'en'})", url)
            page = context.new_page()
            welcome = open_welcome(page, worker.url.replace("background/main.js", WELCOME))
            expect(welcome).to_have_attribute("data-ssc-welcome-state", "unpaired")
            expect(page.locator("#unpaired [data-ssc-command]")).to_have_text("ssc pair")
            badge, title = worker.evaluate(BADGE)
            assert badge == "?" and "pair" in title

            paired = page.evaluate(SEND, {"type": "ssc:pair", "code": new_code(pairing_path(db))})
            assert paired["ok"], paired
            page.locator('[data-ssc-action="check-again"]').click()
            expect(welcome).to_have_attribute("data-ssc-welcome-state", "connected")
            assert worker.evaluate(BADGE)[0] == ""
    finally:
        context.close()

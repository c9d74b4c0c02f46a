"""Fixtures for the extension's end-to-end tests.

One persistent Chromium context with the unpacked extension loaded is shared by
the whole session. Mock Seller Central pages are served on the real Seller
Central URLs with ``context.route`` so the manifest's real match patterns are
exercised. The extension talks to the real backend (``live_backend`` from
tests/conftest.py).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ..workers import free_port

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "extension"
MOCK_DIR = Path(__file__).resolve().parent / "mock_pages"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("SSC_CHROMIUM", "/usr/bin/chromium")

SELLER_CENTRAL_HOSTS = [
    "sellercentral.amazon.com",
    "sellercentral.amazon.ca",
    "sellercentral.amazon.com.mx",
    "sellercentral-europe.amazon.com",
    "sellercentral.amazon.co.uk",
    "sellercentral.amazon.de",
    "sellercentral.amazon.fr",
    "sellercentral.amazon.it",
    "sellercentral.amazon.es",
    "sellercentral.amazon.co.jp",
    "sellercentral-japan.amazon.com",
    "sellercentral.amazon.in",
    "sellercentral.amazon.com.au",
]

# path on any Seller Central host -> mock page file (query strings pick variants inside the
# mocks; see each file's header comment)
MOCK_ROUTES = {
    "/cu/contact-us": "contact_us_kat.html",
    "/help/hub/support": "get_support_helphub.html",
    "/home": "not_support.html",
    "/cu/case-lobby": "case_log.html",
    # Today's case flow: top document, the SPA's iframe, and the contact iframe nested in
    # <spl-hill-form>'s shadow root (the real iframe srcs are unknown).
    "/help/center": "help_center.html",
    "/help/center/frame": "help_center_frame.html",
    "/help/center/contact": "help_center_contact.html",
    "/cu/case-dashboard/view-case": "view_case.html",
    # The chat window that the contact step's "Chat now" opens.
    "/hill/website/chat": "hill_chat.html",
    # A support page whose description box and buttons match no known anchor.
    "/help/hub/support/describe": "unanchored_support.html",
}

# /mock-assets/<file> on any Seller Central host -> mock_pages/<file> (scripts shared by mocks)
MOCK_ASSETS = "/mock-assets/"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}

CONTACT_US = "https://sellercentral.amazon.com/cu/contact-us"
GET_SUPPORT = "https://sellercentral.amazon.com/help/hub/support"
HELP_CENTER = "https://sellercentral.amazon.com/help/center?redirectSource=Hill"
HELP_CENTER_DE = (
    "https://sellercentral-europe.amazon.com/help/center"
    "?redirectSource=Hill&mons_sel_mkid=amzn1.mp.o.A1PA6795UKMFR9"
)
VIEW_CASE = "https://sellercentral.amazon.com/cu/case-dashboard/view-case?caseID=22153077391"
UNANCHORED = "https://sellercentral.amazon.com/help/hub/support/describe?issueId=unknown"

TEST_SETTINGS = {
    "sellerTimezone": "Asia/Shanghai",
    "plan": "professional",
    "videoVerified": True,
    "twoFactor": True,
    "accountStatus": "good_standing",
    "uiLanguage": "en",
    "marketplaceOverride": "",
    "teamServerUrl": "",  # the personal backend (test_team_mode.py sets a team server)
    # Off unless a test turns it on (with the case_log fixture): a recorded case would make
    # every later submit of the same text a duplicate_case warning.
    "recordCases": False,
}


def _mock_file(path: str) -> str | None:
    """The mock_pages file served for a path, or None."""
    if path.startswith(MOCK_ASSETS):
        name = path[len(MOCK_ASSETS) :]
        ok = re.fullmatch(r"[\w.-]+", name) and (MOCK_DIR / name).is_file()
        return name if ok and Path(name).suffix in CONTENT_TYPES else None
    return MOCK_ROUTES.get(path)


def _serve_mock(route):
    url = route.request.url
    path = re.sub(r"^https://[^/]+", "", url).split("?")[0].split("#")[0]
    name = _mock_file(path)
    if name is None:
        route.fulfill(
            status=404,
            content_type="text/html",
            body="<!doctype html><title>404</title><p>not mocked</p>",
        )
        return
    route.fulfill(
        status=200,
        content_type=CONTENT_TYPES[Path(name).suffix],
        body=(MOCK_DIR / name).read_text(encoding="utf-8"),
    )


def launch_context(
    playwright,
    chromium_path: str,
    profile: Path,
    extension: Path | None = EXTENSION_DIR,
    also: tuple[Path, ...] = (),
):
    """Headless Chromium with an unpacked extension (ours unless told otherwise; None:
    none; `also`: more beside it) serving the mock pages on every Seller Central host."""
    dirs = ",".join(str(d) for d in (extension, *also))
    load = [f"--disable-extensions-except={dirs}", f"--load-extension={dirs}"]
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium_path,
        headless=True,
        locale="en-US",
        viewport={"width": 1280, "height": 900},
        args=[
            *(load if extension else []),
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    )
    route_mocks(context)
    return context


def route_mocks(context) -> None:
    """Serve the mock pages (and /mock-assets/) on every Seller Central host of a context."""
    for host in SELLER_CENTRAL_HOSTS:
        context.route(f"https://{host}/**", _serve_mock)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the e2e tests need Debian's chromium "
            "(apt-get install chromium, done by the Makefile) or SSC_CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_session():
    """The one Playwright of the test session (a second sync_playwright cannot start while
    it runs): tests that need a browser of their own launch it from here."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def extension_context(playwright_session, chromium_path, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = launch_context(playwright_session, chromium_path, profile)
    # Console errors from the extension's service worker (pages collect their own).
    context.ssc_worker_errors = []

    def on_console(msg):
        worker = getattr(msg, "worker", None)
        if (
            msg.type == "error"
            and worker is not None
            and worker.url.startswith("chrome-extension://")
        ):
            context.ssc_worker_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")

    context.on("console", on_console)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def service_worker(extension_context):
    return ready_service_worker(extension_context)


def ready_service_worker(
    context, ready: str = "!!(self.SSC && self.SSC.loadSettings)", script: str = ""
):
    """The extension's service worker (the one whose URL ends with `script`, where several
    extensions are loaded), once its script has run (`ready` is true in it)."""

    def wanted(w) -> bool:
        return w.url.startswith("chrome-extension://") and w.url.endswith(script)

    workers = [w for w in context.service_workers if wanted(w)]
    worker = (
        workers[0]
        if workers
        else context.wait_for_event("serviceworker", predicate=wanted, timeout=15000)
    )
    # Chrome sometimes reports the worker before its script ran: wait for its globals.
    worker.evaluate(
        "(ready) => new Promise((resolve) => {"
        "  const check = () => (eval(ready) ? resolve(true) : setTimeout(check, 20));"
        "  check();"
        "})",
        ready,
    )
    return worker


@pytest.fixture(scope="session")
def extension_id(service_worker) -> str:
    return service_worker.url.split("/")[2]


def _sw(extension_context, service_worker):
    """The current service worker (Chrome may restart it between tests)."""
    workers = [
        w for w in extension_context.service_workers if w.url.startswith("chrome-extension://")
    ]
    return workers[0] if workers else service_worker


class Extension:
    """Test helper around the loaded extension."""

    def __init__(self, context, worker, ext_id, backend_url):
        self.context = context
        self._worker = worker
        self.id = ext_id
        self.backend_url = backend_url

    @property
    def worker(self):
        return _sw(self.context, self._worker)

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.id}/{path}"

    def settings(self) -> dict:
        return self.worker.evaluate("() => SSC.loadSettings()")

    def set_settings(self, **patch) -> dict:
        return self.worker.evaluate("(p) => SSC.saveSettings(p)", patch)

    def clear_cache(self) -> None:
        self.worker.evaluate(
            """async () => {
                const all = await chrome.storage.local.get(null);
                const keys = Object.keys(all).filter((k) => k.startsWith('cache:'));
                await chrome.storage.local.remove(keys);
            }"""
        )

    def cache_keys(self) -> list[str]:
        return self.worker.evaluate(
            "async () => Object.keys(await chrome.storage.local.get(null))"
            ".filter((k) => k.startsWith('cache:'))"
        )


@pytest.fixture(scope="session")
def closed_port() -> int:
    """A loopback port with nothing listening (backend 'down'): from this worker's own
    ports, so that no other worker starts a server on it."""
    return free_port()


@pytest.fixture()
def ext(extension_context, service_worker, extension_id, live_backend):
    helper = Extension(extension_context, service_worker, extension_id, live_backend)
    helper.set_settings(**TEST_SETTINGS, backendUrl=live_backend)
    yield helper
    helper.set_settings(**TEST_SETTINGS, backendUrl=live_backend)


@pytest.fixture()
def page(extension_context, ext):
    """A fresh tab; console errors and page errors are collected in page.ssc_errors."""
    pg = extension_context.new_page()
    errors: list[str] = []
    pg.on(
        "console",
        lambda m: (
            errors.append(f"console.{m.type}: {m.text} @ {m.location.get('url', '')}")
            if m.type == "error"
            else None
        ),
    )
    pg.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    pg.ssc_errors = errors
    start = len(extension_context.ssc_worker_errors)
    pg.ssc_worker_errors = lambda: extension_context.ssc_worker_errors[start:]
    yield pg
    pg.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture()
def case_log(live_backend):
    """The live backend's case log, empty before and after the test."""
    from .helpers import delete_all_cases

    delete_all_cases(live_backend)
    yield live_backend
    delete_all_cases(live_backend)

"""The extension in team mode (issue 16): the options page takes a team server's URL and the
person's access token, refuses plain http:// to another computer, asks the browser for the
server's host permission; every request then carries `Authorization: Bearer` to the team
server and no token goes anywhere else; cases carry their store (mons_sel_mcid and the
header's store name); the popup filters the case list by store and by person.

The team server is real: `ssc serve --team` on a throwaway PostgreSQL database, with Li and
Wang issued tokens by `ssc team add-person`. The browser reaches it as https://team.example.com
through `context.route`, which records each request and passes it on with the Host a
reverse proxy would (the server admits only its allowed hosts).

The permission prompt cannot be clicked in headless Chromium (`permissions.request` waits
for ever). So the tests that need the permission run in a browser of their own with a copy of
the extension whose manifest grants https://team.example.com/* outright, which Chrome treats
as a granted permission (`permissions.request` then answers true without a prompt); the
refusal is the options page's answer to `permissions.request` answering false (stubbed), and
without the permission the background makes no request at all (the shared browser).
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.parse
from collections.abc import Iterator

import psycopg
import pytest
from playwright.sync_api import expect

from tests.postgres import with_database
from tests.team import add_person, call, team_server

from .conftest import (
    EXTENSION_DIR,
    HELP_CENTER,
    TEST_SETTINGS,
    launch_context,
    ready_service_worker,
)
from .helpers import SEND, frame_at, message, with_query
from .test_case_log import ADS_TEXT
from .test_help_center import CONTACT, contact_with

TEAM = "https://team.example.com"
STORE_ID = "A1B2C3D4E5F6G7"
OPTIONS = "options/options.html"
SEND_MESSAGE = "(m) => chrome.runtime.sendMessage(m)"


class RecordingProxy:
    """https://team.example.com for the browser: every request is recorded and passed on to
    a real team server (`ssc serve --team` on a throwaway PostgreSQL), with the Host its
    reverse proxy would pass on and the request's own Authorization."""

    def __init__(self, base: str, database: str, tokens: dict[str, str]):
        self.base, self.database, self.tokens = base, database, tokens
        self.requests: list[dict] = []  # every request to the team origin

    def handle(self, route) -> None:
        request = route.request
        url = urllib.parse.urlsplit(request.url)
        auth = request.headers.get("authorization")
        body = json.loads(request.post_data) if request.post_data else None
        self.requests.append(
            {"method": request.method, "path": url.path, "query": url.query, "auth": auth,
             "body": body}
        )  # fmt: skip
        token = auth[len("Bearer ") :] if auth and auth.startswith("Bearer ") else None
        path = url.path + ("?" + url.query if url.query else "")
        status, data = call(self.base, request.method, path, token=token, body=body)
        route.fulfill(
            status=status,
            content_type="application/json",
            body="" if data is None else json.dumps(data),
        )

    def cases(self) -> list[dict]:
        """The team's case log, as Li sees it (everyone's cases)."""
        status, page = call(self.base, "GET", "/api/v1/cases", token=self.tokens["Li"])
        assert status == 200, page
        return page["cases"]

    def add_case(self, body: dict, person: str) -> dict:
        status, case = call(self.base, "POST", "/api/v1/cases", token=self.tokens[person],
                            body={"marketplace": "US", **body})  # fmt: skip
        assert status == 201, case
        return case

    def forget_cases(self) -> None:
        with psycopg.connect(self.database, autocommit=True) as conn:
            conn.execute("TRUNCATE cases RESTART IDENTITY")


class Team:
    """A browser of its own with the extension granted https://team.example.com/*."""

    def __init__(self, context, worker, server: RecordingProxy):
        self.context = context
        self.worker = worker
        self.id = worker.url.split("/")[2]
        self.server = server
        self.seen: list[dict] = []  # every request the browser made (any origin)

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.id}/{path}"

    def storage(self) -> dict:
        return self.worker.evaluate("() => chrome.storage.local.get(null)")


@pytest.fixture(scope="module")
def team_backend(postgres_url) -> Iterator[RecordingProxy]:
    """A real team server on a database of this module's own, with Li and Wang."""
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute('CREATE DATABASE "e2e_team"')
    database = with_database(postgres_url, "e2e_team")
    tokens = {name: add_person(database, name) for name in ("Li", "Wang")}
    with team_server(database) as base:
        yield RecordingProxy(base, database, tokens)


@pytest.fixture(scope="module")
def team(playwright_session, chromium_path, team_backend, tmp_path_factory):
    folder = tmp_path_factory.mktemp("team") / "extension"
    shutil.copytree(EXTENSION_DIR, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["host_permissions"].append(TEAM + "/*")  # the permission as if granted at the prompt
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    context = launch_context(
        playwright_session, chromium_path, tmp_path_factory.mktemp("p"), folder
    )
    server = team_backend
    context.route(TEAM + "/**", server.handle)
    try:
        worker = ready_service_worker(context)
        helper = Team(context, worker, server)

        def record(route):
            request = route.request
            helper.seen.append({"url": request.url, "headers": dict(request.headers)})
            route.fallback()

        context.route("**/*", record)  # the last added runs first: it sees every request
        yield helper
    finally:
        context.close()


@pytest.fixture()
def team_ext(team, live_backend):
    """The team browser with the test settings, no team server and no token, before and after."""

    def reset():
        team.worker.evaluate(
            """async (s) => {
                await chrome.storage.local.remove(['teamToken', 'settings']);
                await SSC.saveSettings(s);
            }""",
            {**TEST_SETTINGS, "backendUrl": live_backend},
        )
        team.server.requests.clear()
        team.server.forget_cases()
        team.seen.clear()

    reset()
    yield team
    reset()


def open_options(context, url: str):
    page = context.new_page()
    page.goto(url)
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    return page


def connect(page, url: str, token: str) -> None:
    page.locator("#teamServerUrl").fill(url)
    page.locator("#teamToken").fill(token)
    page.locator('[data-ssc-action="team-connect"]').click()


def assert_token_only_to_the_team_server(team: Team) -> None:
    """No request outside the team origin carried a token of ours or an Authorization header."""
    for seen in team.seen:
        if seen["url"].startswith(TEAM + "/"):
            continue
        headers = {k.lower(): v for k, v in seen["headers"].items()}
        assert "authorization" not in headers, seen
        assert not any(t in json.dumps(seen) for t in team.server.tokens.values()), seen


# ---------------------------------------------------------------- the options page


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_options_refuse_plain_http_to_another_computer(team_ext, lang):
    team_ext.worker.evaluate("(l) => SSC.saveSettings({uiLanguage: l})", lang)
    page = open_options(team_ext.context, team_ext.url(OPTIONS))
    try:
        connect(page, "http://team.example.com", team_ext.server.tokens["Li"])
        error = page.locator("[data-ssc-team-url-error]")
        expect(error).to_be_visible()
        expect(error).to_have_text(message(lang, "optTeamInsecure"))
        expect(page.locator("[data-ssc-team-result]")).to_have_attribute("data-ok", "false")
        expect(page.locator("#team")).to_have_attribute("data-ssc-team-state", "personal")
        stored = team_ext.storage()
        assert stored["settings"]["teamServerUrl"] == "" and "teamToken" not in stored
        assert not any(s["url"].startswith("http://team.example.com") for s in team_ext.seen)
        assert team_ext.server.requests == []
    finally:
        page.close()
    # Nor does anything else take it: the settings, the background's message.
    with pytest.raises(Exception, match="must use https"):
        team_ext.worker.evaluate(
            "() => SSC.saveSettings({teamServerUrl: 'http://team.example.com'})"
        )
    page = open_options(team_ext.context, team_ext.url(OPTIONS))
    try:
        reply = page.evaluate(
            SEND_MESSAGE,
            {
                "type": "ssc:teamSave",
                "url": "http://team.example.com:80/x",
                "token": team_ext.server.tokens["Li"],
            },
        )
        assert reply["ok"] is False and reply["error"]["code"] == "insecure_team_url"
        assert "teamToken" not in team_ext.storage()
    finally:
        page.close()


def test_options_accept_https_normalised_and_show_only_the_tokens_end(team_ext):
    page = open_options(team_ext.context, team_ext.url(OPTIONS))
    try:
        connect(page, "https://team.example.com/some/path", team_ext.server.tokens["Li"])
        result = page.locator("[data-ssc-team-result]")
        expect(result).to_have_text("Connected as Li.")
        expect(result).to_have_attribute("data-ok", "true")
        expect(page.locator("#team")).to_have_attribute("data-ssc-team-state", "team")
        expect(page.locator("#teamToken")).to_have_value("")
        expect(page.locator("[data-ssc-token-end]")).to_have_text(
            "Saved token: …" + team_ext.server.tokens["Li"][-4:]
        )
        assert team_ext.server.tokens["Li"] not in page.content()
        stored = team_ext.storage()
        assert stored["settings"]["teamServerUrl"] == TEAM  # the origin only
        assert (
            stored["teamToken"]["token"] == team_ext.server.tokens["Li"]
            and stored["teamToken"]["origin"] == TEAM
        )
        assert team_ext.worker.evaluate("() => chrome.storage.sync.get(null)") == {}
        paths = [r["path"] for r in team_ext.server.requests]
        assert "/api/v1/health" in paths and "/api/v1/whoami" in paths
        assert all(
            r["auth"] == "Bearer " + team_ext.server.tokens["Li"]
            for r in team_ext.server.requests
            if r["path"] != "/api/v1/health"
        )
        # The toolbar button: connected, no badge.
        badge = team_ext.worker.evaluate(
            "async () => [await chrome.action.getBadgeText({}), await chrome.action.getTitle({})]"
        )
        assert badge[0] == ""

        # Reopened: the token is not shown again, only its end; Check connection still works.
        page.reload()
        expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
        expect(page.locator("#teamServerUrl")).to_have_value(TEAM)
        expect(page.locator("#teamToken")).to_have_value("")
        expect(page.locator("[data-ssc-token-end]")).to_have_text(
            "Saved token: …" + team_ext.server.tokens["Li"][-4:]
        )
        page.locator('[data-ssc-action="team-check"]').click()
        expect(result).to_have_text("Connected as Li.")

        # A wrong token: the check says so, the toolbar asks for the token.
        connect(page, TEAM, "not-a-valid-token-9999")
        expect(result).to_have_text("Not connected: " + message("en", "errorTokenInvalid"))
        expect(page.locator("[data-ssc-token-end]")).to_have_text("Saved token: …9999")
        badge = team_ext.worker.evaluate(
            "async () => [await chrome.action.getBadgeText({}), await chrome.action.getTitle({})]"
        )
        assert badge == ["?", message("en", "badgeToken")]

        # Back to the backend on this computer: the token is forgotten.
        page.locator('[data-ssc-action="team-leave"]').click()
        expect(result).to_have_text(message("en", "optTeamLeft"))
        expect(page.locator("#team")).to_have_attribute("data-ssc-team-state", "personal")
        stored = team_ext.storage()
        assert stored["settings"]["teamServerUrl"] == "" and "teamToken" not in stored
        assert_token_only_to_the_team_server(team_ext)
    finally:
        page.close()


def test_a_refused_permission_saves_nothing_and_without_it_nothing_is_sent(page, ext):
    """The shared browser, whose extension has no permission for the team server."""
    sent: list[str] = []
    ext.context.route(TEAM + "/**", lambda route: (sent.append(route.request.url), route.abort()))
    try:
        page.goto(ext.url(OPTIONS))
        expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
        # The prompt's "Deny" (a headless browser shows no prompt that a test could click).
        page.evaluate(
            "() => { window.__asked = []; chrome.permissions.request = (p) =>"
            " (window.__asked.push(p), Promise.resolve(false)); }"
        )
        connect(page, "https://team.example.com", "ssc-any-token-0001abcd")
        result = page.locator("[data-ssc-team-result]")
        expect(result).to_have_text(message("en", "optTeamRefused").replace("$ORIGIN$", TEAM))
        assert page.evaluate("window.__asked") == [{"origins": [TEAM + "/*"]}]
        settings = ext.settings()
        assert settings["teamServerUrl"] == ""
        assert "teamToken" not in ext.worker.evaluate("() => chrome.storage.local.get(null)")

        # Set anyway (as by another script): the background sends nothing without the permission.
        ext.worker.evaluate(
            """async (t) => {
                await SSC.saveSettings({teamServerUrl: 'https://team.example.com'});
                await SSC.client.keepTeamToken('https://team.example.com', t);
            }""",
            "ssc-any-token-0001abcd",
        )
        reply = page.evaluate(SEND_MESSAGE, {"type": "ssc:teamCheck"})
        assert reply["ok"] is False and reply["error"]["code"] == "no_permission"
        reply = page.evaluate(SEND_MESSAGE, {"type": "ssc:hoursAll"})
        assert sent == []
    finally:
        ext.worker.evaluate("() => chrome.storage.local.remove('teamToken')")
        ext.context.unroute(TEAM + "/**")


# ---------------------------------------------------------------- cases, stores and people


def use_team(team: Team) -> None:
    team.worker.evaluate(
        """async (t) => {
            await SSC.client.keepTeamToken('https://team.example.com', t);
            await SSC.saveSettings({teamServerUrl: 'https://team.example.com', recordCases: true});
        }""",
        team.server.tokens["Li"],
    )


def test_a_case_carries_its_store_and_every_request_the_bearer_token(team_ext):
    use_team(team_ext)
    page = team_ext.context.new_page()
    # What the reset's settings started (on the personal backend) is over; from here on,
    # watch. The routes that answer and record requests run only while Playwright is being
    # driven: wait with Playwright, never with time.sleep.
    team_ext.worker.evaluate("() => SSC.status.check()")
    page.wait_for_timeout(300)
    team_ext.seen.clear()
    try:
        page.goto(with_query(HELP_CENTER, f"mons_sel_mcid={STORE_ID}"))
        expect(page.locator(f'[data-ssc="overlay"][data-ssc-store-id="{STORE_ID}"]')).to_have_count(
            1
        )
        contact = contact_with(page, ADS_TEXT, "advertising")
        contact.locator(SEND).click()
        frame_at(page, CONTACT).wait_for_function("window.__sent.count === 1")
        deadline = time.monotonic() + 15
        while not team_ext.server.cases() and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # lets the route that passes the case on run
        [case] = team_ext.server.cases()
        assert (case["store_id"], case["store_name"], case["person"]) == (
            STORE_ID,
            "Example Store",
            "Li",
        )
        prechecks = [r["body"] for r in team_ext.server.requests if r["path"] == "/api/v1/precheck"]
        assert prechecks and all(b["store_id"] == STORE_ID for b in prechecks)
        # Every request went to the team server, each with the token (health needs none).
        assert {r["path"] for r in team_ext.server.requests} >= {
            "/api/v1/hours",
            "/api/v1/classify",
            "/api/v1/cases",
        }
        assert all(
            r["auth"] == "Bearer " + team_ext.server.tokens["Li"] for r in team_ext.server.requests
        )
        assert [s["url"] for s in team_ext.seen if s["url"].startswith("http://127.0.0.1")] == []
        assert_token_only_to_the_team_server(team_ext)
    finally:
        page.close()


def test_popup_filters_by_store_and_person(team_ext):
    use_team(team_ext)
    server = team_ext.server
    base = {"category": "advertising", "marketplace": "US", "contact_method": "case"}
    server.add_case(
        {**base, "text": "Store A, Li", "store_id": "A1B2C3D4E5F6G7", "store_name": "Store A"}, "Li"
    )
    server.add_case({**base, "text": "Store B, Wang", "store_id": "B7G6F5E4D3C2B1"}, "Wang")
    server.add_case(
        {**base, "text": "Store A, Wang", "store_id": "A1B2C3D4E5F6G7", "store_name": "Store A"},
        "Wang",
    )
    page = team_ext.context.new_page()
    try:
        page.goto(team_ext.url("popup/popup.html"))
        rows = page.locator("#case-rows [data-ssc-case]")
        expect(rows).to_have_count(3)
        page.locator("#tab-cases").click()
        expect(page.locator("[data-ssc-case-filters]")).to_be_visible()
        row = page.locator('[data-ssc-case="1"]')
        expect(row.locator("[data-ssc-case-store]")).to_have_text("Store A")
        expect(row.locator("[data-ssc-case-person]")).to_have_text("by Li")
        # A store without a name shows its merchant id.
        expect(page.locator('[data-ssc-case="2"] [data-ssc-case-store]')).to_have_text(
            "B7G6F5E4D3C2B1"
        )

        page.locator('[data-ssc-filter="store"]').select_option("A1B2C3D4E5F6G7")
        expect(rows).to_have_count(2)
        page.locator('[data-ssc-filter="person"]').select_option("Wang")
        expect(rows).to_have_count(1)
        expect(rows.first).to_have_attribute("data-ssc-case", "3")
        lists = [r["query"] for r in server.requests if r["path"] == "/api/v1/cases"]
        assert "store_id=A1B2C3D4E5F6G7&person=Wang" in lists[-1]
        page.locator('[data-ssc-filter="store"]').select_option("")
        expect(rows).to_have_count(2)
        assert_token_only_to_the_team_server(team_ext)
    finally:
        page.close()


def test_popup_shows_no_filters_for_one_store_and_nobody(team_ext, live_backend):
    """A seller's own backend (a team server's cases always name their filer): a case with a
    store and no person shows neither filter nor "by …"."""
    body = {"text": "one", "category": "other", "marketplace": "US", "store_id": STORE_ID,
            "store_name": "Example Store"}  # fmt: skip
    status, case = call(live_backend, "POST", "/api/v1/cases", body=body, host="127.0.0.1")
    assert status == 201 and case["person"] is None
    page = team_ext.context.new_page()
    try:
        page.goto(team_ext.url("popup/popup.html"))
        expect(page.locator(f'#case-rows [data-ssc-case="{case["id"]}"]')).to_have_count(1)
        expect(page.locator("[data-ssc-case-filters]")).to_be_hidden()
        expect(page.locator("[data-ssc-case-person]")).to_have_count(0)
    finally:
        page.close()
        call(live_backend, "DELETE", f"/api/v1/cases/{case['id']}", host="127.0.0.1")

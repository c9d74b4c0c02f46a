"""Another installed extension allowed on 127.0.0.1 cannot read the case log. Chrome sends no
Origin on its GETs, which the backend took for a command-line tool; it now asks a browser
request without a token to prove it is ours (web/security.py). Ours, loaded beside it, gets
its token without a code, and again after the backend forgets it."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from seller_support.store.pairing import pairing_path
from seller_support.web.security import PINNED_EXTENSION_IDS

from ..conftest import running_backend
from .conftest import TEST_SETTINGS, launch_context, ready_service_worker
from .helpers import backend_call

HOSTILE_SCRIPT = "hostile.js"
STORED_TOKEN = "async () => ((await chrome.storage.local.get('pairing')).pairing || {}).token"
FETCH = """async ([url, method, body]) => {
    const headers = body === null ? {} : {"Content-Type": "application/json"};
    const r = await fetch(url, {method, body, headers});
    return [r.status, (await r.json()).code || null];
}"""


def hostile_extension(folder):
    """An unpacked extension with host permission for 127.0.0.1 and nothing of ours."""
    folder.mkdir()
    (folder / HOSTILE_SCRIPT).write_text("self.ready = true;\n", encoding="utf-8")
    manifest = {
        "manifest_version": 3,
        "name": "hostile extension",
        "version": "1.0",
        "host_permissions": ["http://127.0.0.1/*"],
        "background": {"service_worker": HOSTILE_SCRIPT},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def expect_popup_lists(context, extension_id: str, case_id: int) -> None:
    popup = context.new_page()
    try:
        popup.goto(f"chrome-extension://{extension_id}/popup/popup.html")
        cases = popup.locator("[data-ssc='cases']")
        expect(cases).to_have_attribute("data-ssc-cases-state", "live")
        expect(cases.locator("[data-ssc-case]")).to_have_attribute("data-ssc-case", str(case_id))
    finally:
        popup.close()


def test_a_hostile_extension_gets_401_while_ours_lists_cases(
    playwright_session, chromium_path, tmp_path
):
    db = tmp_path / "cases.sqlite3"
    with running_backend(db) as (base, _):
        body = {"text": "FBA shipment lost", "category": "logistics", "marketplace": "US"}
        status, case = backend_call(base, "POST", "/api/v1/cases", body)
        assert status == 201, case
        hostile_dir = hostile_extension(tmp_path / "hostile")
        context = launch_context(
            playwright_session, chromium_path, tmp_path / "profile", also=(hostile_dir,)
        )
        try:
            ours = ready_service_worker(context, script="/background/main.js")
            assert ours.url.split("/")[2] == PINNED_EXTENSION_IDS[0]
            ours.evaluate("(p) => SSC.saveSettings(p)", {**TEST_SETTINGS, "backendUrl": base})
            hostile = ready_service_worker(context, "self.ready", script=f"/{HOSTILE_SCRIPT}")

            expect_popup_lists(context, PINNED_EXTENSION_IDS[0], case["id"])
            first_token = ours.evaluate(STORED_TOKEN)
            assert first_token
            export = f"{base}/api/v1/cases/export?format=json"
            assert hostile.evaluate(FETCH, [export, "GET", None]) == [401, "not_paired"]
            # Nor can it get the token ours got without a code.
            pair = [f"{base}/api/v1/pair", "POST", "{}"]
            assert hostile.evaluate(FETCH, pair) == [403, "code_required"]

            # The backend forgets every token (pairing.json gone): ours asks again.
            pairing_path(db).unlink()
            expect_popup_lists(context, PINNED_EXTENSION_IDS[0], case["id"])
            assert ours.evaluate(STORED_TOKEN) not in (None, first_token)
            assert hostile.evaluate(FETCH, [export, "GET", None]) == [401, "not_paired"]
        finally:
            context.close()

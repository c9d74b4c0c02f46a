"""Only our extension gets in (issue 12), in the browser: another installed extension, with
no permissions at all, cannot read or delete the case log; the options page pairs this
browser with a code (what Firefox needs, whose extension origin cannot be pinned)."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from seller_support.store.pairing import new_code, pairing_path

from ..conftest import running_backend
from .conftest import launch_context, ready_service_worker

FETCH = """async ([url, method]) => {
    const r = await fetch(url, {method});
    return [r.status, (await r.json()).code];
}"""


def test_another_extension_cannot_read_or_delete_the_case_log(
    playwright_session, chromium_path, live_backend, tmp_path
):
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "sw.js").write_text("self.ready = true;\n", encoding="utf-8")
    manifest = {
        "manifest_version": 3,
        "name": "another extension",
        "version": "1.0",
        "background": {"service_worker": "sw.js"},
    }
    (stranger / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    context = launch_context(playwright_session, chromium_path, tmp_path / "profile", stranger)
    try:
        worker = ready_service_worker(context, "self.ready")
        export = f"{live_backend}/api/v1/cases/export?format=json"
        assert worker.evaluate(FETCH, [export, "GET"]) == [401, "not_paired"]
        delete = f"{live_backend}/api/v1/cases/1"
        assert worker.evaluate(FETCH, [delete, "DELETE"]) == [401, "not_paired"]
    finally:
        context.close()


def test_the_options_page_pairs_with_the_code(page, ext, tmp_path):
    db = tmp_path / "cases.sqlite3"
    with running_backend(db) as (url, _):
        ext.set_settings(backendUrl=url)
        page.goto(ext.url("options/options.html"))
        expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
        result = page.locator("#pair-result")

        page.locator("#pairCode").fill("WRONG234")
        page.locator('[data-ssc-action="pair"]').click()
        expect(result).to_have_attribute("data-ok", "false")
        expect(result).to_contain_text("ssc pair")

        page.locator("#pairCode").fill(new_code(pairing_path(db)))
        page.locator('[data-ssc-action="pair"]').click()
        expect(result).to_have_attribute("data-ok", "true")
        token = ext.worker.evaluate(
            "async () => (await chrome.storage.local.get('pairing')).pairing.token"
        )
        assert isinstance(token, str) and len(token) > 20
        ext.worker.evaluate("() => chrome.storage.local.remove('pairing')")

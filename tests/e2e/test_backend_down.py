"""Backend down, slow, or changing hours: badges keep working, submits are never blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import CONTACT_US, GET_SUPPORT
from .helpers import HINT, OVERLAY, PRECHECK, backend_json, badge, wait_submits
from .stub_backend import StubBackend

STATUS = f'{OVERLAY} [data-ssc="status"]'


def test_backend_down_badges_from_cache_and_submit_not_blocked(page, ext, closed_port):
    # 1. Backend up: the 7-day open intervals get cached.
    page.goto(GET_SUPPORT)
    expect(page.locator(f"{OVERLAY} [data-ssc-badges='US'][data-ssc-source='live']")).to_have_count(
        1
    )
    assert any(k.startswith("cache:hours:US:") for k in ext.cache_keys())

    # 2. Backend "stopped": point the extension at a port nobody listens on.
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    page.reload()
    expect(
        page.locator(f"{OVERLAY} [data-ssc-badges='US'][data-ssc-source='cache']")
    ).to_have_count(1)
    live = backend_json(
        ext.backend_url, "/api/v1/hours", {"marketplace": "US", "tz": "Asia/Shanghai"}
    )
    for ch in live["channels"]:
        expect(badge(page, ch["channel"])).to_have_attribute("data-ssc-status", ch["status"])
    # The overlay says it is showing cached data and how to start the backend.
    expect(page.locator(STATUS)).to_have_attribute("data-kind", "cache")
    expect(page.locator(f'{STATUS} [data-ssc-action="open-welcome"]')).to_be_visible()

    # 3. A submit with missing materials goes straight through: no backend, no hold.
    page.locator("#issue-details").fill(
        "My listing was removed from search, please help me get it back."
    )
    page.get_by_role("button", name="Submit").click()
    wait_submits(page, 1)
    expect(page.locator(PRECHECK)).to_have_count(0)
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_backend_down_nothing_cached_shows_offline(page, ext, closed_port):
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    ext.clear_cache()
    page.goto(CONTACT_US)
    page.locator("kat-textarea textarea").wait_for()
    for channel in ("phone", "chat", "case"):
        expect(badge(page, channel)).to_have_attribute("data-ssc-status", "offline")
    expect(page.locator(STATUS)).to_have_attribute("data-kind", "offline")
    expect(page.locator(f'{STATUS} [data-ssc-action="open-welcome"]')).to_be_visible()
    page.locator("kat-textarea textarea").fill("我的商品listing被下架了，请帮忙恢复")
    page.locator("kat-button").click()
    wait_submits(page, 1)
    expect(page.locator(PRECHECK)).to_have_count(0)
    # Hints say they need the backend rather than failing silently.
    expect(page.locator(f"{OVERLAY} [data-ssc-hints-state='error']")).to_be_visible()
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


@pytest.mark.alone  # the 1.5 s budget, timed by the wait's 3.5 s
def test_slow_precheck_never_blocks(page, ext):
    with StubBackend(precheck_delay=4.0) as stub:
        ext.set_settings(backendUrl=stub.url)
        page.goto(GET_SUPPORT)
        page.locator("#issue-details").fill("Something is wrong with my account, please check.")
        expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "other")
        page.get_by_role("button", name="Submit").click()
        # Released after the 1.5 s budget, well before the stub's 4 s answer.
        page.wait_for_function("window.__submits === 1", timeout=3500)
        expect(page.locator(PRECHECK)).to_have_count(0)
        assert any(r.startswith("POST /api/v1/precheck") for r in stub.requests)


def test_badges_tick_over_without_reload(page, ext):
    # 5 s of slack for the page to load before the phone channel opens.
    with StubBackend(opens_in=5.0) as stub:
        ext.set_settings(backendUrl=stub.url)
        page.goto(CONTACT_US)
        page.evaluate("window.__sameDocument = true")
        expect(badge(page, "phone")).to_have_attribute("data-ssc-status", "closed")
        expect(badge(page, "phone").locator("[data-ssc-next]")).to_contain_text("Opens")
        expect(badge(page, "phone")).to_have_attribute("data-ssc-status", "open", timeout=15000)
        expect(badge(page, "phone").locator("[data-ssc-next]")).to_contain_text("Closes")
        assert page.evaluate("window.__sameDocument") is True


def test_garbage_from_backend_never_breaks_the_page(page, ext):
    """Malformed or hostile JSON: no script runs, the page keeps working, submit is never lost."""
    with StubBackend(garbage=True) as stub:
        ext.set_settings(backendUrl=stub.url)
        ext.clear_cache()
        page.goto(GET_SUPPORT)
        expect(page.locator(OVERLAY)).to_have_count(1)
        page.locator("#issue-details").fill(
            "My listing was removed from search, please help me get it back."
        )
        # Unusable suggestions are dropped: the hint area says hints are unavailable.
        expect(page.locator(f"{OVERLAY} [data-ssc-hints-state='error']")).to_be_visible()
        assert any(r.startswith("POST /api/v1/classify") for r in stub.requests)
        # Unusable findings are dropped: nothing to hold, the submit goes through.
        page.get_by_role("button", name="Submit").click()
        wait_submits(page, 1)
        expect(page.locator(PRECHECK)).to_have_count(0)
        assert any(r.startswith("POST /api/v1/precheck") for r in stub.requests)
        assert page.locator(f"{OVERLAY} img").count() == 0
        assert page.evaluate("window.__xss") is None
        for channel in ("phone", "chat", "case"):
            status = badge(page, channel).get_attribute("data-ssc-status")
            assert status in {"open", "closed", "unknown", "offline"}, status
        assert page.ssc_errors == []

"""Toolbar popup (world clock) and options page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import yaml
from playwright.sync_api import expect

from .conftest import REPO
from .helpers import backend_json
from .test_case_log import new_case

CODES = ["US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "JP", "IN", "AU"]


def test_popup_world_clock_matches_backend(page, ext):
    page.goto(ext.url("popup/popup.html"))
    expect(page.locator("body[data-ssc-state='live']")).to_have_count(1)
    data = backend_json(ext.backend_url, "/api/v1/hours/all", {"tz": "Asia/Shanghai"})
    for mp in data["marketplaces"]:
        row = page.locator(f"tr[data-ssc-marketplace='{mp['marketplace']}']")
        expect(row).to_have_count(1)
        for ch in mp["channels"]:
            expect(row.locator(f"[data-ssc-channel='{ch['channel']}']")).to_have_attribute(
                "data-ssc-status", ch["status"]
            )
    assert set(CODES) <= {mp["marketplace"] for mp in data["marketplaces"]}
    expect(page.locator("#seller-time")).to_contain_text("Beijing time")
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_popup_in_chinese(page, ext):
    ext.set_settings(uiLanguage="zh_CN")
    page.goto(ext.url("popup/popup.html"))
    expect(page.locator("body[data-ssc-state='live']")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("各站点客服时间")


def test_options_persist_and_test_connection(page, ext, closed_port):
    page.goto(ext.url("options/options.html"))
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    expect(page.locator("#backendUrl")).to_have_value(ext.backend_url)

    page.locator("#test").click()
    expect(page.locator("#test-result")).to_have_attribute("data-ok", "true")

    page.locator("#sellerTimezone").fill("Asia/Hong_Kong")
    page.locator("#plan").select_option("individual")
    page.locator("#videoVerified").uncheck()
    page.locator("#twoFactor").uncheck()
    page.locator("#uiLanguage").select_option("zh_CN")
    page.locator("#save").click()
    expect(page.locator("#saved")).to_be_visible()
    # The page switches to the chosen language at once.
    expect(page.locator("h1")).to_have_text("卖家客服助手设置")

    page.reload()
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    expect(page.locator("#sellerTimezone")).to_have_value("Asia/Hong_Kong")
    expect(page.locator("#plan")).to_have_value("individual")
    expect(page.locator("#videoVerified")).not_to_be_checked()
    expect(page.locator("#twoFactor")).not_to_be_checked()
    expect(page.locator("#uiLanguage")).to_have_value("zh_CN")
    saved = ext.settings()
    assert saved["sellerTimezone"] == "Asia/Hong_Kong" and saved["plan"] == "individual"
    assert saved["videoVerified"] is False and saved["twoFactor"] is False

    # Bad values are refused, not stored.
    page.locator("#backendUrl").fill("https://evil.example.com")
    page.locator("#save").click()
    expect(page.locator("#url-error")).to_be_visible()
    assert ext.settings()["backendUrl"] == ext.backend_url

    # Connection test against a stopped backend tells the seller what to do.
    page.locator("#backendUrl").fill(f"http://127.0.0.1:{closed_port}")
    page.locator("#test").click()
    expect(page.locator("#test-result")).to_have_attribute("data-ok", "false")
    expect(page.locator("#test-result")).to_contain_text("make run")
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_phone_eligibility_from_options_reaches_precheck(page, ext):
    """An individual seller choosing phone gets phone_ineligible from the backend."""
    ext.set_settings(plan="individual", videoVerified=False, twoFactor=False)
    page.goto("https://sellercentral.amazon.com/help/hub/support")
    page.locator("#c-phone").check()
    page.locator("#issue-details").fill(
        "Hello, my advertising campaign ID 12345 shows an error when I set the daily budget. "
        "Please advise how to fix it."
    )
    expect(page.locator("[data-ssc-hint]")).to_have_attribute("data-ssc-category", "advertising")
    page.get_by_role("button", name="Submit").click()
    expect(
        page.locator('[data-ssc="precheck"] [data-ssc-finding="phone_ineligible"]')
    ).to_have_count(1)


def test_builtin_marketplace_fallback_matches_shared_rules(page, ext):
    """lib/marketplaces.js (used while the backend is down) mirrors the shared rules."""
    page.goto(ext.url("popup/popup.html"))
    builtin = page.evaluate("SSC.FALLBACK_MARKETPLACES")
    rules = yaml.safe_load(
        (REPO / "shared-rules" / "marketplaces.yaml").read_text(encoding="utf-8")
    )["marketplaces"]

    def simplify(ms):
        return [
            {
                "code": m["code"],
                "name": m["name"],
                "timezone": m["timezone"],
                "domains": m["domains"],
            }
            for m in ms
        ]

    assert simplify(builtin) == simplify(rules)


def test_popup_case_ages_follow_the_contract(page, ext, case_log):
    """Hours below the contract's case_age_days_from_hours (24, as the backend's duplicate
    warning), whole days from there; overdue from its followup_after_hours (72)."""
    contract = backend_json(case_log, "/api/v1/contract")
    days_from, followup = contract["case_age_days_from_hours"], contract["followup_after_hours"]
    now = datetime.now(UTC)
    ages = [days_from - 1, days_from + 6, followup - 1, followup]
    filed = {
        new_case(
            case_log,
            text=f"Case open {h} h",
            filed_at=(now - timedelta(hours=h, minutes=5)).isoformat(),
        )["id"]: h
        for h in ages
    }
    page.goto(ext.url("popup/popup.html"))
    rows = page.locator("[data-ssc='cases'] [data-ssc-case]")
    expect(rows).to_have_count(len(ages))
    for case_id, hours in filed.items():
        row = page.locator(f"[data-ssc-case='{case_id}']")
        days = hours // 24
        age = f"open {hours} h" if hours < days_from else f"open {days} day{'s' * (days > 1)}"
        expect(row.locator("[data-ssc-case-age]")).to_have_text(age)
        expect(row).to_have_attribute("data-ssc-overdue", str(hours >= followup).lower())
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []

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


def test_popup_marks_the_channels_the_sellers_settings_rule_out(page, ext):
    ext.set_settings(plan="individual")
    page.goto(ext.url("popup/popup.html"))
    expect(page.locator("body[data-ssc-state='live']")).to_have_count(1)
    query = {"tz": "Asia/Shanghai", "plan": "individual", "video_verified": "true"}
    query |= {"two_factor": "true", "account_status": "good_standing"}
    data = backend_json(ext.backend_url, "/api/v1/hours/all", query)
    barred = set()
    for mp in data["marketplaces"]:
        row = page.locator(f"tr[data-ssc-marketplace='{mp['marketplace']}']")
        for ch in mp["channels"]:
            cell = row.locator(f"[data-ssc-channel='{ch['channel']}']")
            if ch["eligibility"]["usable"]:
                expect(cell).not_to_have_attribute("data-ssc-eligible", "false")
            else:
                barred.add(ch["channel"])
                expect(cell).to_have_attribute("data-ssc-eligible", "false")
                reasons = [r["message"]["en"] for r in ch["eligibility"]["reasons"]]
                expect(cell).to_have_attribute("title", "\n".join(reasons))
    # The article: individual sellers rely on e-mail (a case) only.
    assert {"phone", "chat"} <= barred and "case" not in barred
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
    page.locator("#videoVerified").select_option("false")
    page.locator("#twoFactor").select_option("")  # not set: asked for, not taken as "no"
    # The account statuses offered are the contract's (served names, not a JS copy).
    contract = backend_json(ext.backend_url, "/api/v1/contract")
    offered = page.locator("#accountStatus option").evaluate_all("os => os.map(o => o.value)")
    assert offered == contract["account_statuses"]
    page.locator("#accountStatus").select_option("deactivated")
    page.locator("#uiLanguage").select_option("zh_CN")
    page.locator("#save").click()
    expect(page.locator("#saved")).to_be_visible()
    # The page switches to the chosen language at once.
    expect(page.locator("h1")).to_have_text("卖家客服助手设置")

    page.reload()
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    expect(page.locator("#sellerTimezone")).to_have_value("Asia/Hong_Kong")
    expect(page.locator("#plan")).to_have_value("individual")
    expect(page.locator("#videoVerified")).to_have_value("false")
    expect(page.locator("#twoFactor")).to_have_value("")
    expect(page.locator("#accountStatus")).to_have_value("deactivated")
    expect(page.locator("label[for='accountStatus']")).to_contain_text("账户状态")
    expect(page.locator("#uiLanguage")).to_have_value("zh_CN")
    saved = ext.settings()
    assert saved["sellerTimezone"] == "Asia/Hong_Kong" and saved["plan"] == "individual"
    assert saved["videoVerified"] is False and saved["twoFactor"] is None
    assert saved["accountStatus"] == "deactivated"

    # Bad values are refused, not stored.
    page.locator("#backendUrl").fill("https://evil.example.com")
    page.locator("#save").click()
    expect(page.locator("#url-error")).to_be_visible()
    assert ext.settings()["backendUrl"] == ext.backend_url

    # Connection test against a stopped backend tells the seller what to do.
    page.locator("#backendUrl").fill(f"http://127.0.0.1:{closed_port}")
    page.locator("#test").click()
    expect(page.locator("#test-result")).to_have_attribute("data-ok", "false")
    expect(page.locator("#test-result")).to_contain_text("ssc serve")
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_phone_eligibility_from_options_reaches_precheck(page, ext):
    """An individual seller choosing phone gets channel_ineligible from the backend."""
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
        page.locator('[data-ssc="precheck"] [data-ssc-finding="channel_ineligible"]')
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


def test_popup_case_ages_follow_the_contract_and_overdue_the_backends_due_time(page, ext, case_log):
    """Hours below the contract's case_age_days_from_hours (24, as the backend's duplicate
    warning), whole days from there; overdue once past the case's followup_due_at (the
    reply_by the backend promised, longer in a holiday peak), never for phone or chat."""
    days_from = backend_json(case_log, "/api/v1/contract")["case_age_days_from_hours"]
    now = datetime.now(UTC)
    # 72 h and 73 h are overdue outside holiday peaks and not yet inside one (e.g. around
    # Thanksgiving); 20 days is past any peak's business days.
    ages = [(days_from - 1, "case"), (days_from + 6, "case"), (71, "case"), (73, "case")]
    ages += [(20 * 24, "case"), (20 * 24, "phone")]
    filed = [
        new_case(
            case_log,
            text=f"Case open {h} h by {method}",
            contact_method=method,
            filed_at=(now - timedelta(hours=h, minutes=5)).isoformat(),
        )
        | {"hours": h}
        for h, method in ages
    ]
    page.goto(ext.url("popup/popup.html"))
    rows = page.locator("[data-ssc='cases'] [data-ssc-case]")
    expect(rows).to_have_count(len(ages))
    seen_now = datetime.now(UTC)
    overdue_seen = set()
    for case in filed:
        row = page.locator(f"[data-ssc-case='{case['id']}']")
        hours, days = case["hours"], case["hours"] // 24
        age = f"open {hours} h" if hours < days_from else f"open {days} day{'s' * (days > 1)}"
        expect(row.locator("[data-ssc-case-age]")).to_have_text(age)
        due = case["followup_due_at"]
        overdue = due is not None and datetime.fromisoformat(due) <= seen_now
        overdue_seen.add(overdue)
        expect(row).to_have_attribute("data-ssc-overdue", str(overdue).lower())
        expect(row.locator("[data-ssc-followup]")).to_have_count(int(overdue))
        expect(row.locator("[data-ssc-case-due]")).to_have_count(
            int(due is not None and not overdue)
        )
        if due is not None:
            marker = "[data-ssc-followup]" if overdue else "[data-ssc-case-due]"
            expect(row.locator(marker)).to_have_attribute(marker[1:-1], due)
    assert overdue_seen == {True, False}  # both kinds shown, whatever today's date
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_popup_lists_every_overdue_case_first_and_counts_them_all(page, ext, case_log):
    """The case log sends its newest page (100): with more open cases, the oldest (the
    most overdue) must not be the ones dropped, and the count is of every open case."""
    now = datetime.now(UTC)
    overdue = [
        new_case(case_log, text=f"Old case {d}", filed_at=(now - timedelta(days=d)).isoformat())
        for d in (30, 25, 20)  # past any holiday peak's business days
    ]
    recent = [
        new_case(
            case_log, text=f"Recent case {m}", filed_at=(now - timedelta(minutes=m)).isoformat()
        )
        for m in range(1, 102)
    ]
    total = len(overdue) + len(recent)
    page.goto(ext.url("popup/popup.html"))
    rows = page.locator("[data-ssc='cases'] [data-ssc-case]")
    expect(rows.first).to_be_attached()
    shown = rows.count()
    assert len(overdue) < shown < total  # the newest page, and the overdue ones besides
    first = rows.evaluate_all("rows => rows.slice(0, 3).map(r => Number(r.dataset.sscCase))")
    assert first == [c["id"] for c in overdue]  # longest overdue first
    expect(page.locator("#cases-title")).to_contain_text(str(total))
    expect(page.locator("#cases-count")).to_have_text(f"({total})")
    expect(page.locator("#cases-status")).to_contain_text(f"{shown} of {total}")
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_popup_offline_works_out_hours_from_the_pages_cached_intervals(page, ext, closed_port):
    """Backend down and no world clock ever cached: the popup puts one together from the
    hours the Seller Central pages cached (background/cache.js), with a plain offline note,
    instead of an empty table."""
    ext.clear_cache()
    page.goto("https://sellercentral.amazon.com/help/hub/support")
    expect(
        page.locator("[data-ssc='overlay'] [data-ssc-badges='US'][data-ssc-source='live']")
    ).to_have_count(1)
    live = backend_json(
        ext.backend_url, "/api/v1/hours", {"marketplace": "US", "tz": "Asia/Shanghai"}
    )
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    page.goto(ext.url("popup/popup.html"))
    expect(page.locator("body[data-ssc-state='cache']")).to_have_count(1)
    status = page.locator("#status")
    expect(status).to_have_attribute("data-kind", "cache")
    expect(status).to_contain_text("Offline")
    rows = page.locator("tr[data-ssc-marketplace]")
    expect(rows).to_have_count(1)
    for ch in live["channels"]:
        # Worked out from the cached intervals: the status the backend gave a moment ago.
        expect(rows.locator(f"[data-ssc-channel='{ch['channel']}']")).to_have_attribute(
            "data-ssc-status", ch["status"]
        )
    # The pages cached those hours for other settings: their eligibility is not this
    # seller's, so nothing is pieced together from them.
    ext.set_settings(plan="individual")
    page.reload()
    expect(page.locator("body[data-ssc-state='offline']")).to_have_count(1)
    expect(page.locator("tr[data-ssc-marketplace]")).to_have_count(0)

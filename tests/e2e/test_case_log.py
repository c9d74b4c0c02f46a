"""The case log in the extension: the background's case messages, recording a case when
the page's submit goes through, the duplicate warning, and the popup's open cases."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from .helpers import (
    HINT,
    PRECHECK,
    SUBMIT_ANYWAY,
    backend_call,
    backend_json,
    submits,
    wait_submits,
)
from .test_contact_us_kat import open_contact_us
from .test_get_support_helphub import open_get_support

SEND = "(msg) => chrome.runtime.sendMessage(msg)"


def new_case(base_url: str, **fields) -> dict:
    body = {
        "text": "My FBA shipment FBA17TEST001 is stuck in receiving.",
        "category": "logistics",
        "marketplace": "US",
        "contact_method": "case",
        **fields,
    }
    status, case = backend_call(base_url, "POST", "/api/v1/cases", body)
    assert status == 201, case
    return case


def test_background_case_messages_are_validated(page, ext, case_log):
    case = new_case(case_log)
    page.goto(ext.url("popup/popup.html"))

    listed = page.evaluate(SEND, {"type": "ssc:caseList", "status": "open"})
    assert listed["ok"] is True
    assert [c["id"] for c in listed["data"]["cases"]] == [case["id"]]

    updated = page.evaluate(SEND, {"type": "ssc:caseUpdate", "id": case["id"], "status": "replied"})
    assert updated["ok"] is True and updated["data"]["status"] == "replied"
    assert backend_json(case_log, f"/api/v1/cases/{case['id']}")["status"] == "replied"

    # Malformed messages never reach the backend.
    for bad in (
        {"type": "ssc:caseUpdate", "id": case["id"]},  # nothing to change
        {"type": "ssc:caseUpdate", "id": "1", "status": "resolved"},
        {"type": "ssc:caseUpdate", "id": case["id"], "status": "closed"},
        {"type": "ssc:caseUpdate", "id": case["id"], "case_id": "x/../../health"},
        {"type": "ssc:caseUpdate", "id": case["id"], "status": "resolved", "url": "http://x"},
        {"type": "ssc:caseList", "status": "gone"},
        {"type": "ssc:caseList", "marketplace": "XX"},
        {"type": "ssc:caseList", "limit": 10_000},
    ):
        reply = page.evaluate(SEND, bad)
        assert reply == {
            "ok": False,
            "error": {"code": "bad_message", "message": f"Malformed {bad['type']}"},
        }, bad
    assert backend_json(case_log, f"/api/v1/cases/{case['id']}")["status"] == "replied"

    # Only content scripts on Seller Central record cases; our pages cannot.
    reply = page.evaluate(
        SEND,
        {
            "type": "ssc:caseRecord",
            "text": "from the popup",
            "category": "other",
            "marketplace": "US",
            "contact_method": "case",
        },
    )
    assert reply["ok"] is False and reply["error"]["code"] == "unknown_type"
    assert backend_json(case_log, "/api/v1/cases")["total"] == 1


def test_background_case_list_with_backend_down(page, ext, case_log, closed_port):
    page.goto(ext.url("popup/popup.html"))
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    reply = page.evaluate(SEND, {"type": "ssc:caseList", "status": "open"})
    assert reply["ok"] is False and reply["error"]["code"] == "offline"


def wait_for_cases(base_url: str, count: int, timeout: float = 5.0) -> list[dict]:
    """The case log once it holds `count` cases (recording is fire-and-forget)."""
    deadline = time.monotonic() + timeout
    while True:
        cases = backend_json(base_url, "/api/v1/cases")["cases"]
        if len(cases) >= count or time.monotonic() > deadline:
            assert len(cases) == count, cases
            return cases
        time.sleep(0.05)


# Advertising with a campaign id: precheck finds nothing, so the submit goes straight through.
ADS_TEXT = (
    "Hello, campaign ID 99881 rejects every daily budget change with an error since Monday. "
    "Please advise how to fix it."
)


def submit_on_get_support(page, text: str, hint: str | None = None) -> None:
    """Type `text` in the Help Hub description, wait for the `hint` category if given, submit."""
    page.locator("#issue-details").fill(text)
    if hint is not None:
        expect(page.locator(HINT)).to_have_attribute("data-ssc-category", hint)
    page.get_by_role("button", name="Submit").click()


def test_submit_that_goes_through_records_the_case(page, ext, case_log):
    ext.set_settings(recordCases=True)
    open_get_support(page)
    submit_on_get_support(page, ADS_TEXT, "advertising")
    wait_submits(page, 1)
    [case] = wait_for_cases(case_log, 1)
    assert case["text"] == ADS_TEXT
    assert case["category"] == "advertising"
    assert case["suggested"] == "advertising"  # our top hint, and the seller kept it
    assert case["marketplace"] == "US"
    assert case["contact_method"] == "case"
    assert case["status"] == "open" and case["replied_at"] is None
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_submit_anyway_records_the_case_with_the_precheck_category(page, ext, case_log):
    ext.set_settings(recordCases=True)
    open_contact_us(page)
    text = "我的商品listing被下架了，请帮忙恢复，谢谢（记录测试）"
    page.locator("kat-radiobutton[value='chat']").click()
    page.locator("kat-textarea textarea").fill(text)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.locator("kat-button").click()
    panel = page.locator(PRECHECK)
    expect(panel).to_be_visible()
    # Held, not yet sent: nothing recorded.
    assert backend_json(case_log, "/api/v1/cases")["total"] == 0
    panel.locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    [case] = wait_for_cases(case_log, 1)
    assert (case["text"], case["category"], case["contact_method"]) == (
        text,
        "listing_removed",
        "chat",
    )
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_fix_records_nothing_and_the_log_can_be_switched_off(page, ext, case_log):
    open_get_support(page)
    # Switched off (the test default): the submit goes through, nothing is recorded.
    submit_on_get_support(page, "Campaign 55 stopped spending. " + ADS_TEXT)
    wait_submits(page, 1)
    # "Fix" keeps the case unsent: nothing is recorded either.
    ext.set_settings(recordCases=True)
    submit_on_get_support(
        page, "My listing was removed from search, please help.", "listing_removed"
    )
    expect(page.locator(PRECHECK)).to_be_visible()
    page.locator('[data-ssc-action="fix"]').click()
    expect(page.locator(PRECHECK)).to_have_count(0)
    # A later submit that goes through is the only case in the log.
    submit_on_get_support(page, ADS_TEXT, "advertising")
    wait_submits(page, 2)
    [case] = wait_for_cases(case_log, 1)
    assert case["text"] == ADS_TEXT
    assert submits(page) == 2


def test_recording_with_backend_down_never_blocks_the_submit(page, ext, case_log, closed_port):
    ext.set_settings(recordCases=True, backendUrl=f"http://127.0.0.1:{closed_port}")
    open_get_support(page)
    submit_on_get_support(page, ADS_TEXT)
    wait_submits(page, 1)
    expect(page.locator(PRECHECK)).to_have_count(0)
    ext.set_settings(backendUrl=case_log)
    assert backend_json(case_log, "/api/v1/cases")["total"] == 0
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_options_switch_the_case_log(page, ext):
    ext.set_settings(recordCases=True)
    page.goto(ext.url("options/options.html"))
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    expect(page.locator("#recordCases")).to_be_checked()
    page.locator("#recordCases").uncheck()
    page.locator("#save").click()
    expect(page.locator("#saved")).to_be_visible()
    assert ext.settings()["recordCases"] is False
    assert page.ssc_errors == []


DUP_TEXT = (
    "Hello, campaign ID 77123 stopped delivering impressions yesterday although the daily "
    "budget is not used up. Please advise how to fix it."
)


def test_filing_the_same_case_again_shows_the_duplicate_warning(page, ext, case_log, artifacts_dir):
    ext.set_settings(recordCases=True)
    # 1. The seller files a case; precheck finds nothing and the submit goes through.
    open_get_support(page)
    submit_on_get_support(page, DUP_TEXT, "advertising")
    wait_submits(page, 1)
    [earlier] = wait_for_cases(case_log, 1)

    # 2. Later, the same text again: the submit is held with the duplicate warning.
    open_get_support(page)
    submit_on_get_support(page, DUP_TEXT)
    panel = page.locator(PRECHECK)
    finding = panel.locator('[data-ssc-finding="duplicate_case"]')
    expect(finding).to_have_count(1)
    expect(finding).to_have_attribute("data-severity", "warning")
    detail = finding.locator("[data-ssc-dup-case]")
    expect(detail).to_have_attribute("data-ssc-dup-case", str(earlier["id"]))
    # How long ago in the warning, the date and time under it: each once.
    expect(finding).to_contain_text("less than an hour ago")
    expect(detail).to_contain_text("The earlier case was filed ")
    expect(detail).not_to_contain_text("ago")
    # Our case log's own number is never shown: a seller would take it for Amazon's.
    expect(finding).not_to_contain_text(f"#{earlier['id']}")
    expect(detail.locator("[data-ssc-dup-link]")).to_have_attribute(
        "href", "https://sellercentral.amazon.com/cu/case-lobby"
    )
    assert submits(page) == 0

    # 3. "Fix" keeps it unsent. Once Amazon's case id is known, the warning links to it.
    panel.locator('[data-ssc-action="fix"]').click()
    status, _ = backend_call(
        case_log, "PATCH", f"/api/v1/cases/{earlier['id']}", {"case_id": "17234567890"}
    )
    assert status == 200
    page.get_by_role("button", name="Submit").click()
    expect(finding).to_have_count(1)
    assert finding.text_content().count("Amazon case 17234567890") == 1
    expect(detail.locator("[data-ssc-dup-link]")).to_have_attribute(
        "href",
        "https://sellercentral.amazon.com/cu/case-dashboard/view-case?caseID=17234567890",
    )
    panel.locator(".dialog").screenshot(path=str(artifacts_dir / "precheck-duplicate-en.png"))
    assert submits(page) == 0
    assert backend_json(case_log, "/api/v1/cases")["total"] == 1
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


@pytest.mark.parametrize(
    ("hours", "age"), [(23, "23 hours ago"), (30, "1 day ago"), (50, "2 days ago")]
)
def test_duplicate_age_in_days_from_the_contracts_threshold(page, ext, case_log, hours, age):
    # Hours below the contract's case_age_days_from_hours, whole days from it, in the
    # backend's wording of the finding, said once (the line under it gives the date only).
    assert backend_json(case_log, "/api/v1/contract")["case_age_days_from_hours"] == 24
    filed = datetime.now(UTC) - timedelta(hours=hours, minutes=5)
    earlier = new_case(case_log, text=DUP_TEXT, category="advertising", filed_at=filed.isoformat())
    open_get_support(page)
    submit_on_get_support(page, DUP_TEXT)
    detail = page.locator(f'{PRECHECK} [data-ssc-finding="duplicate_case"] [data-ssc-dup-case]')
    expect(detail).to_have_attribute("data-ssc-dup-case", str(earlier["id"]))
    finding = page.locator(f'{PRECHECK} [data-ssc-finding="duplicate_case"]')
    assert finding.text_content().count(age) == 1
    expect(detail).not_to_contain_text(age)


def test_duplicate_warning_in_chinese(page, ext, case_log):
    ext.set_settings(uiLanguage="zh_CN")
    text = "我的商品listing被下架了，ASIN B0DUPTEST1，请帮忙恢复"
    earlier = new_case(case_log, text=text, category="listing_removed")
    open_contact_us(page)
    page.locator("kat-textarea textarea").fill(text)
    page.locator("kat-button").click()
    detail = page.locator(f'{PRECHECK} [data-ssc-finding="duplicate_case"] [data-ssc-dup-case]')
    expect(detail).to_have_attribute("data-ssc-dup-case", str(earlier["id"]))
    expect(detail).to_contain_text("之前的工单提交于 ")
    expect(page.locator(PRECHECK)).to_contain_text("不到 1 小时前")
    expect(detail).not_to_contain_text("小时前")
    expect(detail.locator("[data-ssc-dup-link]")).to_have_text("打开工单记录")
    # The article's warning says so; Amazon's own guidance (checks.yaml see_also) sits beside it.
    finding = page.locator(f'{PRECHECK} [data-ssc-finding="duplicate_case"]')
    article = finding.locator(':scope > [data-ssc-source="article"]')
    expect(article).to_have_text("来自文章（未经证实）")
    advice = finding.locator("[data-ssc-advice-item] > [data-ssc-source]")
    expect(advice.first).to_be_visible()
    # Amazon's guidelines, known from a public summary of the page: labelled as such.
    assert set(advice.all_text_contents()) == {"亚马逊官方（公开转述）"}


def test_popup_lists_open_cases_and_marks_them_replied_or_resolved(
    page, ext, case_log, artifacts_dir
):
    now = datetime.now(UTC)
    old = new_case(
        case_log,
        text="Account deactivated for order defect rate, appeal submitted, no answer.",
        category="account_deactivation",
        marketplace="DE",
        filed_at=(now - timedelta(days=20)).isoformat(),  # past any holiday peak's reply_by
    )
    fresh = new_case(
        case_log, case_id="17234567891", filed_at=(now - timedelta(hours=5)).isoformat()
    )
    done = new_case(case_log, text="Payment hold released, thanks.", category="payment_anomaly")
    status, _ = backend_call(
        case_log, "PATCH", f"/api/v1/cases/{done['id']}", {"status": "resolved"}
    )
    assert status == 200

    page.goto(ext.url("popup/popup.html"))
    cases = page.locator("[data-ssc='cases']")
    expect(cases).to_have_attribute("data-ssc-cases-state", "live")
    rows = cases.locator("[data-ssc-case]")
    # Open cases only, oldest first; the one past its reply_by is marked with the follow-up
    # advice, and the other says when a reply is expected.
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-ssc-case", str(old["id"]))
    expect(rows.nth(1)).to_have_attribute("data-ssc-case", str(fresh["id"]))
    expect(page.locator("#cases-title")).to_have_text("Open cases (2)")
    old_row = cases.locator(f"[data-ssc-case='{old['id']}']")
    fresh_row = cases.locator(f"[data-ssc-case='{fresh['id']}']")
    expect(old_row).to_have_attribute("data-ssc-overdue", "true")
    expect(old_row.locator("[data-ssc-case-age]")).to_have_attribute("data-ssc-case-age", "480")
    expect(old_row.locator("[data-ssc-case-age]")).to_have_text("open 20 days")
    # The heading says the promise passed; the checklist under it (checked below) says what to do.
    expect(old_row.locator("[data-ssc-followup]")).to_contain_text("No reply by")
    # Our log's own row number is not Amazon's case id and is never shown as one.
    expect(old_row.locator(".case-head")).not_to_contain_text(f"#{old['id']}")
    expect(old_row.locator("[data-ssc-followup]")).to_have_attribute(
        "data-ssc-followup", old["followup_due_at"]
    )
    # An account case also gets the route the backend's follow-ups give account cases.
    followups = backend_json(case_log, "/api/v1/cases/followups")
    route = followups["account_route"]
    assert [f["account_route"] for f in followups["followups"]] == [True]
    expect(old_row.locator(f"[data-ssc-account-route='{route['id']}']")).to_contain_text(
        route["text"]["en"]
    )
    expect(fresh_row.locator("[data-ssc-account-route]")).to_have_count(0)
    # The follow-up checklist as served, each step labelled Amazon's or the article's.
    served = backend_json(case_log, "/api/v1/facts")
    steps = old_row.locator("[data-ssc-advice-item]")
    expect(steps).to_have_count(len(served["followup_steps"]))
    assert [steps.nth(i).get_attribute("data-ssc-advice-item") for i in range(steps.count())] == (
        served["followup_steps"]
    )
    amazon = old_row.locator('[data-ssc-advice-item] > [data-ssc-source="amazon"]')
    expect(amazon.first).to_have_text("Amazon (as publicly quoted)")  # the guidelines' summary
    expect(fresh_row.locator("[data-ssc-advice-item]")).to_have_count(0)
    expect(old_row).to_contain_text("DE")
    labels = {
        c["id"]: c["label"]["en"]
        for c in backend_json(case_log, "/api/v1/categories")["categories"]
    }
    expect(old_row).to_contain_text(labels["account_deactivation"])
    expect(fresh_row).to_have_attribute("data-ssc-overdue", "false")
    expect(fresh_row.locator("[data-ssc-case-age]")).to_have_text("open 5 h")
    expect(fresh_row.locator("[data-ssc-followup]")).to_have_count(0)
    expect(fresh_row.locator("[data-ssc-case-due]")).to_contain_text("reply expected by")
    expect(fresh_row).to_contain_text("Amazon case 17234567891")
    expect(fresh_row).not_to_contain_text("null")
    page.screenshot(path=str(artifacts_dir / "popup-cases-en.png"), full_page=True)

    # Mark one replied, the other resolved: each leaves the list and the backend records it.
    fresh_row.locator("[data-ssc-case-action='replied']").click()
    expect(rows).to_have_count(1)
    replied = backend_json(case_log, f"/api/v1/cases/{fresh['id']}")
    assert replied["status"] == "replied" and replied["replied_at"]
    old_row.locator("[data-ssc-case-action='resolved']").click()
    expect(rows).to_have_count(0)
    expect(cases).to_have_attribute("data-ssc-cases-state", "empty")
    expect(page.locator("#cases-status")).to_contain_text("No open cases")
    assert backend_json(case_log, f"/api/v1/cases/{old['id']}")["status"] == "resolved"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_popup_cases_in_chinese_and_offline(page, ext, case_log, closed_port):
    ext.set_settings(uiLanguage="zh_CN")
    new_case(case_log, filed_at=(datetime.now(UTC) - timedelta(days=20)).isoformat())
    page.goto(ext.url("popup/popup.html"))
    row = page.locator("[data-ssc='cases'] [data-ssc-case]")
    expect(row).to_have_attribute("data-ssc-overdue", "true")
    expect(row.locator("[data-ssc-case-age]")).to_have_text("已等待 20 天")
    expect(row.locator("[data-ssc-followup]")).to_contain_text("已过预计回复时间")
    expect(row.locator("[data-ssc-case-action='resolved']")).to_have_text("标为已解决")

    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    page.reload()
    cases = page.locator("[data-ssc='cases']")
    expect(cases).to_have_attribute("data-ssc-cases-state", "offline")
    expect(page.locator("#cases-status")).to_have_text("无法读取工单记录：规则后端未连接。")
    expect(cases.locator("[data-ssc-case]")).to_have_count(0)


# ---------------------------------------------------------------- follow-up reminders

REMINDER = "ssc-followup:"

STATE = """async () => ({
    alarms: Object.fromEntries((await chrome.alarms.getAll())
        .filter((a) => a.name.startsWith('ssc-followup:'))
        .map((a) => [a.name, a.scheduledTime])),
    reminders: (await chrome.storage.local.get('reminders')).reminders || {},
    notifications: Object.keys(await chrome.notifications.getAll()),
})"""

CLEAR = """async () => {
    for (const a of await chrome.alarms.getAll())
        if (a.name.startsWith('ssc-followup:')) await chrome.alarms.clear(a.name);
    for (const id of Object.keys(await chrome.notifications.getAll()))
        await chrome.notifications.clear(id);
    await chrome.storage.local.remove('reminders');
}"""


@pytest.fixture()
def reminders(ext, case_log):
    """The worker's reminder state, cleared before and after the test."""
    ext.worker.evaluate(CLEAR)
    yield lambda: ext.worker.evaluate(STATE)
    ext.worker.evaluate(CLEAR)


def wait_state(read, predicate, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = read()
        if predicate(state):
            return state
        assert time.monotonic() < deadline, state
        time.sleep(0.1)


def ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def test_recorded_case_gets_an_alarm_at_its_reply_by_that_marking_it_replied_clears(
    page, ext, case_log, reminders
):
    ext.set_settings(recordCases=True)
    open_get_support(page)
    submit_on_get_support(page, ADS_TEXT, "advertising")
    [case] = wait_for_cases(case_log, 1)
    name = f"{REMINDER}{case['id']}"
    state = wait_state(reminders, lambda s: name in s["alarms"])
    # The case's reply_by (72 h, or a holiday peak's business days), from the moment
    # /api/v1/cases/followups lists it.
    due = case["followup_due_at"]
    assert state["alarms"][name] == ms(due)
    listed = backend_json(case_log, "/api/v1/cases/followups", {"at": due})["followups"]
    assert [(f["case"]["id"], f["due_at"]) for f in listed] == [(case["id"], due)]
    assert state["reminders"][str(case["id"])]["notified"] is False
    assert state["notifications"] == []

    popup = ext.context.new_page()
    popup.goto(ext.url("popup/popup.html"))
    popup.locator(f"[data-ssc-case='{case['id']}'] [data-ssc-case-action='replied']").click()
    expect(popup.locator("[data-ssc-case]")).to_have_count(0)
    state = wait_state(reminders, lambda s: name not in s["alarms"])
    assert str(case["id"]) not in state["reminders"]
    popup.close()


def test_case_past_its_reply_by_notifies_once_and_the_notification_opens_it(
    ext, case_log, reminders
):
    ext.set_settings(recordCases=True)
    case = new_case(
        case_log,
        case_id="17234567892",
        filed_at=(datetime.now(UTC) - timedelta(days=20)).isoformat(),  # past any peak's
    )
    # The hourly reconcile picks up cases filed elsewhere; past due, the alarm goes off at once.
    ext.worker.evaluate("() => SSC.reminders.sync()")
    name = f"{REMINDER}{case['id']}"

    def notified(state: dict) -> bool:  # the worker shows the notification, then stores it
        return bool(state["notifications"]) and state["reminders"][str(case["id"])]["notified"]

    state = wait_state(reminders, notified)
    assert state["notifications"] == [name]
    assert state["reminders"][str(case["id"])]["notified"] is True
    # Once: the next reconcile and a restart do not arm it again.
    ext.worker.evaluate("() => SSC.reminders.sync().then(() => SSC.reminders.start())")
    assert name not in reminders()["alarms"]

    # A click on the notification opens the case on the marketplace's Seller Central.
    with ext.context.expect_page() as opened:
        url = ext.worker.evaluate(f"() => SSC.reminders.open('{case['id']}')")
    assert url == "https://sellercentral.amazon.com/cu/case-dashboard/view-case?caseID=17234567892"
    opened.value.close()
    assert reminders()["notifications"] == []


def test_no_notification_for_a_case_answered_before_its_alarm(ext, case_log, reminders):
    ext.set_settings(recordCases=True)
    case = new_case(case_log, filed_at=(datetime.now(UTC) - timedelta(days=20)).isoformat())
    status, _ = backend_call(
        case_log, "PATCH", f"/api/v1/cases/{case['id']}", {"status": "replied"}
    )
    assert status == 200
    # A reminder stored before the reply (e.g. replied from another browser) fires...
    ext.worker.evaluate(
        """async (c) => {
            const all = {[c.id]: SSC.reminders.entry({...c, status: 'open'}, null)};
            await chrome.storage.local.set({reminders: all});
            await SSC.reminders.arm(all[c.id]);
        }""",
        case,
    )
    # ...finds the case answered in the backend, and drops it without a notification.
    state = wait_state(reminders, lambda s: str(case["id"]) not in s["reminders"])
    assert state["notifications"] == [] and state["alarms"] == {}


def test_alarms_are_recreated_from_storage_when_the_worker_starts(
    ext, case_log, reminders, closed_port
):
    ext.set_settings(recordCases=True)
    case = new_case(case_log, filed_at=(datetime.now(UTC) - timedelta(hours=10)).isoformat())
    ext.worker.evaluate("() => SSC.reminders.sync()")
    name = f"{REMINDER}{case['id']}"
    due = ms(case["followup_due_at"])
    assert wait_state(reminders, lambda s: name in s["alarms"])["alarms"][name] == due
    # The alarms are gone (as after a browser restart) and the backend is down: the start-up
    # routine brings them back from storage alone.
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    ext.worker.evaluate(
        "async () => { for (const a of await chrome.alarms.getAll())"
        " await chrome.alarms.clear(a.name); }"
    )
    assert reminders()["alarms"] == {}
    ext.worker.evaluate("() => SSC.reminders.start()")
    state = reminders()
    assert state["alarms"] == {name: due}
    assert ext.worker.evaluate("async () => !!(await chrome.alarms.get('ssc-followup-sync'))")


# ---------------------------------------------------------------- Amazon's case id


def test_amazon_case_id_on_the_confirmation_is_stored_on_the_recorded_case(
    page, ext, case_log, reminders
):
    ext.set_settings(recordCases=True)
    open_get_support(page)
    page.evaluate("window.__confirmCaseId = '17234567893'")
    submit_on_get_support(page, ADS_TEXT, "advertising")
    expect(page.locator(".confirmation .case-id")).to_have_text("17234567893")
    [case] = wait_for_cases(case_log, 1)
    deadline = time.monotonic() + 5
    while case["case_id"] is None and time.monotonic() < deadline:
        time.sleep(0.1)
        case = backend_json(case_log, f"/api/v1/cases/{case['id']}")
    assert case["case_id"] == "17234567893"
    # The reminder links to Amazon's case from now on.
    stored = wait_state(reminders, lambda s: s["reminders"].get(str(case["id"]), {}).get("case_id"))
    assert stored["reminders"][str(case["id"])]["case_id"] == "17234567893"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_case_ids_on_pages_without_a_fresh_submit_change_nothing(page, ext, case_log):
    ext.set_settings(recordCases=True)
    case = new_case(case_log)
    # The case log lists an older case id; this tab recorded nothing: it is not assigned.
    page.goto("https://sellercentral.amazon.com/cu/case-lobby")
    expect(page.locator('[data-ssc="overlay"]')).to_have_count(1)
    page.wait_for_timeout(1000)
    assert backend_json(case_log, f"/api/v1/cases/{case['id']}")["case_id"] is None
    # Our pages cannot send it either.
    popup = ext.context.new_page()
    popup.goto(ext.url("popup/popup.html"))
    reply = popup.evaluate(SEND, {"type": "ssc:caseIdSeen", "case_id": "1234567891"})
    assert reply["ok"] is False and reply["error"]["code"] == "unknown_type"
    popup.close()
    assert backend_json(case_log, f"/api/v1/cases/{case['id']}")["case_id"] is None

"""The background as modules: it runs from its module files, takes its numbers from the
contract (served, else cached, else the built-in copy), cuts long texts to the contract's
limit instead of failing, and times reminders by each case's due time from the backend."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from .conftest import EXTENSION_DIR, GET_SUPPORT
from .helpers import OVERLAY, ContentWorld, backend_json
from .test_case_log import REMINDER, ms, new_case, reminders, wait_state  # noqa: F401 (fixture)

SEND = "(msg) => chrome.runtime.sendMessage(msg)"
HOUR_MS = 3600 * 1000
MODULES = ["checks", "client", "cache", "contract", "locale", "cases", "reminders", "router"]

# An advertising problem, written out at length: 12,600 characters, over the 10,000 limit.
LONG_ADS_TEXT = (
    "Hello, campaign ID 99881 rejects every daily budget change with an error since Monday. " * 150
)[:12_600]


def test_background_runs_from_its_module_files(ext):
    worker = ext.worker
    assert worker.url == ext.url("background/main.js")
    loaded = worker.evaluate("(names) => names.filter((n) => !!SSC[n])", MODULES)
    assert loaded == MODULES
    # One table of timeouts, one per kind of call.
    assert worker.evaluate("() => SSC.client.TIMEOUTS") == {
        "default": 5000,
        "health": 2500,
        "classify": 4000,
        "compose": 4000,
        "precheck": 1500,
        "followup": 2500,
    }


def test_contract_from_backend_then_cache_then_builtin(page, ext, closed_port):
    served = backend_json(ext.backend_url, "/api/v1/contract")
    # The options page asks nothing of the contract itself (the popup does, as it loads).
    page.goto(ext.url("options/options.html"))
    expect(page.locator("body[data-ssc-ready='true']")).to_have_count(1)
    reply = page.evaluate(SEND, {"type": "ssc:contract"})
    assert reply["ok"] is True and reply["source"] == "live" and reply["data"] == served

    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    reply = page.evaluate(SEND, {"type": "ssc:contract"})
    assert reply["ok"] is True and reply["source"] == "cache" and reply["data"] == served
    assert reply["error"]["code"] == "offline"

    ext.clear_cache()
    reply = page.evaluate(SEND, {"type": "ssc:contract"})
    assert reply["ok"] is True and reply["source"] == "default"
    assert reply["data"] == ext.worker.evaluate("() => SSC.DEFAULT_CONTRACT") == served
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_long_description_is_cut_to_the_contract_limit_not_refused(page, ext):
    limit = backend_json(ext.backend_url, "/api/v1/contract")["max_text_length"]
    assert len(LONG_ADS_TEXT) > limit
    page.goto(ext.url("popup/popup.html"))
    classified = page.evaluate(
        SEND, {"type": "ssc:classify", "text": LONG_ADS_TEXT, "marketplace": "US"}
    )
    assert classified["ok"] is True, classified
    assert classified["data"]["suggestions"][0]["category"] == "advertising"
    checked = page.evaluate(
        SEND,
        {
            "type": "ssc:precheck",
            "text": LONG_ADS_TEXT,
            "marketplace": "US",
            "category": None,
            "contact_method": "case",
            "attachments": [],
        },
    )
    assert checked["ok"] is True, checked
    assert isinstance(checked["data"]["findings"], list)
    # Four times the limit and more is no description box's text: refused, nothing sent.
    refused = page.evaluate(
        SEND, {"type": "ssc:classify", "text": "x" * (4 * limit + 1), "marketplace": "US"}
    )
    assert refused["error"]["code"] == "bad_message"


def test_long_case_is_recorded_cut_to_the_limit(page, ext, case_log):
    """From a real content script: the case is logged with its first max_text_length
    characters, counted as the backend counts them (a character outside the BMP is one)."""
    limit = backend_json(case_log, "/api/v1/contract")["max_text_length"]
    ext.set_settings(recordCases=True)
    page.goto(GET_SUPPORT)
    expect(page.locator(OVERLAY)).to_have_count(1)
    text = "x" * (limit - 1) + "\U0001f600" + LONG_ADS_TEXT
    reply = ContentWorld(page).eval(
        "chrome.runtime.sendMessage("
        + json.dumps(
            {
                "type": "ssc:caseRecord",
                "text": text,
                "category": "advertising",
                "marketplace": "US",
                "contact_method": "case",
            }
        )
        + ")"
    )
    assert reply["ok"] is True, reply
    stored = backend_json(case_log, f"/api/v1/cases/{reply['data']['id']}")
    assert stored["text"] == text[:limit]  # Python counts code points: the emoji is whole
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


def test_reminders_go_off_at_the_backends_reply_by_and_not_for_phone(ext, case_log, reminders):  # noqa: F811
    """The alarm is at the case's followup_due_at, which is the reply_by the hours report
    promised at filing (a Thanksgiving case: 5 business days, not 72 h); a phone case has
    no due time and no alarm."""
    ext.set_settings(recordCases=True)
    filed_at = "2026-11-26T15:00:00+00:00"  # 10:00 US Eastern on Thanksgiving
    hours = backend_json(case_log, "/api/v1/hours", {"marketplace": "US", "at": filed_at})
    promised = next(c for c in hours["channels"] if c["channel"] == "case")["reply_by"]
    case = new_case(case_log, filed_at=filed_at)
    phone = new_case(case_log, contact_method="phone", filed_at=filed_at)
    assert phone["followup_due_at"] is None
    assert ms(case["followup_due_at"]) == ms(promised) > ms(filed_at) + 72 * HOUR_MS
    ext.worker.evaluate("() => SSC.reminders.sync()")
    name = f"{REMINDER}{case['id']}"
    state = wait_state(reminders, lambda s: str(case["id"]) in s["reminders"])
    assert state["reminders"][str(case["id"])]["due"] == ms(promised)
    assert str(phone["id"]) not in state["reminders"]
    assert f"{REMINDER}{phone['id']}" not in state["alarms"]
    assert name in state["alarms"] or state["reminders"][str(case["id"])]["notified"]


def test_notification_opens_the_case_link_of_the_served_selectors(ext, case_log, reminders):  # noqa: F811
    """The case page's path comes from the selectors (here a cached copy that moved it)."""
    ext.set_settings(recordCases=True)
    selectors = backend_json(case_log, "/api/v1/selectors")
    selectors["case_links"]["case"]["path"] = "/cu/case-dashboard/case?id={case_id}"
    ext.worker.evaluate(
        "(data) => chrome.storage.local.set({'cache:selectors':"
        " {data, fetchedAt: new Date().toISOString()}})",
        selectors,
    )
    try:
        case = new_case(case_log, case_id="17234567894", marketplace="DE")
        ext.worker.evaluate("() => SSC.reminders.sync()")
        wait_state(reminders, lambda s: str(case["id"]) in s["reminders"])
        with ext.context.expect_page() as opened:
            url = ext.worker.evaluate(f"() => SSC.reminders.open('{case['id']}')")
        opened.value.close()
        assert url == "https://sellercentral.amazon.de/cu/case-dashboard/case?id=17234567894"
    finally:
        ext.clear_cache()


def test_case_links_that_leave_seller_central_are_not_used(ext):
    """A case link must be a path on Seller Central's own origin: "@evil.example/…" after
    the origin would make it a link to another host."""
    foreign = {"case": {"path": "@evil.example/{case_id}"}, "case_log": {"path": "@evil.example/"}}
    url = ext.worker.evaluate(
        "(links) => SSC.caseUrl('https://sellercentral.amazon.com', links, '12345678901')", foreign
    )
    assert url == "https://sellercentral.amazon.com/cu/case-dashboard/view-case?caseID=12345678901"
    served = ext.worker.evaluate("() => SSC.DEFAULT_SELECTORS")
    assert ext.worker.evaluate("(d) => SSC.cache.SHAPES.selectors(d)", served)
    assert not ext.worker.evaluate(
        "(d) => SSC.cache.SHAPES.selectors(d)", {**served, "case_links": foreign}
    )


def test_the_follow_up_notification_gives_the_checklists_first_steps_labelled(ext):
    """The notification's advice is the served checklist (facts.yaml followup.steps), each
    step with its source label (Amazon / the article), not a hard-coded copy."""
    facts = backend_json(ext.backend_url, "/api/v1/facts")
    by_id = {f["id"]: f for f in facts["facts"]}
    messages = json.loads((EXTENSION_DIR / "_locales" / "en" / "messages.json").read_text("utf-8"))

    def label(source: dict) -> str:
        if source["kind"] == "article":
            return messages["sourceArticle"]["message"]
        quoted = source["paraphrase"]  # Amazon's words known from a public summary
        return messages["sourceAmazonParaphrase" if quoted else "sourceAmazon"]["message"]

    lines = ext.worker.evaluate(
        "async () => { await SSC.i18n.init('en'); return SSC.reminders.advice(SSC.i18n); }"
    )
    first = [by_id[i] for i in facts["followup_steps"]][: len(lines)]
    assert len(lines) == 2
    assert lines == [f"{label(f['source'])} {f['text']['en']}" for f in first]


NOTIFY_CAPTURED = """async (cases) => {
    const created = [];
    const create = SSC.api.notifications.create;
    SSC.api.notifications.create = (id, options) => (created.push(options), create(id, options));
    try {
        for (const c of cases) await SSC.reminders.notify(SSC.reminders.entry(c, null));
    } finally {
        SSC.api.notifications.create = create;
    }
    return created;
}"""


def test_the_notification_names_amazons_case_id_else_none_and_routes_account_cases(
    ext,
    case_log,
    reminders,  # noqa: F811
):
    """Never our log's row number (a seller would quote it to Amazon): Amazon's case id, or
    "No Amazon case ID yet" with the case's own words; an account case also gets the
    Amazon Ads route the backend's follow-ups give it."""
    ext.set_settings(recordCases=True, uiLanguage="en")
    messages = json.loads((EXTENSION_DIR / "_locales" / "en" / "messages.json").read_text("utf-8"))
    long_ago = (datetime.now(UTC) - timedelta(days=20)).isoformat()
    account = new_case(
        case_log,
        category="account_deactivation",
        text="Our seller account was deactivated yesterday.",
        filed_at=long_ago,
    )
    known = new_case(case_log, case_id="17234567893", filed_at=long_ago)
    route = backend_json(case_log, "/api/v1/cases/followups")["account_route"]["text"]["en"]

    first, second = ext.worker.evaluate(NOTIFY_CAPTURED, [account, known])
    assert messages["caseNoAmazonId"]["message"] in first["title"]
    assert f"#{account['id']}" not in first["title"] + first["message"]
    assert account["text"] in first["message"] and route in first["message"]
    amazon_id = messages["caseAmazonId"]["message"].replace("$ID$", "17234567893")
    assert amazon_id in second["title"] and f"#{known['id']}" not in second["title"]
    assert route not in second["message"]  # a logistics case: no account route


def test_a_case_pages_id_is_read_with_the_case_link(ext):
    """SSC.casePageId: on the case link's path, the id from its parameter (caseID=); ""
    there without one; null on any other page. A moved link moves it."""
    read = "([href, links]) => SSC.casePageId(new URL(href), links)"
    served = backend_json(ext.backend_url, "/api/v1/selectors")["case_links"]
    view = "https://sellercentral.amazon.com/cu/case-dashboard/view-case"
    assert ext.worker.evaluate(read, [view + "?caseID=22153077391", served]) == "22153077391"
    assert ext.worker.evaluate(read, [view, served]) == ""
    assert ext.worker.evaluate(read, [GET_SUPPORT, served]) is None
    moved = {**served, "case": {"path": "/cu/case?id={case_id}"}}
    assert ext.worker.evaluate(read, ["https://x.test/cu/case?id=12345678", moved]) == "12345678"
    assert ext.worker.evaluate(read, [view + "?caseID=22153077391", moved]) is None

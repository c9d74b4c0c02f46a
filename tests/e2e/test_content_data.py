"""The content features read their rules from data, not from copies in JavaScript: the
contract (text limit, identifier patterns), the selectors' contact-method words, and the
backend's advise_english."""

from __future__ import annotations

import re
import time
import unicodedata

import pytest
from playwright.sync_api import expect

from seller_support.domain.contract import build_contract, identifier_patterns
from seller_support.rules import load_rules

from .helpers import (
    HINT,
    PRECHECK,
    SUBMIT_ANYWAY,
    ContentWorld,
    backend_call,
    backend_json,
    delete_all_cases,
    submits,
    wait_submits,
)
from .test_case_log import ADS_TEXT, wait_for_cases
from .test_contact_us_kat import open_contact_us
from .test_get_support_helphub import open_get_support

# ASCII texts with each kind of id, and near-misses that must not match.
SAMPLES = [
    "Order 123-1234567-1234567 and 113-7654321-7654321 arrived damaged.",
    "订单号123-1234567-1234567，ASIN是B0C1234XYZ，工单17234567890",
    "Near misses: 1234-1234567-1234567, 123-1234567-12345678, 12-1234567-1234567.",
    "ASIN b0c1234xyz and B0C1234XYZ; not B0C1234XY, B0C1234XYZ1, XB0C1234XYZ or B1C1234XYZ.",
    "ISBN-10 ASINs 0316769487, 030640615X and 030640615x; not 03167694871 nor 031676948.",
    "Case ID 17234567890, older case 1234567891; not 123456789012 nor 123456789.",
    "Shipment FBA17TEST001 and FBA15ABCDEFGH; not FBA1234567, xFBA17TEST001 or FBA17test001.",
]
# What Chinese IMEs type: full-width digits and letters. The backend folds them (NFKC).
FULL_WIDTH = (
    "订单１２３-１２３４５６７-１２３４５６７，ＡＳＩＮ ｂ０ｃ１２３４ｘｙｚ，"
    "货件ＦＢＡ１７ＴＥＳＴ００１"
)

WAIT_SERVED_CONTRACT = """
new Promise((resolve, reject) => {
  const start = performance.now();
  const check = () => {
    if (SSC.ctx.store.get("contract") !== SSC.DEFAULT_CONTRACT) resolve(true);
    else if (performance.now() - start > 5000) reject(new Error("no served contract"));
    else setTimeout(check, 20);
  };
  check();
})
"""

# Every match of every identifier RegExp of the page's contract, on each sample.
JS_ALL_MATCHES = """
((samples) => {
  const ids = SSC.ctx.store.get("contract").identifiers;
  return samples.map((text) => Object.fromEntries(Object.entries(ids).map(([name, p]) =>
    [name, [...text.matchAll(new RegExp(p.source, p.flags + "g"))].map((m) => m[0])])));
})(%s)
"""

# What the features use: the first match, after the NFKC fold.
JS_FIRST_MATCH = """
((samples) => {
  const contract = SSC.ctx.store.get("contract");
  return samples.map((text) => Object.fromEntries(Object.keys(contract.identifiers).map(
    (name) => [name, SSC.findIdentifier(text, contract, name)])));
})(%s)
"""


def served_contract_world(page) -> ContentWorld:
    """Our content script's world on the Contact us page, once the served contract is in."""
    open_contact_us(page)
    world = ContentWorld(page)
    world.eval(WAIT_SERVED_CONTRACT)
    return world


def test_identifier_regexps_in_the_page_match_what_python_matches(page, ext):
    rules = load_rules()
    patterns = identifier_patterns(rules)
    world = served_contract_world(page)
    assert world.eval('SSC.ctx.store.get("contract")') == build_contract(rules)

    js = world.eval(JS_ALL_MATCHES % repr(SAMPLES))
    py = [
        {name: [m.group(0) for m in re.finditer(p, text)] for name, p in patterns.items()}
        for text in SAMPLES
    ]
    assert js == py
    # The samples are worth something: every kind of id matched, ISBN-10 ASINs included.
    found = {name: sum((row[name] for row in py), []) for name in patterns}
    assert all(found.values()), found
    assert {"0316769487", "030640615X", "030640615x"} <= set(found["asin"])

    # The features' helper: the first match of the NFKC-folded text, as the backend folds it.
    texts = [*SAMPLES, FULL_WIDTH]
    firsts = world.eval(JS_FIRST_MATCH % repr(texts))
    for text, got in zip(texts, firsts, strict=True):
        folded = unicodedata.normalize("NFKC", text)
        want = {}
        for name, p in patterns.items():
            m = re.search(p, folded)
            want[name] = m.group(0) if m else None
        assert got == want, text
    assert firsts[-1]["order_id"] == "123-1234567-1234567"
    assert firsts[-1]["asin"] == "b0c1234xyz"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


@pytest.mark.parametrize(
    ("typed", "asin"),
    [("0316769487", "0316769487"), ("030640615x", "030640615X")],
)
def test_the_composed_case_fills_an_isbn10_asin(page, ext, typed, asin):
    open_contact_us(page)
    ta = page.locator("kat-textarea textarea")
    ta.fill(f"My listing was removed from search, ASIN {typed}.")
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.locator('[data-ssc-action="compose"]').click()
    expect(ta).to_have_value(re.compile(f"Our listing for ASIN {asin} "))
    assert "[ASIN]" not in ta.input_value()


LONG_LINE = "My listing was removed from search, please help me get it back. "


def test_long_description_gets_a_hint_a_check_and_a_logged_case(page, ext, case_log):
    """Over the backend's limit, the first max_text_length characters are sent (it used to
    be a 422: hint "unavailable", the check silently skipped, the case not logged)."""
    ext.set_settings(recordCases=True)
    limit = backend_json(case_log, "/api/v1/contract")["max_text_length"]
    text = (LONG_LINE * 200)[:12_600]
    assert len(text) > limit
    open_get_support(page)
    page.locator("#issue-details").fill(text)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "listing_removed")
    page.get_by_role("button", name="Submit").click()
    panel = page.locator(PRECHECK)
    expect(panel.locator('[data-ssc-finding="missing_asin"]')).to_have_count(1)
    panel.locator(SUBMIT_ANYWAY).click()
    wait_submits(page, 1)
    assert page.evaluate("window.__submitted[0].length") == 12_600  # the page got it all
    [case] = wait_for_cases(case_log, 1)
    assert case["text"] == text[:limit]
    assert case["category"] == "listing_removed"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


# The store's selectors with other contact-method words (as a served copy could carry).
SWAP_WORDS = """
((words) => {
  const store = SSC.ctx.store;
  store.set("selectors", { ...store.get("selectors"), contact_methods: words });
})(%s)
"""


def submit_through(page, n: int, timeout: float = 10.0) -> None:
    """Submit; "Submit anyway" if the check holds it (a closed phone or chat channel is a
    finding at some hours), until the page has counted `n` submits."""
    page.get_by_role("button", name="Submit").click()
    anyway = page.locator(SUBMIT_ANYWAY)
    deadline = time.monotonic() + timeout
    while submits(page) < n:
        assert time.monotonic() < deadline, "the submit never went through"
        if anyway.count():
            anyway.click()
        time.sleep(0.05)


def recorded_contact_method(case_log: str) -> str:
    [case] = wait_for_cases(case_log, 1)
    delete_all_cases(case_log)  # the next submit of the same text is not a duplicate
    return case["contact_method"]


def test_contact_method_is_read_from_the_selectors_words(page, ext, case_log):
    ext.set_settings(recordCases=True)
    open_get_support(page)
    page.locator("#issue-details").fill(ADS_TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "advertising")
    page.locator("#c-phone").check()
    submit_through(page, 1)
    assert recorded_contact_method(case_log) == "phone"

    # The same "Phone" option, read with words in which "phone" means chat.
    served = backend_json(case_log, "/api/v1/selectors")["contact_methods"]
    world = ContentWorld(page)
    world.eval(SWAP_WORDS % repr({**served, "phone": ["telephone"], "chat": ["phone"]}))
    # A case is recorded once: each submit here describes a new one.
    page.locator("#issue-details").fill(ADS_TEXT + " Second case.")
    submit_through(page, 2)
    assert recorded_contact_method(case_log) == "chat"

    # Words that name nothing on the page: a case.
    world.eval(SWAP_WORDS % repr({"phone": ["x1"], "chat": ["x2"], "case": ["x3"]}))
    page.locator("#issue-details").fill(ADS_TEXT + " Third case.")
    submit_through(page, 3)
    assert recorded_contact_method(case_log) == "case"
    assert page.ssc_errors == [] and page.ssc_worker_errors() == []


ADVICE_TEXTS = [
    "My listing was removed from search, please help me get it back.",
    "我的商品listing被下架了，请帮忙恢复",
    # Mixed, and mostly Chinese by the backend's count, which leaves the ASIN out.
    "My listing B0C1234XYZ was removed, 商品被下架了请帮忙恢复",
    # Mixed, mostly English.
    "My listing was removed from search yesterday, 请帮忙",
]


def test_english_advice_follows_advise_english(page, ext):
    verdicts = []
    for text in ADVICE_TEXTS:
        status, data = backend_call(
            ext.backend_url, "POST", "/api/v1/classify", {"text": text, "marketplace": "US"}
        )
        assert status == 200, data
        verdicts.append((data["language"], data["advise_english"]))
        open_get_support(page)
        page.locator("#issue-details").fill(text)
        hint = page.locator(HINT)
        expect(hint).to_have_attribute("data-ssc-category", data["suggestions"][0]["category"])
        advice = hint.locator('[data-ssc-advice="english"]')
        expect(advice).to_have_count(1 if data["advise_english"] else 0)
    # The flag, not the language, decides: mixed texts go both ways.
    assert ("mixed", True) in verdicts and ("mixed", False) in verdicts, verdicts
    assert ("en", False) in verdicts and ("zh", True) in verdicts, verdicts

"""Tips (features/tips.js): the facts of /api/v1/facts shown where their `show_on` says,
each labelled with its source (Amazon / the article), once per situation, and dismissed
for good. Expectations come from the served facts and the locale files, not copies."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from .conftest import EXTENSION_DIR, GET_SUPPORT, VIEW_CASE
from .helpers import OVERLAY, assert_no_errors, backend_json, stored_local
from .test_case_log import wait_state
from .test_contact_us_kat import open_contact_us
from .test_get_support_helphub import open_get_support

TIP = f"{OVERLAY} [data-ssc-tip]"


def label(lang: str, key: str) -> str:
    messages = json.loads((EXTENSION_DIR / "_locales" / lang / "messages.json").read_text("utf-8"))
    return messages[key]["message"]


def served_facts(ext) -> dict[str, dict]:
    return {f["id"]: f for f in backend_json(ext.backend_url, "/api/v1/facts")["facts"]}


def showing(facts: dict, situation: str) -> list[str]:
    return [i for i, f in facts.items() if situation in f["show_on"]]


def tip(page, fact_id: str):
    return page.locator(f'{OVERLAY} [data-ssc-tip="{fact_id}"]')


def shown(page) -> list[tuple[str, str]]:
    found = page.locator(TIP).evaluate_all(
        "tips => tips.map(t => [t.dataset.sscTip, t.dataset.sscSituation])"
    )
    return [tuple(entry) for entry in found]


def forget_tips(ext) -> None:
    ext.worker.evaluate("() => chrome.storage.local.remove('tips')")


def expect_label(page, fact_id: str, text: str) -> None:
    expect(tip(page, fact_id).locator(".tip-text > [data-ssc-source]")).to_have_text(text)


def test_first_visit_and_help_page_tips_once_labelled_and_dismissed_for_good(page, ext):
    ext.set_settings(uiLanguage="zh_CN")
    forget_tips(ext)
    facts = served_facts(ext)
    first_visit, help_page = showing(facts, "first_visit"), showing(facts, "help_page")
    walkthrough = next(i for i in first_visit if facts[i]["steps"])
    statistic = next(i for i in help_page if facts[i]["kind"] == "statistic")

    open_get_support(page)
    expect(tip(page, walkthrough)).to_have_attribute("data-ssc-situation", "first_visit")
    expect(tip(page, statistic)).to_have_attribute("data-ssc-situation", "help_page")
    expect_label(page, walkthrough, label("zh_CN", "sourceArticle"))
    expect_label(page, statistic, label("zh_CN", "sourceArticleStatistic"))
    expect(tip(page, statistic)).to_contain_text(facts[statistic]["text"]["zh"])
    # The walkthrough's steps open on request.
    steps = tip(page, walkthrough).locator("ol li")
    expect(steps.first).to_be_hidden()
    tip(page, walkthrough).locator("summary").click()
    expect(steps).to_have_text([s["zh"] for s in facts[walkthrough]["steps"]])
    first_load = shown(page)
    assert len({fact for fact, _ in first_load}) == len(first_load)  # each tip once

    tip(page, statistic).locator('[data-ssc-action="dismiss-tip"]').click()
    expect(tip(page, statistic)).to_have_count(0)
    assert f"{statistic}@help_page" in stored_local(ext, "tips")["dismissed"]

    # A reload: the dismissed tip stays away, the first-visit tips seen are not shown
    # again, and those that had no room the first time take their turn.
    open_get_support(page)
    unseen = [i for i in first_visit if (i, "first_visit") not in first_load]
    if unseen:
        expect(tip(page, unseen[0])).to_be_visible()
    else:
        expect(tip(page, help_page[-1])).to_be_visible()
    again = shown(page)
    assert statistic not in [fact for fact, _ in again]
    assert not {entry for entry in again if entry[1] == "first_visit"} & set(first_load)
    assert_no_errors(page)


def test_amazon_guidance_on_the_case_page_and_a_tip_for_the_words_typed(page, ext):
    ext.set_settings(uiLanguage="en")
    forget_tips(ext)
    facts = served_facts(ext)
    amazon = [i for i in showing(facts, "case_page") if facts[i]["source"]["kind"] == "amazon"]
    assert amazon
    # Amazon's guidance known only as publicly quoted is labelled so (C3 of the review).
    key = "sourceAmazonParaphrase" if facts[amazon[0]]["source"]["paraphrase"] else "sourceAmazon"

    page.goto(VIEW_CASE)
    expect(tip(page, amazon[0])).to_have_attribute("data-ssc-situation", "case_page")
    expect_label(page, amazon[0], label("en", key))
    source = tip(page, amazon[0]).locator(".tip-text > [data-ssc-source]")
    expect(source).to_have_attribute("data-ssc-source", "amazon")
    assert facts[amazon[0]]["source"]["title"] in source.get_attribute("title")

    [mentioned] = showing(facts, "mentions")
    word = facts[mentioned]["triggers"]["en"][0]
    open_contact_us(page)
    expect(tip(page, mentioned)).to_have_count(0)
    page.locator("kat-textarea textarea").fill(f"Our {word} listing was removed yesterday.")
    expect(tip(page, mentioned)).to_have_attribute("data-ssc-situation", "mentions")
    expect(tip(page, mentioned)).to_contain_text(facts[mentioned]["text"]["en"])
    # The hint (and its template) came with the text: what third parties charge, beside it.
    [beside_template] = showing(facts, "template")
    expect(tip(page, beside_template)).to_have_attribute("data-ssc-situation", "template")
    kind = facts[beside_template]["kind"]
    expect_label(
        page,
        beside_template,
        label("en", "sourceArticleStatistic" if kind == "statistic" else "sourceArticle"),
    )

    # An account case: the Account Health reminder (the fact's `categories`).
    [health] = showing(facts, "category")
    assert facts[health]["categories"] == ["account_deactivation"]
    page.locator("kat-textarea textarea").fill(
        "My seller account was deactivated for a high order defect rate."
    )
    expect(tip(page, health)).to_have_attribute("data-ssc-situation", "category")
    expect(tip(page, mentioned)).to_have_count(0)  # the words are gone
    assert_no_errors(page)


def test_the_articles_figures_in_an_hours_notice_are_labelled_as_such(page, ext):
    """A notice whose source cites a publication (the article's figures: waiting times) says
    "the article's figure", and its tooltip says the article cites it, not Amazon."""
    served = backend_json(
        ext.backend_url, "/api/v1/hours", {"marketplace": "US", "tz": "Asia/Shanghai"}
    )
    cited = [n for n in served["notices"] if n.get("source") and n["source"].get("cites")]
    assert cited
    open_get_support(page)
    source = page.locator(f'{OVERLAY} [data-ssc-notice="{cited[0]["code"]}"] [data-ssc-source]')
    expect(source).to_have_text(label("en", "sourceArticleStatistic"))
    cites = label("en", "sourceArticleCites").replace("$CITES$", cited[0]["source"]["cites"])
    expect(source).to_have_attribute("title", cites)
    assert_no_errors(page)


def test_first_visit_tips_are_not_used_up_while_the_panel_is_collapsed(page, ext):
    """Collapsed, the seller sees no tip: the first-visit ones wait (not marked seen, so a
    reload shows them again) until the panel is expanded."""
    forget_tips(ext)
    walkthrough = showing(served_facts(ext), "first_visit")[0]
    ext.worker.evaluate("() => chrome.storage.local.set({overlayCollapsed: true})")
    try:
        page.goto(GET_SUPPORT)
        expect(tip(page, walkthrough)).to_be_attached()
        expect(tip(page, walkthrough)).to_be_hidden()
        page.reload()
        expect(tip(page, walkthrough)).to_be_attached()  # still unseen
        assert not (stored_local(ext, "tips") or {}).get("seen")
        page.locator(OVERLAY).locator('[data-ssc-action="collapse"]').click()
        expect(tip(page, walkthrough)).to_be_visible()
        seen = wait_state(lambda: stored_local(ext, "tips") or {}, lambda s: s.get("seen"))
        assert f"{walkthrough}@first_visit" in seen["seen"]
        assert_no_errors(page)
    finally:
        ext.worker.evaluate("() => chrome.storage.local.remove('overlayCollapsed')")

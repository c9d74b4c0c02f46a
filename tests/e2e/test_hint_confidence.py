"""The category hint says how sure the classifier is (issue 13): a high-confidence
suggestion is an answer, a medium one "probably", a low one a question whose choices are the
suggestions; a suggestion that earlier corrected cases chose says how many.

Which texts get which confidence is the backend's classifier's business: each test finds its
text among a few candidates by asking the backend first (the test's premise), then checks
that the hint shows what the backend said."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from .helpers import HINT, OVERLAY, ContentWorld, assert_no_errors, backend_call, backend_json
from .test_get_support_helphub import open_get_support

# Texts that, with today's classifier, span the three confidences (each test checks which).
CANDIDATES = [
    "My listing was removed from search, please help me get it back.",
    "Hello, my advertising campaign ID 12345 shows an error when I set the daily budget.",
    "Hello, I have a problem with my seller account and an order, please check.",
    "please check this issue for me",
    "why was I charged",
    "Something is wrong, please look into it.",
    "hello there",
    "good morning",
    "thank you",
    "hello, thanks",
]


def classify(base_url: str, text: str) -> list[dict]:
    status, body = backend_call(
        base_url, "POST", "/api/v1/classify", {"text": text, "marketplace": "US"}
    )
    assert status == 200, body
    return body["suggestions"]


def text_with(base_url: str, confidence: str, alternatives: bool = False) -> tuple[str, list]:
    """A candidate text whose top suggestion has `confidence` (and at least one alternative
    if asked), with its suggestions."""
    for text in CANDIDATES:
        suggestions = classify(base_url, text)
        if suggestions[0]["confidence"] == confidence and len(suggestions) > alternatives:
            return text, suggestions
    pytest.fail(f"premise: no candidate text gets a {confidence!r} top suggestion")


def pct(suggestion: dict) -> int:
    """The percentage the extension shows (JavaScript's Math.round)."""
    return math.floor(suggestion["score"] * 100 + 0.5)


def label(suggestion: dict, lang: str = "en") -> str:
    return suggestion["label"]["zh" if lang == "zh_CN" else "en"]


def test_a_high_confidence_text_is_an_answer(page, ext):
    text, suggestions = text_with(ext.backend_url, "high")
    top = suggestions[0]
    open_get_support(page)
    page.locator("#issue-details").fill(text)
    hint = page.locator(HINT)
    expect(hint).to_have_attribute("data-ssc-category", top["category"])
    expect(hint).to_have_attribute("data-ssc-confidence", "high")
    expect(hint.locator(".cat")).to_have_text(label(top))
    expect(hint.locator("[data-ssc-score]")).to_have_text(f"match {pct(top)}%")
    expect(hint.locator("[data-ssc-question], [data-ssc-probably]")).to_have_count(0)
    # An answer says what to prepare.
    meta = {c["id"]: c for c in backend_json(ext.backend_url, "/api/v1/categories")["categories"]}
    materials = [m["id"] for m in meta[top["category"]]["materials"]]
    assert materials, top  # premise: the answer has materials to show
    for material in materials:
        expect(hint.locator(f'[data-ssc-material="{material}"]')).to_have_count(1)
    # Its routing advice says whose advice it is (its rule's source: the article or Amazon).
    note = hint.locator("[data-ssc-channel-note]")
    expect(note).to_contain_text(meta[top["category"]]["channel_note"]["en"])
    expect(note.locator("[data-ssc-source]")).to_have_attribute(
        "data-ssc-source", meta[top["category"]]["source"].get("kind", "article")
    )
    # Its alternatives (if any) are offered as other possibilities, with their percentages.
    for alt in suggestions[1:3]:
        button = page.locator(f'{OVERLAY} [data-ssc-alt="{alt["category"]}"]')
        expect(button).to_have_text(f"{label(alt)} · {pct(alt)}%")
    assert_no_errors(page)


def test_a_medium_confidence_text_is_a_probable_answer(page, ext):
    text, suggestions = text_with(ext.backend_url, "medium")
    top = suggestions[0]
    open_get_support(page)
    page.locator("#issue-details").fill(text)
    hint = page.locator(HINT)
    expect(hint).to_have_attribute("data-ssc-confidence", "medium")
    expect(hint.locator("[data-ssc-probably]")).to_have_text(f"Probably: {label(top)}")
    expect(hint.locator("[data-ssc-score]")).to_have_text(f"match {pct(top)}%")
    expect(hint.locator("[data-ssc-question]")).to_have_count(0)
    assert_no_errors(page)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_low_confidence_text_is_a_question_until_the_seller_picks(page, ext, lang):
    """Low: "Is it X?" with every suggestion as a choice, and nothing said about X as if it
    were the answer (no channel, no materials, no template). Picking a choice answers it."""
    ext.set_settings(uiLanguage=lang)
    text, suggestions = text_with(ext.backend_url, "low", alternatives=True)
    top = suggestions[0]
    open_get_support(page)
    page.locator("#issue-details").fill(text)
    hint = page.locator(HINT)
    expect(hint).to_have_attribute("data-ssc-category", top["category"])
    expect(hint).to_have_attribute("data-ssc-confidence", "low")
    question = f"Is it “{label(top)}”?" if lang == "en" else f"是「{label(top, lang)}」吗？"
    expect(hint.locator("[data-ssc-question]")).to_have_text(question)
    choices = hint.locator("[data-ssc-choices] [data-ssc-alt]")
    expect(choices).to_have_count(min(len(suggestions), 3))
    for i, s in enumerate(suggestions[:3]):
        expect(choices.nth(i)).to_have_attribute("data-ssc-alt", s["category"])
        expect(choices.nth(i)).to_have_text(f"{label(s, lang)} · {pct(s)}%")
    for answer_only in ("[data-ssc-score]", "[data-ssc-materials]", ".tag"):
        expect(hint.locator(answer_only)).to_have_count(0)
    expect(page.locator(OVERLAY).locator('[data-ssc-action="compose"]')).to_have_count(0)

    # The seller picks an alternative: now that is the answer, marked as their choice.
    pick = suggestions[1]
    choices.nth(1).click()
    expect(hint).to_have_attribute("data-ssc-category", pick["category"])
    expect(hint).to_have_attribute("data-ssc-pinned", "")
    expect(hint.locator("[data-ssc-question]")).to_have_count(0)
    expect(hint.locator(".cat")).to_have_text(label(pick, lang))
    expect(hint.locator("[data-ssc-score]")).to_contain_text(f"{pct(pick)}%")
    assert_no_errors(page)


def test_a_category_chosen_in_earlier_corrections_says_so(page, ext, case_log):
    """An earlier case like this text, filed under another category than we suggested (a
    correction), is the reason line "Like 1 of your earlier cases"."""
    text = "Hello, I have a problem with my seller account and an order, please check."
    before = classify(case_log, text)
    chosen = next(s["category"] for s in before if s["category"] != before[0]["category"])
    status, case = backend_call(
        case_log,
        "POST",
        "/api/v1/cases",
        {"text": text, "category": chosen, "suggested": before[0]["category"], "marketplace": "US"},
    )
    assert status == 201, case
    after = classify(case_log, text)
    assert {s["category"]: s["similar_cases"] for s in after}.get(chosen) == 1, after  # premise
    open_get_support(page)
    page.locator("#issue-details").fill(text)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", after[0]["category"])
    if after[0]["category"] != chosen:  # not the top: the seller picks it among the suggestions
        page.locator(f'{OVERLAY} [data-ssc-alt="{chosen}"]').click()
    shown = page.locator(f'{HINT}[data-ssc-category="{chosen}"]')
    expect(shown.locator("[data-ssc-similar]")).to_have_text("Like 1 of your earlier cases")
    expect(shown.locator("[data-ssc-similar]")).to_have_attribute("data-ssc-similar", "1")
    assert_no_errors(page)


VALIDATE = """SSC.valid.suggestions([
  {category: "other", confidence: "certain", similar_cases: 2},
  {category: "logistics", similar_cases: -1},
  {category: "advertising", confidence: "medium", similar_cases: 1.5},
  {category: "listing_removed", confidence: "high", similar_cases: "3"},
  {category: "a_to_z_claim", confidence: "high", similar_cases: 4},
  {category: "Not an id!", confidence: "high", similar_cases: 1},
]).map((s) => [s.category, s.confidence, s.similar_cases])"""


def test_the_new_fields_are_validated(page, ext):
    """An unknown confidence counts as low; similar_cases that is not a non-negative integer
    counts as 0 (no reason line); a suggestion without a category id is dropped."""
    open_get_support(page)
    assert ContentWorld(page).eval(VALIDATE) == [
        ["other", "low", 2],
        ["logistics", "low", 0],
        ["advertising", "medium", 0],
        ["listing_removed", "high", 0],
        ["a_to_z_claim", "high", 4],
    ]

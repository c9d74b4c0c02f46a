"""Classifier: accuracy on labelled corpora, languages, slang and explanations."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_support.rules import load_rules
from seller_support.train import corpus_files, read_corpus

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# (file, minimum top-1, minimum top-3, minimum accuracy of "high" top suggestions).
# Held-out files are never trained or tuned on (corpus/README.md has their history); the
# floors sit just under the figures measured, so a change that loses accuracy fails here.
HELD_OUT = [
    ("heldout/frozen.tsv", 0.95, 0.98, 0.95),
    ("heldout/rules_heldout.tsv", 0.95, 0.98, 0.95),
]


def suggestions(client, text: str) -> list[dict]:
    response = client.post("/api/v1/classify", json={"text": text, "marketplace": "US"})
    assert response.status_code == 200
    return response.json["suggestions"]


@pytest.mark.parametrize(("name", "top1_min", "top3_min", "high_min"), HELD_OUT)
def test_accuracy_and_calibration_on_held_out_cases(client, name, top1_min, top3_min, high_min):
    cases = read_corpus(CORPUS / name)
    top1 = top3 = 0
    high = [0, 0]
    misses = []
    for label, text in cases:
        shown = suggestions(client, text)
        ids = [s["category"] for s in shown]
        top1 += ids[0] == label
        top3 += label in ids
        if shown[0]["confidence"] == "high":
            high[0] += ids[0] == label
            high[1] += 1
        if ids[0] != label:
            misses.append(f"{label} -> {ids}: {text}")
    assert top1 / len(cases) >= top1_min, "\n".join(misses)
    assert top3 / len(cases) >= top3_min, "\n".join(misses)
    assert high[1] >= len(cases) / 2 and high[0] / high[1] >= high_min, high


def test_the_training_texts_are_learned(client):
    """Not a measure of quality (the model saw them): a check that the served model is the
    one fitted on them, through the real ranking."""
    cases = [row for path in corpus_files("train") for row in read_corpus(path)]
    right = sum(suggestions(client, text)[0]["category"] == label for label, text in cases)
    assert right / len(cases) >= 0.97


@pytest.mark.parametrize(
    ("text", "category", "reason"),
    [
        ("二审要求视频验证", "account_verification", "二审"),
        ("POA 被拒了，还要再写一份", "account_deactivation", "POA"),
        ("买家开了A2Z，订单 113-1234567-1234567", "a_to_z_claim", "A2Z"),
        ("我又被封号了怎么办", "account_deactivation", "封号"),
        ("listing 被下架了", "listing_removed", "listing 被下架"),
        (
            "Ｂｕｙｅｒ ｆｉｌｅｄ ａｎ Ａ－ｔｏ－ｚ ｃｌａｉｍ",
            "a_to_z_claim",
            "A-to-z",
        ),  # full-width input
    ],
)
def test_seller_slang_is_understood_and_explained(client, text, category, reason):
    top = suggestions(client, text)[0]
    assert top["category"] == category
    assert any(reason.lower() in r.lower() or r.lower() in reason.lower() for r in top["reasons"])


def test_suggestions_are_ranked_bounded_and_scored(client):
    result = suggestions(client, "收到专利侵权投诉，商品被下架，回款也被冻结了，广告也停了")
    assert 1 <= len(result) <= 3
    scores = [s["score"] for s in result]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert result[0]["category"] == "ip_complaint"
    assert all(s["reasons"] for s in result)


@pytest.mark.parametrize("text", ["", "   ", "？？？", "!!!"])
def test_with_nothing_to_go_on_only_other_is_offered_as_a_question(client, text):
    result = suggestions(client, text)
    assert [(s["category"], s["confidence"]) for s in result] == [("other", "low")]
    assert result[0]["reasons"] == []


@pytest.mark.parametrize("text", ["hello", "12345", "help"])
def test_a_text_that_says_nothing_is_never_a_confident_answer(client, text):
    assert suggestions(client, text)[0]["confidence"] == "low"


def test_suggestion_carries_priority_and_channel(client):
    top = suggestions(client, "品牌备案被驳回")[0]
    assert (top["category"], top["priority"], top["channel"]) == (
        "brand_registry",
        "special",
        "brand_registry",
    )
    top = suggestions(client, "Our account was suspended")[0]
    assert (top["priority"], top["channel"]) == ("high", "account_health")  # not phone


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("账号被封了，需要写申诉", "zh"),
        ("ASIN B0ABCD1234 被移除，提示违反商品政策", "zh"),  # IDs are not English prose
        ("My FBA shipment FBA17ABCDEF is stuck in receiving", "en"),
        ("我的 listing 被 suppressed 了, please help check the reason", "mixed"),
    ],
)
def test_language_detection(client, text, language):
    response = client.post("/api/v1/classify", json={"text": text})
    assert response.json["language"] == language


def test_long_text_is_handled(client):
    text = "Our FBA shipment is missing units. " * 280  # close to the 10,000-character limit
    assert suggestions(client, text)[0]["category"] == "logistics"


def test_corpora_are_well_formed_and_held_out_texts_are_not_trained_on():
    known = set(load_rules().category_by_id)
    texts = {}
    for path in corpus_files("train") + corpus_files("heldout"):
        for label, text in read_corpus(path):
            assert label in known, f"{path.name}: unknown category {label!r}"
            assert "\t" not in text, f"{path.name}: {text!r}"
            key = text.casefold()
            assert key not in texts, f"{path.name} repeats a line of {texts.get(key)}: {text}"
            texts[key] = path.name


def test_reasons_quote_the_sellers_own_spelling(client):
    text = "Hello, our ACCOUNT  was Deactivated - plan  of\taction attached"
    reasons = suggestions(client, text)[0]["reasons"]
    assert {"ACCOUNT  was Deactivated", "plan  of\taction"} <= set(reasons)
    assert "A - to - Z" in suggestions(client, "the buyer opened an A - to - Z")[0]["reasons"]

"""Classifier: accuracy on labelled corpora, languages, slang and explanations."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_support.rules import load_rules

DATA = Path(__file__).resolve().parents[1] / "data"

# (file, minimum top-1, minimum top-3). cases_sample.tsv is the shared development
# sample; cases_dev.tsv was written for this project and used to choose phrases;
# cases_heldout.tsv was written separately by another author (see README).
CORPORA = [
    ("cases_sample.tsv", 0.95, 1.0),
    ("cases_dev.tsv", 0.93, 0.97),
    ("cases_heldout.tsv", 0.90, 0.98),
    ("cases_extra.tsv", 0.90, 0.98),
]


def load_cases(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def suggestions(client, text: str) -> list[dict]:
    response = client.post("/api/v1/classify", json={"text": text, "marketplace": "US"})
    assert response.status_code == 200
    return response.json["suggestions"]


@pytest.mark.parametrize(("name", "top1_min", "top3_min"), CORPORA)
def test_accuracy_on_labelled_cases(client, name, top1_min, top3_min):
    cases = load_cases(name)
    top1 = top3 = 0
    misses = []
    for label, text in cases:
        ids = [s["category"] for s in suggestions(client, text)]
        top1 += ids[0] == label
        top3 += label in ids
        if ids[0] != label:
            misses.append(f"{label} -> {ids}: {text}")
    assert top1 / len(cases) >= top1_min, "\n".join(misses)
    assert top3 / len(cases) >= top3_min, "\n".join(misses)


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


@pytest.mark.parametrize("text", ["", "   ", "hello", "？？？", "12345"])
def test_never_empty_other_is_the_last_resort(client, text):
    result = suggestions(client, text)
    assert [s["category"] for s in result] == ["other"]
    assert result[0]["reasons"] == []


def test_suggestion_carries_priority_and_channel(client):
    top = suggestions(client, "品牌备案被驳回")[0]
    assert (top["category"], top["priority"], top["channel"]) == (
        "brand_registry",
        "special",
        "brand_registry",
    )
    top = suggestions(client, "Our account was suspended")[0]
    assert (top["priority"], top["channel"]) == ("high", "phone_chat")


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


def test_corpora_are_well_formed_and_disjoint():
    known = set(load_rules().category_by_id)
    texts = {}
    for name, _, _ in CORPORA:
        for label, text in load_cases(name):
            assert label in known, f"{name}: unknown category {label!r}"
            assert "\t" not in text and text.strip() == text, f"{name}: {text!r}"
            assert text not in texts, f"{name} repeats a line of {texts.get(text)}: {text}"
            texts[text] = name


def test_reasons_quote_the_sellers_own_spelling(client):
    text = "Hello, our ACCOUNT  was Deactivated - plan  of\taction attached; A - to - Z"
    result = suggestions(client, text)
    reasons = {s["category"]: s["reasons"] for s in result}
    assert {"ACCOUNT  was Deactivated", "plan  of\taction"} <= set(reasons["account_deactivation"])
    assert "A - to - Z" in reasons["a_to_z_claim"]

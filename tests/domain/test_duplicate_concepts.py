"""The duplicate check's reading of a text: the concepts of checks.yaml `duplicates` (in
Chinese and English, with gaps and word forms), the ids, the slot comparison, and the
rules model's refusals."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from seller_support.domain.similarity import (
    Lexicon,
    lexicon_of,
    profile,
    slot,
)
from seller_support.rules import load_rules
from seller_support.rules.models import DuplicateConcept, DuplicateRules
from seller_support.store.text import words_of

RULES = load_rules()
LEXICON = lexicon_of(RULES.checks.duplicates)


def _concepts(text: str, lexicon: Lexicon = LEXICON) -> set[str]:
    return {lexicon.concepts[i].id for i in lexicon.find(words_of(text))}


def _lexicon(*concepts: dict) -> Lexicon:
    return Lexicon(DuplicateRules(concepts=[DuplicateConcept(**c) for c in concepts]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的店铺被封了，要写POA申诉", {"poa", "deactivated", "appeal"}),
        ("Need help with my plan of action, account suspended", {"poa", "deactivated"}),
        ("二审视频验证预约不上", {"video_verification", "cannot_book", "verification"}),
        ("I can't book a slot for the video interview", {"video_verification", "cannot_book"}),
        ("买家提了A-to-Z", {"a_to_z"}),
        ("buyer filed an A2Z guarantee claim", {"a_to_z", "claim"}),
        ("回款没到账", {"disbursement", "not_received"}),
        ("my payout hasn't arrived", {"disbursement", "not_received"}),
        # markers: how a text relates to a case, and the stage or direction of a problem
        ("Writing again about the suspension", {"follow_up", "deactivated"}),
        ("再跟进一下专利投诉", {"follow_up", "patent", "complaint"}),
        ("removal order stuck as pending", {"removal_order", "under_review"}),
        ("移除订单一个月了还没发货", {"removal_order", "under_review"}),
        ("Disposal order was completed", {"disposal_order", "done"}),
        ("怎么设置秒杀，找不到入口", {"how_to", "lightning_deal"}),
        ("广告花费太低", {"ad_charges", "too_low"}),
        ("结算报告里有一笔不明扣款", {"unknown_charge"}),
    ],
)
def test_concepts_are_found_in_either_language(text, expected):
    assert expected <= _concepts(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("nothing changed in budget or keywords", "page_changed"),
        ("Unknown charge labelled 'Other'", "labels"),
        ("可能是之前用过的那个代运营的电脑", "used_condition"),
    ],
)
def test_a_word_that_means_something_else_here_is_not_the_concept(text, absent):
    assert absent not in _concepts(text)


def test_a_lexicon_with_gaps_word_forms_and_word_edges():
    lexicon = _lexicon(
        {
            "id": "ad_rejected",
            "zh": ["广告被拒", "广告…被拒"],
            "en": ["ad rejected", "ad…rejected"],
        },
        {"id": "deactivated", "zh": ["停用"], "en": ["deactivated", "deactivat*"]},
    )
    # A gap of up to 8 Chinese characters in one clause, or up to 4 English words.
    assert _concepts("广告审核一直被拒", lexicon) == {"ad_rejected"}
    assert _concepts("广告没问题，图片被拒", lexicon) == set()  # not across the comma
    assert _concepts("Ad for B0BX3N8P2R rejected in moderation", lexicon) == {"ad_rejected"}
    assert _concepts("ad one two three four five rejected", lexicon) == set()
    # English words whole; * for the longer forms; a Chinese character is an edge.
    assert _concepts("deactivation notice", lexicon) == {"deactivated"}
    assert _concepts("my address was rejected", lexicon) == set()  # "ad" inside a word
    assert _concepts("账号deactivated了", lexicon) == {"deactivated"}
    assert _concepts("", lexicon) == set()


def test_an_empty_lexicon_finds_nothing():
    assert _lexicon().find("anything at all") == frozenset()


def test_ids_of_every_kind_are_read_from_the_stored_form():
    patterns = {m: RULES.material_by_id[m].detect for m in ("order_id", "asin")}
    patterns |= {k: v.detect for k, v in RULES.materials.identifiers.items()}
    text = "订单114-1111111-2222222，ASIN b0abcd1234，货件FBA15R8QW3TN，case 12345678901"
    read = profile(words_of(text), LEXICON, patterns, {"amazon_case_id": "99999999999"})
    assert read.ids == {
        "order_id": {"114-1111111-2222222"},
        "asin": {"B0ABCD1234"},
        "fba_shipment_id": {"FBA15R8QW3TN"},
        "amazon_case_id": {"12345678901", "99999999999"},
    }


@pytest.mark.parametrize(
    ("a", "b", "differ"),
    [
        ("收到商标投诉，投诉方是 Anker", "收到商标投诉，投诉方是 Ugreen", True),  # a name
        ("付款 $4,210 失败", "付款 $1,870 失败", True),  # an amount
        ("请问FBA长期仓储费怎么计算", "请问FBA入库配置服务费怎么计算", True),  # two words
        ("FBA库存显示搁置，无法配送", "FBA 库存显示为搁置状态，不能配送了", False),  # rewording
        ("removal order shows completed", "removal order says completed", False),
        (
            "how do I download the invoice for my ad charges last month",
            "how can I download the invoice for last month's ad charges",
            False,
        ),  # words moved about
        (  # a long shared story, then another ending: changes joined across 又 and 了
            "去年被封过一次，写了POA恢复了。这次又收到了通知",
            "去年被封过一次，写了POA恢复了。这次是因为ODR超标又被封了，主要是差评太多",
            True,
        ),
    ],
)
def test_a_slot_is_what_a_template_filled_in_twice_changes(a, b, differ):
    assert slot(words_of(a), words_of(b)) is differ


def test_the_warning_names_a_concept_by_its_first_spelling():
    poa = next(i for i, c in enumerate(LEXICON.concepts) if c.id == "poa")
    assert LEXICON.labels([poa], "zh") == ["POA"] and LEXICON.labels([poa], "en") == ["POA"]


@pytest.mark.parametrize(
    ("concept", "problem"),
    [
        ({"id": "x", "zh": ["封"], "en": ["ban"]}, "two or more"),
        ({"id": "x", "zh": ["广告…被"], "en": ["ad"]}, "two or more"),
        ({"id": "x", "zh": ["广告"], "en": ["ad*vert"]}, "only at the end"),
        ({"id": "x", "zh": ["广告*"], "en": ["ad"]}, "after an English letter"),
        ({"id": "x", "zh": ["广告…被拒"], "en": ["ad"]}, "names the concept"),
        ({"id": "x", "zh": ["广告"], "en": ["ad*", "ad"]}, "names the concept"),
        ({"id": "x", "zh": ["广告", "广告"], "en": ["ad"]}, "listed twice"),
        ({"id": "x", "zh": [], "en": ["ad"]}, "at least 1"),
    ],
)
def test_the_rules_model_refuses_a_bad_concept(concept, problem):
    with pytest.raises(ValidationError, match=problem):
        DuplicateConcept(**concept)


def test_the_rules_model_refuses_a_concept_listed_twice():
    concept = {"id": "poa", "zh": ["POA"], "en": ["POA"]}
    with pytest.raises(ValidationError, match="listed twice"):
        DuplicateRules(concepts=[concept, concept])


def test_every_concept_of_the_shipped_rules_is_found_by_its_own_spellings():
    """A spelling that its own lexicon cannot find is a typo (or a part that normalises to
    something else)."""
    for i, concept in enumerate(LEXICON.concepts):
        for spelling in (*concept.zh, *concept.en):
            parts = [words_of(part.replace("*", "")) for part in spelling.split("…")]
            text = parts[0]
            for part in parts[1:]:  # Chinese parts join up, English ones take a space
                latin = text[-1].isascii() or part[0].isascii()
                text += (" " if latin else "") + part
            assert i in LEXICON.find(text), (concept.id, spelling)

"""The case composer: known values filled in, the marketplace's spelling, the rest
explained; and what the checks read from the templates (gaps left, the seller's part)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from seller_support.domain.composer import (
    Known,
    NoTemplate,
    TemplateNotForCategory,
    UnknownPlaceholder,
    UnknownTemplate,
    choose_template,
    compose,
    placeholders_left,
    templates_for,
)
from seller_support.domain.engine import build_engine
from seller_support.rules import DEFAULT_RULES_DIR
from seller_support.rules.models import PLACEHOLDER

ENGINE = build_engine(DEFAULT_RULES_DIR)
RULES = ENGINE.rules
TODAY = date(2026, 12, 2)
OLD_GAPS = RULES.check_by_code["unfilled_placeholder"].params["old_gaps"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def composed(template_id: str, marketplace: str = "US", **known):
    template = RULES.template_by_id[template_id]
    return compose(RULES, template, Known(**known), RULES.marketplace_by_code[marketplace], TODAY)


def test_ids_from_the_text_and_reference_fields_are_filled_in():
    result = composed(
        "a_to_z_claim",
        text="买家说没收到货，订单号 113-1234567-1234567",
        reference_numbers=("FBA15DJ8K4ZN",),
    )
    assert result.filled["ORDER_ID"] == "113-1234567-1234567"
    assert "order 113-1234567-1234567 on the United States marketplace" in result.text
    assert (
        result.subject == "A-to-z Guarantee claim on order 113-1234567-1234567 – request for review"
    )
    assert "[ORDER_ID]" not in result.text + result.subject


def test_the_sellers_draft_is_never_added_to_the_text():
    draft = "买家说没收到货，订单号 113-1234567-1234567"
    result = composed("a_to_z_claim", text=draft)
    assert "买家" not in result.text
    assert not CJK.search(result.text + result.subject)


def test_what_is_left_is_explained_in_both_languages_with_an_english_example():
    result = composed("a_to_z_claim")
    names = [r.name for r in result.remaining]
    assert names[0] == "ORDER_ID"  # not found: left, in the order of the text
    assert "CONTACT_NAME" in names and "MARKETPLACE" not in names
    for left in result.remaining:
        assert f"[{left.name}]" in result.subject + result.text
        assert CJK.search(left.explain.zh), left
        for english in (left.explain.en, left.example):
            assert english and not CJK.search(english), left


@pytest.mark.parametrize(
    ("marketplace", "today", "centre"),
    [
        ("US", "December 2, 2026", "fulfillment center"),
        ("CA", "December 2, 2026", "fulfillment center"),
        ("MX", "December 2, 2026", "fulfillment center"),
        ("UK", "2 December 2026", "fulfilment centre"),
        ("DE", "2 December 2026", "fulfilment centre"),
        ("AU", "2 December 2026", "fulfilment centre"),
        ("JP", "December 2, 2026", "fulfillment center"),
    ],
)
def test_spelling_and_date_follow_the_marketplace(marketplace, today, centre):
    follow_up = composed("follow_up", marketplace, text="case 22153077391")
    assert f"As of {today} we have had no reply" in follow_up.text
    assert centre in composed("logistics", marketplace).text


def test_british_spelling_never_touches_the_values():
    result = composed(
        "other", "UK", values={"QUESTION": "Why is my fulfillment center color wrong?"}
    )
    assert "Why is my fulfillment center color wrong?" in result.text


def test_follow_up_and_refile_fill_the_amazon_case_id():
    follow_up = composed("follow_up", text="Case ID 22153077391 has had no answer")
    assert follow_up.subject == "Follow-up on case 22153077391"
    refile = composed("refile", text="earlier case 22153077391")
    assert refile.text.count("22153077391") == 3


def test_the_refile_category_is_left_for_amazons_name_on_the_form():
    """Our categories are not Amazon's form's: the seller copies the form's name."""
    refile = composed("refile", text="earlier case 22153077391")
    assert "We are filing this under [CATEGORY] because" in refile.text
    category = next(r for r in refile.remaining if r.name == "CATEGORY")
    assert "表单" in category.explain.zh and "Amazon's form" in category.explain.en


@pytest.mark.parametrize(
    ("template_id", "text", "name"),
    [
        # A complaint number is 10 digits like an ISBN-10 ASIN; a tracking number's digits
        # look like a case id.
        ("ip_complaint", "投诉编号 9876543210，说我们侵权", "ASIN"),
        ("refile", "UPS tracking 1Z999AA10123456784", "CASE_ID"),
        ("follow_up", "电话 13812345678 联系我们", "CASE_ID"),
    ],
)
def test_a_number_that_only_looks_like_an_id_is_left_for_the_seller(template_id, text, name):
    result = composed(template_id, text=text)
    assert name not in result.filled
    assert name in [r.name for r in result.remaining]
    assert f"[{name}]" in result.subject


@pytest.mark.parametrize(
    ("template_id", "text", "name", "value"),
    [
        ("ip_complaint", "商品 b0c1234xyz 被投诉", "ASIN", "B0C1234XYZ"),
        ("ip_complaint", "book ASIN: 0316769487 was reported", "ASIN", "0316769487"),
        ("follow_up", "工单号：22153077391 还没有回复", "CASE_ID", "22153077391"),
        ("follow_up", "our case #22153077391", "CASE_ID", "22153077391"),
        ("follow_up", "案例 ID 22153077391", "CASE_ID", "22153077391"),
    ],
)
def test_an_id_of_its_sure_form_or_named_as_one_is_filled_in(template_id, text, name, value):
    assert composed(template_id, text=text).filled[name] == value


def test_a_case_pages_id_comes_as_a_value():
    result = composed("follow_up", values={"CASE_ID": "22153077391"})
    assert result.subject == "Follow-up on case 22153077391"


# What a template's fixed words never say, placeholder or not: an admission, a stance, a
# third party's confirmation, what was checked or found, a deadline or a timespan, urgency,
# the earlier case's fate. Not every seller can say these truthfully: it is theirs to write.
NEVER_SAID = re.compile(
    r"responsibilit|in our favou?r|not valid|\bbelieve|confirm|\bchecked\b|\bfound\b|spam"
    r"|urgent|same day|business day|handling time|\b\d+ (?:hours?|days?)\b|no answer",
    re.I,
)
# A sentence about attachments names them only through [ATTACHMENTS].
ATTACHING = re.compile(r"attach|enclos|screenshot|proof of delivery|\bPOD\b", re.I)


def claims_outside_placeholders(text: str) -> list[str]:
    """The sentences of a template that state something about the seller's situation in
    fixed words (NEVER_SAID), or speak of attachments without [ATTACHMENTS]."""
    sentences = re.split(r"(?<=[.!?])\s+|\n", text)
    return [
        s
        for s in sentences
        if NEVER_SAID.search(re.sub(PLACEHOLDER, "", s))
        or (ATTACHING.search(s) and "[ATTACHMENTS]" not in s)
    ]


@pytest.mark.parametrize("template", RULES.templates.templates, ids=lambda t: t.id)
def test_no_template_states_the_sellers_situation_outside_a_placeholder(template):
    assert claims_outside_placeholders(template.subject + "\n" + template.body) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "We have reviewed [POLICY_NAME], and we take full responsibility.",
        "The carrier confirms delivery to the buyer's address on [DELIVERY_DATE].",
        "We have already checked [CHECKS_DONE], and we found nothing on our side.",
        "As of [TODAY] we have had no reply, and we have checked our e-mail.",
        "The details of case [CASE_ID] still apply; we attach them again here.",
        "Screenshots over the last 14 days are attached.",
        "We ask you to review the claim in our favor.",
    ],
)
def test_the_claims_check_catches_the_first_templates_claims(sentence):
    """Sentences of the templates as first written (commit dcd76fa)."""
    assert claims_outside_placeholders(sentence) == [sentence]


def test_attachments_are_filled_from_the_form_else_left_explained():
    names = "account-health-export.pdf, timeline.pdf"
    result = composed("plan_of_action", values={"ATTACHMENTS": names})
    assert f"Attached: {names}." in result.text
    left = next(r for r in composed("plan_of_action").remaining if r.name == "ATTACHMENTS")
    assert "删掉" in left.explain.zh and "delete" in left.explain.en


def test_the_plan_of_action_says_where_it_goes():
    """An appeal goes through the Account Health page, not a new Seller Support case."""
    where = RULES.template_by_id["plan_of_action"].submit_where
    assert "账户健康" in where.zh and "Account Health" in where.en
    assert all(t.submit_where is None for t in RULES.templates.templates if t.kind != "category")


def test_the_follow_up_is_due_by_the_expected_time_not_after_72_hours():
    follow_up = RULES.template_by_id["follow_up"]
    for text in (follow_up.label.zh, follow_up.label.en, follow_up.body):
        assert "72" not in text
    assert "no reply by the expected time" in follow_up.label.en


def test_the_clients_values_fill_their_placeholders():
    result = composed("plan_of_action", values={"STORE_NAME": "Sunrise Home", "ROOT_CAUSE_1": "x"})
    assert result.subject.startswith(
        "Plan of action to reinstate selling privileges – Sunrise Home"
    )
    assert "1. x\n2. [ROOT_CAUSE_2]" in result.text
    with pytest.raises(UnknownPlaceholder, match="FAVOURITE_COLOUR"):
        composed("other", values={"FAVOURITE_COLOUR": "red"})


def test_the_plan_of_action_has_numbered_root_causes_actions_and_measures():
    text = RULES.template_by_id["plan_of_action"].body
    sections = ["Root causes", "Corrective actions we have taken", "Preventive measures"]
    positions = [text.index(f"{s}\n1. [") for s in sections]
    assert positions == sorted(positions)
    assert choose_template(RULES, None, RULES.category_by_id["account_deactivation"]).id == (
        "plan_of_action"
    )


def test_special_channels_get_no_regular_template():
    for category_id in ("brand_registry", "account_verification"):
        category = RULES.category_by_id[category_id]
        assert templates_for(RULES, category) == []
        with pytest.raises(NoTemplate, match=category_id):
            choose_template(RULES, None, category)
    logistics = [t.id for t in templates_for(RULES, RULES.category_by_id["logistics"])]
    assert logistics == ["logistics", "follow_up", "refile"]
    with pytest.raises(UnknownTemplate, match="nope"):
        choose_template(RULES, "nope", None)


def test_a_category_template_is_refused_for_another_category():
    logistics = RULES.category_by_id["logistics"]
    with pytest.raises(TemplateNotForCategory, match="plan_of_action.*logistics"):
        choose_template(RULES, "plan_of_action", logistics)
    assert choose_template(RULES, "refile", logistics).id == "refile"
    assert choose_template(RULES, "plan_of_action", None).id == "plan_of_action"


def test_one_placeholder_syntax_and_every_one_declared():
    for template in RULES.templates.templates:
        everything = template.subject + template.body
        bracketed = re.findall(r"\[[^\]]*\]", everything)
        assert all(re.fullmatch(PLACEHOLDER, b) for b in bracketed), template.id
        assert all(RULES.templates.declaration(n) for n in template.placeholders)


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("order [ORDER_ID] on [DATE] via [CARRIER]", ["ORDER_ID", "DATE", "CARRIER"]),
        (
            "As the old template said: order [ORDER ID], store [Store Name]",
            ["ORDER_ID", "STORE_NAME"],
        ),
        ("1. [ROOT_CAUSE_1]\n2. [ROOT_CAUSE_2]", ["ROOT_CAUSE_1", "ROOT_CAUSE_2"]),
        ("ASIN [B0C1234XYZ], [see the screenshot], 【紧急】", []),
        ("[URGENT] on the [US] marketplace, see the [PDF]", []),
        ("[Date] and [BUYER'S REASON]", ["Date", "BUYER'S REASON"]),
    ],
)
def test_placeholders_left(text, left):
    assert placeholders_left(RULES.templates, text, OLD_GAPS) == left


def test_a_chinese_paragraph_after_a_composed_template_is_what_the_seller_wrote():
    template = composed("logistics", "UK", text="FBA15DJ8K4ZN").text
    chinese = "货件少了四十八件，请帮忙调查并赔偿。"
    both = ENGINE.analyse(template + "\n" + chinese)
    assert both.language == "en"  # the whole text: the template hides the Chinese
    assert both.written_zh_share >= RULES.check_by_code["non_english"].params["min_zh_share"]
    english = ENGINE.analyse(template + "\nThe shipment was delivered two weeks ago.")
    assert english.written_zh_share == 0


@pytest.mark.parametrize("template_id", ["a_to_z_claim", "plan_of_action", "payment_anomaly"])
def test_one_short_chinese_sentence_after_any_composed_template_is_caught(template_id):
    """A filled template line is ours however short its fixed words (" with ", " on the ")."""
    text = composed(template_id, "UK", text="113-1234567-1234567").text
    minimum = RULES.check_by_code["non_english"].params["min_zh_share"]
    chinese = ENGINE.analyse(text + "\n买家说没收到货，我们有妥投证明。")
    assert chinese.written_zh_share >= minimum
    # The seller's own numbered line is theirs, not a template's "1. [ROOT_CAUSE_1]".
    english = ENGINE.analyse(text + "\n1. The buyer says it never arrived. 我们有证明。")
    assert english.written_zh_share < minimum


@pytest.mark.parametrize(
    "template", [t for t in RULES.templates.templates if t.kind == "category"], ids=lambda t: t.id
)
def test_a_composed_category_template_keeps_its_category(template):
    """Inserting it re-classifies the description box: the hint must not move away."""
    result = composed(template.id, "UK")
    top = ENGINE.analyse(result.subject + "\n" + result.text).suggestions[0]
    assert top.category.id in template.categories

"""The contract module: Amazon case ids as the case log stores them agree with the id
format the rules find in texts, and the marketplaces document."""

from __future__ import annotations

import re

import pytest

from seller_support.domain.contract import AMAZON_CASE_ID, build_contract, build_marketplaces
from seller_support.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("length", range(6, 17))
def test_stored_case_ids_are_the_ids_the_rules_find(length):
    value = "2215307739123456"[:length]
    detect = RULES.materials.identifiers["amazon_case_id"].detect
    found = re.search(detect, f"Case ID: {value}.")
    assert (found is not None and found.group(0) == value) == bool(
        re.fullmatch(AMAZON_CASE_ID, value)
    )
    assert bool(re.fullmatch(AMAZON_CASE_ID, value)) == (8 <= length <= 14)


@pytest.mark.parametrize(
    "value", ["２２１５３０７７３９１", "٢٢١٥٣٠٧٧٣٩١", "22153077391\n", "ABC-12345678"]
)
def test_case_ids_are_ascii_digits_only(value):
    assert re.fullmatch(AMAZON_CASE_ID, value) is None


def test_marketplaces_document_has_ids_and_header_words():
    doc = build_marketplaces(RULES)
    us = next(m for m in doc["marketplaces"] if m["code"] == "US")
    assert us["marketplace_id"] == "ATVPDKIKX0DER"
    assert "amazon.com" in us["header_words"]
    assert "holiday_country" not in us and "source" not in us
    uncovered = {m["code"]: m["marketplace_id"] for m in doc["uncovered_marketplace_ids"]}
    assert uncovered["BR"] == "A2Q3Y263D00KWC"
    assert set(uncovered) == {
        "BR",
        "NL",
        "SE",
        "PL",
        "BE",
        "IE",
        "TR",
        "AE",
        "SA",
        "EG",
        "SG",
        "ZA",
    }
    covered = {m["code"] for m in doc["marketplaces"]}
    assert not covered & set(uncovered)


def test_account_statuses_are_the_ones_the_eligibility_rules_read():
    """The options page offers the contract's account statuses (no JS copy), good standing
    first (the default), and every status a barrier names is among them."""
    statuses = build_contract(RULES)["account_statuses"]
    assert statuses[0] == "good_standing"
    named = {s for b in RULES.hours.channel_barriers for s in b.when.account_status}
    assert named < set(statuses)

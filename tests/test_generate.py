"""Generated copies (rules schemas, the extension's built-in contract, selectors and
marketplaces) must equal what `make generate` writes from shared-rules/ today, and the
built-in copies what the backend serves."""

from __future__ import annotations

import json
import re

import pytest

from seller_support.domain.contract import build_contract, identifier_patterns, js_regex
from seller_support.generate import REPO, generated_files
from seller_support.rules import load_rules

GENERATED = generated_files()


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: p.name)
def test_generated_copy_is_current(path):
    assert path.exists(), f"{path.relative_to(REPO)} is missing: run `make generate`"
    assert path.read_text(encoding="utf-8") == GENERATED[path], (
        f"{path.relative_to(REPO)} is stale: run `make generate`"
    )


def _builtin(file_name: str, name: str):
    text = GENERATED[REPO / "extension" / "lib" / file_name]
    match = re.search(rf"SSC\.{name} = (\{{.*\}});\n\}}\)", text, re.S)
    assert match, f"lib/{file_name} must assign one JSON object to SSC.{name}"
    return json.loads(match.group(1))


@pytest.mark.parametrize(
    ("file_name", "name", "path"),
    [
        ("default-contract.js", "DEFAULT_CONTRACT", "/api/v1/contract"),
        ("default-selectors.js", "DEFAULT_SELECTORS", "/api/v1/selectors"),
        ("default-marketplaces.js", "DEFAULT_MARKETPLACES", "/api/v1/marketplaces"),
    ],
)
def test_builtin_copies_are_what_the_backend_serves(client, file_name, name, path):
    assert _builtin(file_name, name) == client.get(path).json


def test_contract_carries_the_rules_values():
    rules = load_rules()
    contract = build_contract(rules)
    assert "followup_after_hours" not in contract  # each case carries its followup_due_at
    assert contract["case_age_days_from_hours"] == rules.checks.case_age_days_from_hours
    assert set(contract["identifiers"]) == {"order_id", "asin", "amazon_case_id", "fba_shipment_id"}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?i)(?<![a-z])B0\w{8}", {"source": r"(?<![a-z])B0\w{8}", "flags": "i"}),
        (r"\d{3}-\d{7}", {"source": r"\d{3}-\d{7}", "flags": ""}),
    ],
)
def test_js_regex_moves_leading_flags(pattern, expected):
    assert js_regex(pattern) == expected


@pytest.mark.parametrize("pattern", [r"(?P<id>\d+)", r"(?x) a b", r"\Aabc"])
def test_js_regex_refuses_python_only_syntax(pattern):
    with pytest.raises(ValueError):
        js_regex(pattern)


def test_every_identifier_pattern_has_a_javascript_form():
    for name, pattern in identifier_patterns(load_rules()).items():
        converted = js_regex(pattern)
        flags = re.IGNORECASE if "i" in converted["flags"] else 0
        assert re.compile(converted["source"], flags), name

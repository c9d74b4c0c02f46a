"""Required literals: the gate that spares the classifier patterns a text cannot match.
It may let a text through needlessly, but must never hold back one the pattern matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.literals import required_literals
from backend.rules import DEFAULT_RULES_DIR, load_rules
from backend.text import compile_rule_pattern, normalize

from .test_classify import CORPORA, load_cases

RULE_PATTERNS = [
    compile_rule_pattern(pattern)
    for category in load_rules(DEFAULT_RULES_DIR).categories.categories
    for signal in category.signals
    for pattern in signal.patterns
]


def passes_gate(pattern: re.Pattern[str], text: str) -> bool:
    literals = required_literals(pattern)
    return literals is None or any(literal in text.lower() for literal in literals)


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\b(account|store)\b[^.]{0,40}\b(suspend\w*|banned)", {"suspend", "banned"}),
        (r"(?<![A-Za-z0-9])FBA[0-9A-Z]*", {"fba"}),
        (r"(钱|款)[^，。]{0,12}(没到|冻结)", {"没到", "冻结"}),
        (r"\bIP\b", {"ip"}),
        (r"x[ab]", {"x"}),  # the run "x" and the class [ab] are both one character
        (r"(?:ab)+c", {"ab"}),
        (r"(ab)?cd", {"cd"}),
        (r"taken down|delisted", {"taken down", "delisted"}),
    ],
)
def test_literals_every_match_needs(pattern, literals):
    assert required_literals(compile_rule_pattern(pattern)) == literals


@pytest.mark.parametrize("pattern", [r"\d+", r"(abc|\d)x?", r"[^.]{3}", r"(ab)*", r"a?b?"])
def test_no_requirement_means_always_run(pattern):
    assert required_literals(compile_rule_pattern(pattern)) is None


def test_every_rule_pattern_has_a_requirement():
    # Not needed for correctness, but a pattern without one runs on every text.
    assert all(required_literals(p) for p in RULE_PATTERNS)


@pytest.mark.parametrize("pattern", RULE_PATTERNS, ids=lambda p: p.pattern[:40])
@settings(max_examples=25, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_text_a_rule_pattern_matches_passes_its_gate(pattern, data):
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text)
    assert passes_gate(pattern, text)


@pytest.mark.parametrize("name", [name for name, *_ in CORPORA])
def test_gate_holds_back_no_corpus_text_a_pattern_matches(name):
    for _, text in load_cases(name):
        text = normalize(text)
        for pattern in RULE_PATTERNS:
            if pattern.search(text):
                assert passes_gate(pattern, text), (pattern.pattern, text)

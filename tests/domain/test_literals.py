"""Required literals: the gate that spares the classifier patterns a text cannot match.
It may let a text through needlessly, but must never hold back one the pattern matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_support.domain.classifier import Classifier, _Pattern
from seller_support.domain.literals import required_literals
from seller_support.domain.text import compile_rule_pattern, normalize
from seller_support.rules import DEFAULT_RULES_DIR, load_rules
from seller_support.train import corpus_files, read_corpus

CLASSIFIER = Classifier(load_rules(DEFAULT_RULES_DIR).categories)


def python_pattern(pattern: str) -> re.Pattern[str]:
    """Python's reading, as the rules read classifier patterns: the gate reads any pattern
    this way, including the look-around RE2 could not run."""
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


def matched_by_classifier(pattern: _Pattern, text: str) -> bool:
    return pattern.key in CLASSIFIER._matches(normalize(text))


def matches(pattern: _Pattern, text: str) -> bool:
    match = pattern.regex.search(normalize(text))
    return bool(match and match.group(0).strip())


@pytest.mark.parametrize(
    ("pattern", "requirements"),
    [
        (
            r"\b(account|store)\b[^.]{0,40}\b(suspend\w*|banned)",
            [{"account", "store"}, {"suspend", "banned"}],
        ),
        (r"(?<![A-Za-z0-9])FBA[0-9A-Z]*", [{"fba"}]),
        (r"(钱|款)[^，。]{0,12}(没到|冻结)", [{"钱", "款"}, {"没到", "冻结"}]),
        (r"\bIP\b", [{"ip"}]),
        (r"x[ab]", [{"x"}, {"a", "b"}]),
        (r"(?:ab)+c", [{"ab"}, {"c"}]),
        (r"(ab)?cd", [{"cd"}]),
        (r"taken down|delisted", [{"taken down", "delisted"}]),
        (r"(on hold|held) (payment|fund)", [{"on hold", "held"}, {" "}, {"payment", "fund"}]),
    ],
)
def test_literals_every_match_needs(pattern, requirements):
    assert required_literals(python_pattern(pattern)) == requirements


def test_short_requirements_can_be_left_out():
    pattern = python_pattern(r"(钱|款)[^，。]{0,12}(没到|冻结)")
    assert required_literals(pattern, min_length=2) == [{"没到", "冻结"}]


@pytest.mark.parametrize("pattern", [r"\d+", r"(abc|\d)x?", r"[^.]{3}", r"(ab)*", r"a?b?"])
def test_no_requirement_means_always_run(pattern):
    assert required_literals(python_pattern(pattern)) == []


def test_rule_patterns_on_either_engine_are_read_alike():
    rule = compile_rule_pattern(r"(钱|款)[^，。]{0,12}(没到|冻结)")
    assert rule.engine == "re2"
    assert required_literals(rule) == required_literals(python_pattern(rule.pattern))


def test_nearly_every_rule_pattern_is_gated():
    # Not needed for correctness, but an ungated pattern runs on every text.
    ungated = [p.regex.pattern for p in CLASSIFIER._patterns if not p.requirements]
    assert len(ungated) <= 1, ungated


@pytest.mark.parametrize("pattern", CLASSIFIER._patterns, ids=lambda p: p.regex.pattern[:40])
@settings(
    max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_text_a_rule_pattern_matches_is_matched_by_the_classifier(pattern, data):
    text = data.draw(st.from_regex(pattern.regex.python))
    assert matched_by_classifier(pattern, text) == matches(pattern, text)


@pytest.mark.parametrize("path", corpus_files("train") + corpus_files("heldout"), ids=str)
def test_gate_holds_back_no_corpus_text_a_pattern_matches(path):
    for _, text in read_corpus(path):
        for pattern in CLASSIFIER._patterns:
            assert matched_by_classifier(pattern, text) == matches(pattern, text), (
                pattern.regex.pattern,
                text,
            )

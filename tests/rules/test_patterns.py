"""Rule patterns run in time linear in the text: on RE2, or (look-around the id patterns
need) on Python's engine when their backtracking is bounded; anything else is refused
when the rules load, with the file, the rule, the pattern and the reason."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_support.domain.engine import build_engine
from seller_support.domain.text import normalize
from seller_support.rules import DEFAULT_RULES_DIR, RulesError, load_rules
from seller_support.rules.patterns import MAX_STEPS, UnsafePattern, compile_pattern
from tests.adversarial import ISSUE_TEXT, rule_patterns, worst_cases

from .test_loader import edit, rules_copy  # noqa: F401  (a fixture)

RULES = load_rules()
PATTERNS = rule_patterns(RULES)
BROWSER = {name for name in PATTERNS if name.startswith(("materials/", "identifiers/"))}


def compiled(name: str):
    pattern, flags = PATTERNS[name]
    return compile_pattern(pattern, bool(flags & re.IGNORECASE), name in BROWSER)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_rule_pattern_runs_on_a_linear_time_engine(name):
    rule = compiled(name)
    if name in BROWSER:  # look-around edges: Python's engine, bounded (and so in JavaScript)
        assert rule.engine == "re" and rule.steps is not None and rule.steps <= MAX_STEPS
    else:
        assert rule.engine == "re2"


@pytest.mark.alone  # timed, as the two after it
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_rule_pattern_is_fast_on_its_worst_cases(name):
    rule = compiled(name)
    texts = worst_cases(*PATTERNS[name])
    assert texts
    for text in texts:
        start = time.perf_counter()
        list(rule.finditer(text))
        rule.sub(" ", text)
        assert time.perf_counter() - start < 0.1, (name, text[:80])


@pytest.mark.alone
def test_the_issues_text_no_longer_stops_the_classifier():
    engine = build_engine(DEFAULT_RULES_DIR)
    start = time.perf_counter()
    suggestions = engine.analyse(ISSUE_TEXT).suggestions
    assert time.perf_counter() - start < 0.5
    assert suggestions  # and it is still classified


@pytest.mark.parametrize(
    "text",
    ["a to z claim", "A-to-Z", "a2z", "A - 2 - Z", "an a to z", "a\tto\nz", "a\u3000to z"],
)
def test_a_to_z_pattern_still_matches_as_before(text):
    pattern, flags = PATTERNS["categories/a_to_z_claim/0.0"]
    rule = compiled("categories/a_to_z_claim/0.0")
    before = re.compile(pattern, flags).search(normalize(text))
    after = rule.search(normalize(text))
    assert (before and before.span()) == (after and after.span())


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(
    max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_engine_reads_a_pattern_as_python_does(name, data):
    """RE2 is handed Python's reading of the pattern: on normalised text both find the
    same spans (what Python matches is drawn, then searched with both)."""
    rule = compiled(name)
    text = normalize(data.draw(st.from_regex(rule.python)))
    expected = [m.span() for m in rule.python.finditer(text)]
    assert [m.span() for m in rule.finditer(text)] == expected


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"a{,3}", "aaaa"),  # Python: up to 3; RE2 alone would read the braces literally
        (r"[\u4e00-\u9fff]+", "x中文y"),  # \u escapes: Python's, not RE2's syntax
        (r"\s", "a\vb"),  # Python's \s has \v, RE2's does not
        (r"[\s\d]+", "x \v1\t2y"),
        (r"[^\s]+", "ab\vcd"),
        (r"(?i:ab)c", "ABc ABC"),
        (r"(?s)a.b", "a\nb"),
        (r"a.b", "a\nb a-b"),
        (r"x*?y", "xxy"),
        (r"[^\W\d]+", "a1b_c"),
        (r"(?x) a  b  # comment", "ab"),
        (r"\bid\b", "id被 xid"),
        (r"[-a]+|[]x]", "-a-]"),
        (r"\x41\+", "A+"),
    ],
)
def test_python_syntax_keeps_its_meaning_on_re2(pattern, text):
    rule = compile_pattern(pattern)
    assert rule.engine == "re2"
    expected = [m.span() for m in re.finditer(pattern, text, re.ASCII)]
    assert [m.span() for m in rule.finditer(text)] == expected


@pytest.mark.parametrize(
    ("pattern", "browser", "fragments"),
    [
        (r"(?<![a-z])a\w*", False, ["cannot run in linear time", "look-around", "upper bound"]),
        (r"(?=x)(x+)+y", False, ["cannot run in linear time", "upper bound"]),
        (r"(a)\1", False, ["back-reference"]),
        (r"(?=a)(a|aa){1,30}z", False, ["backtracking steps", "narrow"]),
        (r"(?<!\d)\d{2000}", False, ["backtracking steps"]),
        (r"[0-9]+", True, ["JavaScript", "upper bound", "[0-9]{8,14}"]),
        (r"(?<![0-9])([0-9]{1,9}){1,9}", True, ["JavaScript", "backtracking steps"]),
        (r"[[:alpha:]]+", False, ["invalid regular expression", "nested set"]),
        (r"(unclosed", False, ["invalid regular expression"]),
    ],
)
def test_a_pattern_that_could_backtrack_is_refused_with_the_reason(pattern, browser, fragments):
    with pytest.raises(UnsafePattern) as caught:
        compile_pattern(pattern, browser=browser)
    message = str(caught.value)
    assert f"'{pattern}'" in message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.alone
@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(x|xx)*y", r"\bFBA[0-9A-Z]*", r"(a|a?)+b"])
def test_nested_repetition_is_fine_on_re2(pattern):
    # These stop a backtracking engine on a long near-miss; RE2 runs them in linear time.
    rule = compile_pattern(pattern)
    assert rule.engine == "re2"
    start = time.perf_counter()
    assert rule.search("a" * 10_000 + "x" * 10_000 + "!") is None
    assert time.perf_counter() - start < 0.1


@pytest.mark.alone
def test_the_bound_on_pythons_engine_holds():
    """A pattern that runs on Python's engine takes at most `steps` per start position:
    its worst case grows linearly with the text."""
    rule = compile_pattern(r"(?<![0-9])[0-9]{1,100}(?![0-9])")
    assert rule.engine == "re" and rule.steps <= MAX_STEPS

    def cost(length):
        text = "1" * length
        start = time.perf_counter()
        for _ in range(3):
            list(rule.finditer(text))
        return time.perf_counter() - start

    cost(1000)
    assert cost(10_000) < 0.2


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            "categories",
            lambda d: next(c for c in d["categories"] if c["id"] == "a_to_z_claim")["signals"][0][
                "patterns"
            ].append(r"(?<=a)(\s*)+z"),
            [
                "categories.yaml",
                "[a_to_z_claim].signals.0.patterns.1",
                r"'(?<=a)(\s*)+z'",
                "cannot run in linear time",
            ],
        ),
        (
            "materials",
            lambda d: d["identifiers"]["amazon_case_id"].update(detect="(?<![0-9])[0-9]+"),
            ["materials.yaml", "identifiers.amazon_case_id.detect", "JavaScript", "[0-9]+"],
        ),
        (
            "materials",
            lambda d: d["materials"][0].update(detect=r"([0-9]{3}-?)+[0-9]"),
            ["materials.yaml", "materials.0[order_id].detect", "upper bound"],
        ),
        (
            "checks",
            lambda d: d["language"].update(ignore_tokens=r"(\w+)\1"),
            ["checks.yaml", "language.ignore_tokens", "back-reference"],
        ),
    ],
)
def test_a_rules_file_with_a_dangerous_pattern_fails_validation(rules_copy, name, change, expected):  # noqa: F811
    edit(rules_copy, name, change)
    with pytest.raises(RulesError) as caught:
        build_engine(rules_copy)
    for fragment in expected:
        assert fragment in str(caught.value), str(caught.value)
    result = subprocess.run(
        [sys.executable, "-m", "seller_support.validate_rules", str(rules_copy)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert expected[1] in result.stderr

"""Worst-case texts for a regular expression, generated from Python's reading of it: long
runs of the characters its repetitions accept, between the literals it needs, each text
one step short of a match (a near-miss is what makes a backtracking engine try every way).

Used by the tests that every endpoint taking text stays fast on any rule pattern's worst
case (tests/rules/test_patterns.py in-process, tests/web/test_adversarial_text.py through
the real server)."""

from __future__ import annotations

import re
import re._parser as sre_parse
from dataclasses import dataclass
from re._constants import (
    ANY,
    BRANCH,
    CATEGORY,
    CATEGORY_DIGIT,
    CATEGORY_NOT_DIGIT,
    CATEGORY_NOT_SPACE,
    CATEGORY_NOT_WORD,
    CATEGORY_SPACE,
    CATEGORY_WORD,
    IN,
    LITERAL,
    MAX_REPEAT,
    MAXREPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_LITERAL,
    RANGE,
    SUBPATTERN,
)

from seller_support.domain.contract import MAX_TEXT
from seller_support.rules import Rules

# The issue's own text: A-to-z's old pattern took minutes on it.
ISSUE_TEXT = "a" + " " * 3300 + "to" + " " * 6600 + "y z"
_CANDIDATES = " a1x-.的，\t"


@dataclass(frozen=True)
class Run:
    """A repetition: `unit` over and over, between `low` and `high` (None: no bound) times."""

    unit: str
    low: int
    high: int | None


Segment = str | Run


def _in_class(char: str, items) -> bool:
    negate = bool(items) and items[0][0] is NEGATE
    found = False
    for op, av in items[1:] if negate else items:
        if op is LITERAL:
            found |= ord(char) == av
        elif op is RANGE:
            found |= av[0] <= ord(char) <= av[1]
        elif op is CATEGORY:
            found |= {
                CATEGORY_DIGIT: char.isascii() and char.isdigit(),
                CATEGORY_NOT_DIGIT: not (char.isascii() and char.isdigit()),
                CATEGORY_WORD: char.isascii() and (char.isalnum() or char == "_"),
                CATEGORY_NOT_WORD: not (char.isascii() and (char.isalnum() or char == "_")),
                CATEGORY_SPACE: char in " \t\n\r\f\v",
                CATEGORY_NOT_SPACE: char not in " \t\n\r\f\v",
            }.get(av, False)
    return found != negate


def _char(op, av) -> str:
    """One character the element accepts."""
    if op is LITERAL:
        return chr(av)
    if op is NOT_LITERAL:
        return next(c for c in _CANDIDATES if ord(c) != av)
    if op is ANY:
        return "x"
    if op is IN:
        for c in _CANDIDATES:
            if _in_class(c, av):
                return c
        for op_, av_ in av:
            if op_ is LITERAL:
                return chr(av_)
            if op_ is RANGE:
                return chr(av_[0])
    return ""


def skeletons(pattern: str, flags: int = 0) -> list[list[Segment]]:
    """The pattern as segments, one list per way through its alternatives (first and last
    alternative of every branch)."""
    items = list(sre_parse.parse(pattern, flags))
    return [_segments(items, choice) for choice in (0, -1)]


def _segments(items, choice: int) -> list[Segment]:
    out: list[Segment] = []
    for op, av in items:
        if op is SUBPATTERN:
            out.extend(_segments(list(av[3]), choice))
        elif op is BRANCH:
            out.extend(_segments(list(av[1][choice]), choice))
        elif op in (MAX_REPEAT, MIN_REPEAT):
            low, high, inner = av
            unit = _render(_segments(list(inner), choice), fill=1)
            if unit:
                out.append(Run(unit, low, None if high is MAXREPEAT else high))
        else:
            char = _char(op, av)
            if char:
                out.append(char)
    return out


def _render(segments: list[Segment], fill: int | None) -> str:
    """Runs `fill` times (clamped to their bounds), or as often as allowed (fill None)."""
    parts = []
    for s in segments:
        if isinstance(s, str):
            parts.append(s)
            continue
        times = s.high if fill is None else max(s.low, min(fill, s.high or fill))
        parts.append(s.unit * (times if times is not None else 1))
    return "".join(parts)


def _fill(text: str, length: int = MAX_TEXT) -> str:
    if not text:
        return text
    return (text * (length // len(text) + 1))[:length]


def worst_cases(pattern: str, flags: int = 0, length: int = MAX_TEXT) -> list[str]:
    """Near-miss texts of at most `length` characters for the pattern."""
    texts = set()
    for segments in skeletons(pattern, flags):
        if not segments:
            continue
        short = segments[:-1] or segments  # one step short of a match
        unbounded = [s for s in short if isinstance(s, Run) and s.high is None]
        budget = max(1, length // (len(unbounded) + 1) // max(1, len(short)))
        # Every run as long as it may be (unbounded ones share the length), then again.
        longest = "".join(
            s if isinstance(s, str) else s.unit * (s.high or budget // len(s.unit) or 1)
            for s in short
        )
        texts.add(_fill(longest, length))
        # Each run alone, as long as the text allows, after the rest of the pattern.
        for i, s in enumerate(short):
            if isinstance(s, Run):
                head = _render(short[:i], fill=1)
                tail = _render(short[i + 1 :], fill=1)
                room = max(0, length - len(head) - len(tail))
                texts.add((head + s.unit * (room // len(s.unit)) + tail)[:length])
        # The smallest match less its last character, over and over.
        smallest = _render(segments, fill=0)
        if len(smallest) > 1:
            texts.add(_fill(smallest[:-1], length))
        # Each run's characters with the pattern's literals between them.
        literals = [s for s in segments if isinstance(s, str)]
        for s in short:
            if isinstance(s, Run):
                step = max(1, length // (len(literals) + 1) // len(s.unit))
                texts.add("".join(lit + s.unit * step for lit in ["", *literals])[: length - 1])
    return sorted(texts, key=len)


def rule_patterns(rules: Rules) -> dict[str, tuple[str, int]]:
    """Every pattern in the rules: a readable id → (pattern, Python flags it is read with)."""
    found = {}
    for category in rules.categories.categories:
        for i, signal in enumerate(category.signals):
            for j, pattern in enumerate(signal.patterns):
                found[f"categories/{category.id}/{i}.{j}"] = (pattern, re.IGNORECASE | re.ASCII)
    for material in rules.materials.materials:
        if material.detect:
            found[f"materials/{material.id}"] = (material.detect, re.ASCII)
    for name, identifier in rules.materials.identifiers.items():
        found[f"identifiers/{name}"] = (identifier.detect, re.ASCII)
    found["checks/ignore_tokens"] = (rules.checks.language.ignore_tokens, re.ASCII)
    return found

"""The literal strings a regular expression cannot match without: a cheap test that
tells which patterns are worth running on a text at all.

It reads the pattern with CPython's own regular-expression parser (`re._parser`, the
module hypothesis's `from_regex` reads patterns with too). Anything it does not
understand means "no requirement", so the answer errs towards running the pattern.
"""

from __future__ import annotations

import re
import re._parser as sre_parse
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SUBPATTERN,
)

from ..rules.patterns import RulePattern

Literals = frozenset[str]  # one of these strings
# A compiled pattern: re.Pattern, or a rule pattern (rules/patterns.py), whichever engine
# runs it; either way Python's parser reads its `pattern` with its `flags`.
Pattern = re.Pattern[str] | RulePattern
_ZERO_WIDTH = (AT, ASSERT, ASSERT_NOT)


def required_literals(pattern: Pattern, min_length: int = 1) -> list[Literals]:
    """Requirements every match meets: for each set, the match contains at least one of
    its strings (lower case). An empty list: no requirement found. Sets with a string
    shorter than `min_length` are left out, as too common to rule much out. Compare them
    with the text in lower case: that can only let through more texts than the pattern
    (with any flags) matches, never fewer."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return []
    return [
        frozenset(s.lower() for s in found)
        for found in _each_requirement(list(parsed))
        if min(map(len, found)) >= min_length
    ]


def _each_requirement(items: list) -> list[Literals]:
    """Every element of a sequence is matched, so each one's requirement holds."""
    found: list[Literals] = []
    run = ""  # consecutive literal characters are matched as one string
    for op, arg in items:
        if op is LITERAL:
            run += chr(arg)
            continue
        if run:
            found.append(frozenset([run]))
            run = ""
        if op not in _ZERO_WIDTH:
            inner = _in_element(op, arg)
            if inner:
                found.append(inner)
    if run:
        found.append(frozenset([run]))
    return found


def _best(items: list) -> Literals | None:
    """One requirement of a sequence: the one whose shortest string is longest."""
    return max(_each_requirement(items), key=lambda c: min(map(len, c)), default=None)


def _in_element(op, arg) -> Literals | None:
    if op is SUBPATTERN:  # (group, add_flags, del_flags, items)
        return _best(list(arg[3]))
    if op is BRANCH:  # (None, [items, ...]): each alternative needs its own
        alternatives = [_best(list(items)) for items in arg[1]]
        if all(alternatives):
            return frozenset().union(*alternatives)
        return None
    if op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:  # (min, max, items)
        return _best(list(arg[2]))
    if op is IN and all(item_op is LITERAL for item_op, _ in arg):  # [ab] is "a" or "b"
        return frozenset(chr(c) for _, c in arg)
    return None

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

Literals = frozenset[str]
_ZERO_WIDTH = (AT, ASSERT, ASSERT_NOT)


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Lower-case strings of which every match contains at least one, or None when
    there is no such set. Compare them with the text in lower case: that can only let
    more texts through than the pattern (with any flags) matches, never fewer."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    found = _in_sequence(list(parsed))
    return frozenset(s.lower() for s in found) if found else None


def _in_sequence(items: list) -> Literals | None:
    """Every element of a sequence is matched, so the best requirement of any one will
    do: the one whose shortest string is longest (the rarest to find by chance)."""
    candidates: list[Literals] = []
    run = ""  # consecutive literal characters are matched as one string
    for op, arg in items:
        if op is LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        if op not in _ZERO_WIDTH:
            found = _in_element(op, arg)
            if found:
                candidates.append(found)
    if run:
        candidates.append(frozenset([run]))
    return max(candidates, key=lambda c: min(map(len, c)), default=None)


def _in_element(op, arg) -> Literals | None:
    if op is SUBPATTERN:  # (group, add_flags, del_flags, items)
        return _in_sequence(list(arg[3]))
    if op is BRANCH:  # (None, [items, ...]): each alternative needs its own
        alternatives = [_in_sequence(list(items)) for items in arg[1]]
        if all(alternatives):
            return frozenset().union(*alternatives)
        return None
    if op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:  # (min, max, items)
        return _in_sequence(list(arg[2]))
    if op is IN and all(item_op is LITERAL for item_op, _ in arg):  # [ab] is "a" or "b"
        return frozenset(chr(c) for _, c in arg)
    return None

"""The contract: every value the extension needs from the rules, in one document.

Served at GET /api/v1/contract; `make generate` writes the same document into the
extension as its built-in copy for when the backend is down. The marketplaces document
(GET /api/v1/marketplaces) is built here too, for the same reason."""

from __future__ import annotations

import re
from typing import get_args

from ..rules import Rules
from ..rules.models import AccountStatus

# A case description: ample, and usually within the 64 KiB body limit.
MAX_TEXT = 10_000

# An Amazon case id as the case log stores it: the whole value, in the format that
# materials.yaml's identifiers.amazon_case_id finds in a text (all ASCII digits, 8 to 14;
# tests/domain/test_contract.py keeps the two in step).
AMAZON_CASE_ID = r"^[0-9]{8,14}$"

# Python's global inline flags that mean the same in a JavaScript RegExp.
_JS_FLAGS = {"i": "i", "m": "m", "s": "s"}
_LEADING_FLAGS = re.compile(r"^\(\?([a-zA-Z]+)\)")
_PYTHON_ONLY = ("(?P", "(?#", "\\A", "\\Z", "(?(")


def js_regex(pattern: str) -> dict[str, str]:
    """A Python pattern as a JavaScript RegExp's `source` and `flags`. Raises ValueError
    on syntax that JavaScript reads differently, so the rules stay portable."""
    flags = ""
    leading = _LEADING_FLAGS.match(pattern)
    if leading:
        unknown = set(leading.group(1)) - set(_JS_FLAGS)
        if unknown:
            raise ValueError(f"{pattern!r}: flags {sorted(unknown)} have no JavaScript form")
        flags = "".join(sorted(_JS_FLAGS[f] for f in set(leading.group(1))))
        pattern = pattern[leading.end() :]
    for token in _PYTHON_ONLY:
        if token in pattern:
            raise ValueError(f"{pattern!r}: {token!r} is Python-only regular-expression syntax")
    return {"source": pattern, "flags": flags}


def identifier_patterns(rules: Rules) -> dict[str, str]:
    """Id name → Python pattern: materials that detect an id, then the other identifiers."""
    found = {m.id: m.detect for m in rules.materials.materials if m.detect}
    found.update({name: i.detect for name, i in rules.materials.identifiers.items()})
    return found


def build_contract(rules: Rules) -> dict:
    return {
        "max_text_length": MAX_TEXT,
        "case_age_days_from_hours": rules.checks.case_age_days_from_hours,
        # The options page's choices, in the order it lists them (hours.yaml's barriers
        # and the hours and precheck requests use these names).
        "account_statuses": list(get_args(AccountStatus)),
        "identifiers": {
            name: js_regex(pattern) for name, pattern in identifier_patterns(rules).items()
        },
    }


def build_marketplaces(rules: Rules) -> dict:
    """GET /api/v1/marketplaces: the covered marketplaces (without the rules-only holiday
    country and source), the ids of the ones not covered, and the time zones' display
    names."""
    return {
        "marketplaces": [
            m.model_dump(exclude={"holiday_country", "source"})
            for m in rules.marketplaces.marketplaces
        ],
        "uncovered_marketplace_ids": [
            m.model_dump() for m in rules.marketplaces.uncovered_marketplace_ids
        ],
        "zones": [z.model_dump() for z in rules.marketplaces.zones],
    }

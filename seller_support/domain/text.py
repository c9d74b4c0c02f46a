"""Text helpers shared by the classifier, the checks and the duplicate check."""

from __future__ import annotations

import re
from typing import Literal

from ..rules.patterns import RulePattern, compile_pattern

# The case log stores each case's text normalised by the same function (at write time).
from ..store.text import normalize as normalize

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
Language = Literal["zh", "en", "mixed"]


def zh_share(normalized: str, ignore_tokens: RulePattern, chars_per_word: float) -> float:
    """Chinese share of the prose, counting an English word as `chars_per_word` characters.

    IDs and acronyms are removed first: "ASIN B0ABCD1234 被移除" is Chinese prose.
    Returns 0.0 for text with neither.
    """
    prose = ignore_tokens.sub(" ", normalized)
    cjk = len(CJK.findall(prose))
    latin = chars_per_word * len(ENGLISH_WORD.findall(prose))
    total = cjk + latin
    return cjk / total if total else 0.0


def detect_language(share: float, zh_at: float, mixed_at: float) -> Language:
    if share >= zh_at:
        return "zh"
    if share >= mixed_at:
        return "mixed"
    return "en"


def compile_rule_pattern(pattern: str) -> RulePattern:
    """A classifier pattern: case-insensitive, with ASCII word classes, so that \\b and \\w
    see "listing被删" as a word and then Chinese; on a linear-time engine."""
    return compile_pattern(pattern, ignore_case=True)

"""Text helpers shared by the classifier, the checks and the duplicate check."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
Language = Literal["zh", "en", "mixed"]


def normalize(text: str) -> str:
    """NFKC folds full-width letters and digits (ＡＳＩＮ, １２３) that Chinese IMEs produce."""
    return unicodedata.normalize("NFKC", text)


def zh_share(normalized: str, ignore_tokens: re.Pattern[str], chars_per_word: float) -> float:
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


def compile_rule_pattern(pattern: str) -> re.Pattern[str]:
    """Case-insensitive, with ASCII word classes, so that \\b and \\w see "listing被删" as
    a word and then Chinese."""
    return re.compile(pattern, re.IGNORECASE | re.ASCII)

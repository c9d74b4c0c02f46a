"""Is a new case a duplicate of one already filed? Text similarity that works for Chinese
(no spaces) and English (word order, small edits), plus shared order ids and ASINs."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

_NOT_WORD = re.compile(r"[\W_]+")


def words_only(normalized: str) -> str:
    """Lower case, punctuation to single spaces."""
    return _NOT_WORD.sub(" ", normalized.lower()).strip()


def similarity(a: str, b: str, min_length_ratio: float) -> float:
    """0–100, for two NFKC-normalised texts (`text.normalize`). The best of two views:

    - characters with spaces removed (`fuzz.ratio`): Chinese has no word boundaries, and
      this also forgives English spacing and punctuation;
    - words as a set (`fuzz.token_set_ratio`): English word order and added filler. A set
      match also scores 100 when one text merely contains the other, so it only counts
      when the texts have comparable lengths (`min_length_ratio`).
    """
    words_a, words_b = words_only(a), words_only(b)
    chars_a, chars_b = words_a.replace(" ", ""), words_b.replace(" ", "")
    if not chars_a or not chars_b:
        return 0.0
    score = fuzz.ratio(chars_a, chars_b)
    if min(len(chars_a), len(chars_b)) / max(len(chars_a), len(chars_b)) >= min_length_ratio:
        score = max(score, fuzz.token_set_ratio(words_a, words_b))
    return score


def identifiers(normalized: str, pattern: str) -> set[str]:
    """Every match of a material's `detect` pattern in a normalised text, in upper case
    (ASINs are written either way)."""
    return {m.group(0).upper() for m in re.finditer(pattern, normalized)}

"""Is a new case a duplicate of one already filed? Text similarity that works for Chinese
(no spaces) and English (word order, small edits), plus shared order ids and ASINs."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from ..rules.patterns import compile_pattern

# The case log stores each case's `words_only` form, worked out when it was written.
from ..store.text import words_only


class Comparable:
    """A text in the two forms `similarity` compares, from its `words_only` form (stored
    with each case; worked out once for a draft, which is compared with many cases)."""

    __slots__ = ("chars", "words")

    def __init__(self, words: str):
        self.words = words
        self.chars = words.replace(" ", "")

    @classmethod
    def of(cls, normalized: str) -> Comparable:
        return cls(words_only(normalized))


def similarity(a: str, b: str, min_length_ratio: float) -> float:
    """0–100, for two NFKC-normalised texts (`text.normalize`). The best of two views:

    - characters with spaces removed (`fuzz.ratio`): Chinese has no word boundaries, and
      this also forgives English spacing and punctuation;
    - words as a set (`fuzz.token_set_ratio`): English word order and added filler. A set
      match also scores 100 when one text merely contains the other, so it only counts
      when the texts have comparable lengths (`min_length_ratio`).
    """
    return compare(Comparable.of(a), Comparable.of(b), min_length_ratio)


def compare(a: Comparable, b: Comparable, min_length_ratio: float, cutoff: float = 0) -> float:
    """`similarity` of two prepared texts; a score below `cutoff` comes back as 0 (rapidfuzz
    stops early on a pair that cannot reach it)."""
    if not a.chars or not b.chars:
        return 0.0
    score = fuzz.ratio(a.chars, b.chars, score_cutoff=cutoff)
    shorter, longer = sorted((len(a.chars), len(b.chars)))
    if shorter / longer >= min_length_ratio and score < 100:
        score = max(score, fuzz.token_set_ratio(a.words, b.words, score_cutoff=cutoff))
    return score


def scores(
    draft: Comparable,
    stored_words: list[str],
    word_sets: list[bool],
    min_length_ratio: float,
    cutoff: float,
) -> list[float]:
    """`compare(draft, Comparable(w), min_length_ratio, cutoff)` for each of `stored_words`
    (`words_only` forms), the word-set view only where `word_sets` says so, in one batch
    per view: rapidfuzz prepares the draft once and runs each pair in C."""
    result = [0.0] * len(stored_words)
    if not draft.chars:
        return result
    chars = [w.replace(" ", "") for w in stored_words]
    for _, score, i in process.extract(
        draft.chars, chars, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
    ):
        result[i] = score
    length = len(draft.chars)
    by_words = [
        i
        for i, wanted in enumerate(word_sets)
        if wanted
        and result[i] < 100
        and chars[i]
        and min(length, len(chars[i])) / max(length, len(chars[i])) >= min_length_ratio
    ]
    for _, score, j in process.extract(
        draft.words,
        [stored_words[i] for i in by_words],
        scorer=fuzz.token_set_ratio,
        score_cutoff=cutoff,
        limit=None,
    ):
        result[by_words[j]] = max(result[by_words[j]], score)
    return result


def identifiers(normalized: str, pattern: str) -> set[str]:
    """Every match of a material's `detect` pattern in a normalised text, in upper case
    (ASINs are written either way)."""
    return {m.group(0).upper() for m in compile_pattern(pattern).finditer(normalized)}

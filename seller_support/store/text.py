"""The text forms that the case log stores with every case (worked out once, at write time)
and the domain works out for every draft, so that a stored case and a new draft compare
alike."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """NFKC folds full-width letters and digits (ＡＳＩＮ, １２３) that Chinese IMEs produce."""
    return unicodedata.normalize("NFKC", text)


def words_only(normalized: str) -> str:
    """Lower case, punctuation to single spaces: what the duplicate check compares."""
    return _NOT_WORD.sub(" ", normalized.lower()).strip()


def words_of(text: str) -> str:
    return words_only(normalize(text))


# pg_trgm's default `similarity_threshold`: two texts are similar (its `%`) from here on.
SIMILARITY_THRESHOLD = 0.3
_WORD = re.compile(r"[^\W_]+")


def trigrams(words: str) -> frozenset[str]:
    """pg_trgm's trigrams of a text: each word, lower case, padded with two spaces before
    and one after, cut into every run of three characters."""
    grams: set[str] = set()
    for word in _WORD.findall(words.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity`: shared trigrams over all trigrams of either (0 to 1), so
    the SQLite log finds the candidates the PostgreSQL one finds with its index."""
    return trigram_similarity(trigrams(a), b)


def trigram_similarity(ours: frozenset[str], b: str) -> float:
    """`similarity` with the first text's trigrams worked out already (once for a draft
    compared with many stored cases)."""
    theirs = trigrams(b)
    shared = len(ours & theirs)
    union = len(ours) + len(theirs) - shared
    return shared / union if union else 0.0

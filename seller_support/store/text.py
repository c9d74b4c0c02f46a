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

"""What the learned model reads in a case text. `make train` fits the model on exactly these
features and the backend scores a draft with them: one function, so the two cannot drift.

- Chinese: character 1- to 3-grams inside each run of Chinese characters (no word
  boundaries to rely on; 2- and 3-grams carry most words, 1-grams catch 封, 钱, 货).
- English and pinyin-free Latin text: each word, its first five letters (suspended,
  suspension and suspend share "suspe"; it also forgives typos at the end of a word) and
  each pair of neighbouring words.
- Ids and numbers by their shape (an order id, an ASIN, an FBA shipment id, a long
  number, a number), so the model learns "an order id is mentioned", not one order id.
- **The ask weighs more than the story.** A sentence that asks (a question mark, how /
  please / help, 怎么 / 如何 / 请问 / 求…) and the last sentence count `ASK_WEIGHT` times.

Values are 1 + log(count) of the weighted counts, scaled to unit length (long posts do
not shout; very short texts stay quiet: `MIN_NORM`), and every feature keeps the span of
its first occurrence, so the reasons can quote the seller's own words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import repeat
from operator import add, mul, truediv

# Written into the model file by `make train`; a model built for other features is refused.
FEATURES_VERSION = 1
ASK_WEIGHT = 2  # a whole number: an asking sentence's features are counted this often
# Vectors are scaled to unit length, but never by less than this: a text of two or three
# features ("12345", "hello") must not speak as loudly as a sentence that says something.
MIN_NORM = 6.0

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
# A sentence ends at a full stop, question or exclamation mark (either width), a semicolon
# or a line break; an English full stop only before a space or the end (not in "3.5").
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|\.(?=\s|$)")
_QUESTION = re.compile(r"[?？吗呢]")
_ASK_WORDS_EN = re.compile(
    r"\b(how|what|why|when|where|which|who|can|could|would|should|please|pls|plz|help|"
    r"need|want|anyone|advice|advise|suggest\w*|is there|do i|does|tell me)\b"
)
_ASK_WORDS_ZH = re.compile(
    r"怎么|怎样|如何|请问|求助|求|能否|能不能|可否|是否|帮忙|帮我|想知道|该|请"
)
_SHAPES = (  # the shape an id or number is reduced to (tokens are lower case here)
    (re.compile(r"\d{3}-\d{7}-\d{7}"), "#order_id"),  # Amazon order id 3-7-7
    (re.compile(r"b0[a-z0-9]{8}"), "#asin"),
    (re.compile(r"fba[a-z0-9]{6,}"), "#fba_shipment"),
    (re.compile(r"\d{8,}"), "#long_number"),  # Amazon case ids, tracking numbers
)
_DIGIT = re.compile(r"\d")


class _OnePlusLog(dict):
    """1 + log(count), worked out once per count: math.log of an int is slow, and counts
    repeat (most are 1, 2 or 3). A count is at most twice a text's length, so the table
    stays small (shared by threads: a race writes the same value twice)."""

    def __missing__(self, count: int) -> float:
        value = self[count] = 1.0 + math.log(count)
        return value


_ONE_PLUS_LOG = _OnePlusLog()


class Features:
    """A text's features: each one's weighted count, in the order of first occurrence
    (the model sums in that order), the length the values are scaled by, and the spans."""

    __slots__ = ("counts", "norm", "spans", "_values")

    def __init__(self, counts: dict[str, int], norm: float, spans: Mapping[str, tuple[int, int]]):
        self.counts, self.norm, self.spans = counts, norm, spans
        self._values: dict[str, float] | None = None

    @property
    def values(self) -> dict[str, float]:
        """feature -> value (unit length over all features). Worked out when first asked
        for: scoring a draft needs only the values of the features the model knows."""
        if self._values is None:
            self._values = dict(zip(self.counts, self.scaled(self.counts.values()), strict=True))
        return self._values

    def scaled(self, counts: Iterable[int]) -> list[float]:
        """The values of features counted so often."""
        return list(map(truediv, map(_ONE_PLUS_LOG.__getitem__, counts), repeat(self.norm)))


class _FirstSpans(Mapping):
    """Each feature's first span, worked out only for the few features a reason quotes.
    A Chinese n-gram's first occurrence in the text is its first span (it lies inside a
    run of Chinese characters, and runs are read in text order); the Latin features'
    spans are kept while they are read."""

    __slots__ = ("_folded", "_counts", "_latin")

    def __init__(self, folded: str, counts: dict[str, int], latin: dict[str, tuple[int, int]]):
        self._folded, self._counts, self._latin = folded, counts, latin

    def __getitem__(self, feature: str) -> tuple[int, int]:
        if feature not in self._counts:
            raise KeyError(feature)
        span = self._latin.get(feature)
        if span is None:
            start = self._folded.find(feature)
            span = (start, start + len(feature))
        return span

    def __iter__(self):
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def _fold(text: str) -> str:
    """Lower case with every position kept (a few letters, İ, lower to two characters)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(c.lower()[0] for c in text)


def _sentences(folded: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(folded):
        if folded[start : end.end()].strip():
            spans.append((start, end.end()))
        start = end.end()
    if folded[start:].strip():
        spans.append((start, len(folded)))
    return spans


def is_ask(sentence: str) -> bool:
    """Does a (folded) sentence ask for something?"""
    return bool(
        _QUESTION.search(sentence)
        or _ASK_WORDS_ZH.search(sentence)
        or _ASK_WORDS_EN.search(sentence)
    )


def story(text: str) -> list[str]:
    """The sentences of a normalised text that ask for nothing (`is_ask`), folded: what
    happened, as the seller tells it."""
    folded = _fold(text)
    return [folded[start:end] for start, end in _sentences(folded) if not is_ask(folded[start:end])]


def _shape(token: str) -> str | None:
    """An id's or number's shape feature, or None for a word."""
    if not _DIGIT.search(token):
        return None
    for pattern, name in _SHAPES:
        if pattern.fullmatch(token):
            return name
    return "#number"


def _chinese_features(folded: str, start: int, end: int) -> list[str]:
    """The Chinese 1-, 2- and 3-grams of one sentence, run by run, each size in turn."""
    grams: list[str] = []
    for run in _CJK_RUN.finditer(folded, start, end):
        chars = run.group()
        pairs = list(map(add, chars, chars[1:]))  # joined in C: the bulk of a Chinese text
        grams += chars
        grams += pairs
        grams += map(add, pairs, chars[2:])
    return grams


def _latin_features(folded: str, start: int, end: int, spans: dict) -> list[str]:
    """The words, prefixes, word pairs and id shapes of one sentence; the first span of
    each is kept in `spans`."""
    found: list[str] = []
    previous = None
    for token in _LATIN_TOKEN.finditer(folded, start, end):
        word, span = token.group(), token.span()
        shape = None if word.isalpha() else _shape(word)  # a plain word: no regex
        if shape:
            found.append(shape)
            spans.setdefault(shape, span)
            previous = None
            continue
        found.append("w:" + word)
        spans.setdefault(found[-1], span)
        if len(word) > 5:
            found.append("p:" + word[:5])
            spans.setdefault(found[-1], span)
        if previous is not None and folded[previous[1] : span[0]].strip() == "":
            found.append(f"b:{previous[0]} {word}")
            spans.setdefault(found[-1], (previous[2], span[1]))
        previous = (word, span[1], span[0])
    return found


def extract(text: str) -> Features:
    """The model's features of a normalised text (`text.normalize`)."""
    folded = _fold(text)
    sentences = _sentences(folded)
    latin_spans: dict[str, tuple[int, int]] = {}
    occurrences: list[str] = []  # every feature as often as it occurs, in text order
    asked: list[str] = []  # those of the asking sentences once more (ASK_WEIGHT - 1 times)
    for number, (start, end) in enumerate(sentences):
        found = _chinese_features(folded, start, end)
        found += _latin_features(folded, start, end, latin_spans)
        occurrences += found
        if number == len(sentences) - 1 or is_ask(folded[start:end]):
            asked += found * (ASK_WEIGHT - 1)
    # Counted in C, in the order of first occurrence (the model sums in that order).
    counts = Counter(occurrences)
    counts.update(asked)
    logs = list(map(_ONE_PLUS_LOG.__getitem__, counts.values()))
    norm = max(MIN_NORM, math.sqrt(sum(map(mul, logs, logs))))
    return Features(counts, norm, _FirstSpans(folded, counts, latin_spans))

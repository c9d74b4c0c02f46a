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
from dataclasses import dataclass

# Written into the model file by `make train`; a model built for other features is refused.
FEATURES_VERSION = 1
ASK_WEIGHT = 2.0
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


@dataclass(frozen=True, slots=True)
class Features:
    values: dict[str, float]  # feature -> value (unit length over all features)
    spans: dict[str, tuple[int, int]]  # feature -> its first span in the text


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


def _shape(token: str) -> str | None:
    """An id's or number's shape feature, or None for a word."""
    if not _DIGIT.search(token):
        return None
    for pattern, name in _SHAPES:
        if pattern.fullmatch(token):
            return name
    return "#number"


def _sentence_features(folded: str, start: int, end: int):
    """(feature, span) for every feature of one sentence, in text order."""
    for run in _CJK_RUN.finditer(folded, start, end):
        chars, offset = run.group(), run.start()
        for size in (1, 2, 3):
            for i in range(len(chars) - size + 1):
                yield chars[i : i + size], (offset + i, offset + i + size)
    previous = None
    for token in _LATIN_TOKEN.finditer(folded, start, end):
        word, span = token.group(), token.span()
        shape = _shape(word)
        if shape:
            yield shape, span
            previous = None
            continue
        yield "w:" + word, span
        if len(word) > 5:
            yield "p:" + word[:5], span
        if previous is not None and folded[previous[1] : span[0]].strip() == "":
            yield f"b:{previous[0]} {word}", (previous[2], span[1])
        previous = (word, span[1], span[0])


def extract(text: str) -> Features:
    """The model's features of a normalised text (`text.normalize`)."""
    folded = _fold(text)
    sentences = _sentences(folded)
    counts: dict[str, float] = {}
    spans: dict[str, tuple[int, int]] = {}
    for number, (start, end) in enumerate(sentences):
        last = number == len(sentences) - 1
        weight = ASK_WEIGHT if last or is_ask(folded[start:end]) else 1.0
        for feature, span in _sentence_features(folded, start, end):
            counts[feature] = counts.get(feature, 0.0) + weight
            spans.setdefault(feature, span)
    values = {f: 1.0 + math.log(c) for f, c in counts.items()}
    norm = max(MIN_NORM, math.sqrt(sum(v * v for v in values.values())))
    values = {f: v / norm for f, v in values.items()}
    return Features(values, spans)

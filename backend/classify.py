"""Explainable category suggestions from weighted phrases kept in categories.yaml.

All phrases of all categories go into one Aho-Corasick automaton (pyahocorasick), so a
text is scanned once however many phrases there are. The few regular-expression patterns
run only on texts that contain a literal each needs, found by one more such scan."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from .literals import required_literals
from .text import CJK, compile_rule_pattern, normalize

if TYPE_CHECKING:
    from .rules.models import CategoriesFile, Category

_OTHER_SEPARATOR = re.compile(r"[^\S ]|-")  # tabs, newlines, other spaces, hyphens
_LONG_SEPARATOR_RUN = re.compile(r" {2,}")
_WORD_CHAR = re.compile(r"[a-z0-9]")
_WORD_TAIL = re.compile(r"[\w'-]*", re.ASCII)


@dataclass(frozen=True)
class _Phrase:
    key: int  # each phrase counts once, whichever of its spellings matched
    category: str
    weight: float
    whole_words: bool  # English: must not start or end inside a word
    prefix: bool  # a trailing `*`: the match runs on to the end of the word


@dataclass(frozen=True)
class Suggestion:
    category: Category
    score: float
    raw: float
    reasons: list[str]


class _Folded:
    """Text in lower case with every run of spaces and hyphens as one space, and the way
    back to positions in the original (so reasons quote the seller's own spelling)."""

    def __init__(self, text: str):
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters (İ) lower to two characters
            lowered = "".join(c.lower()[0] for c in text)
        spaced = _OTHER_SEPARATOR.sub(" ", lowered)  # one for one: positions are kept
        # Usually every run is one character long and the positions stay as they are.
        runs = [m.span() for m in _LONG_SEPARATOR_RUN.finditer(spaced)]
        self.text = _LONG_SEPARATOR_RUN.sub(" ", spaced) if runs else spaced
        # Folded start of each collapsed run, and how far the original is ahead after it.
        self._run_starts, self._shifts, shift = [], [], 0
        for start, end in runs:
            self._run_starts.append(start - shift)
            shift += end - start - 1
            self._shifts.append(shift)

    def original(self, index: int) -> int:
        run = bisect.bisect_right(self._run_starts, index) - 1
        return index + (self._shifts[run] if run >= 0 else 0)


def _spellings(phrase: str) -> set[str]:
    """A phrase's folded spellings. Between Latin and Chinese a space is optional
    ("listing 被下架" and "listing被下架"), so both are registered."""
    tokens = _Folded(normalize(phrase)).text.split(" ")
    gaps = [bool(CJK.search(a[-1] + b[0])) for a, b in itertools.pairwise(tokens)]
    spellings = set()
    for joins in itertools.product(*[(" ", "") if gap else (" ",) for gap in gaps]):
        spellings.add(tokens[0] + "".join(j + t for j, t in zip(joins, tokens[1:], strict=True)))
    return spellings


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


class _PatternGate:
    """Which of a list of patterns can match a text, judged by the literals each needs
    (found in one scan of the text in lower case). A pattern that needs none always runs."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self._always: set[int] = set()
        by_literal: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            literals = required_literals(pattern)
            if literals is None:
                self._always.add(index)
            for literal in literals or ():
                by_literal.setdefault(literal, []).append(index)
        self._automaton = ahocorasick.Automaton()
        for literal, indexes in by_literal.items():
            self._automaton.add_word(literal, tuple(indexes))
        if by_literal:
            self._automaton.make_automaton()

    def worth_running(self, text: str) -> set[int]:
        found = set(self._always)
        if len(self._automaton):
            for _, indexes in self._automaton.iter(text.lower()):
                found.update(indexes)
        return found


class Classifier:
    def __init__(self, categories: CategoriesFile):
        self._scoring = categories.scoring
        self._categories = categories.categories
        self._fallback = next(
            c for c in categories.categories if c.id == categories.scoring.fallback
        )
        self._automaton = ahocorasick.Automaton()
        self._patterns: list[tuple[int, str, float, re.Pattern[str]]] = []
        by_spelling: dict[str, list[_Phrase]] = {}
        keys = itertools.count()
        for category in categories.categories:
            for signal in category.signals:
                for text in signal.phrases:
                    core = text.rstrip("*")
                    phrase = _Phrase(
                        next(keys), category.id, signal.weight, not CJK.search(core), text != core
                    )
                    for spelling in _spellings(core):
                        by_spelling.setdefault(spelling, []).append(phrase)
                for pattern in signal.patterns:
                    compiled = compile_rule_pattern(pattern)
                    self._patterns.append((next(keys), category.id, signal.weight, compiled))
        for spelling, phrases in by_spelling.items():
            self._automaton.add_word(spelling, (len(spelling), tuple(phrases)))
        self._automaton.make_automaton()
        self._gate = _PatternGate([pattern for *_, pattern in self._patterns])

    def _phrase_hits(self, text: str):
        """(key, category, weight, span in `text`) for every phrase occurrence."""
        view = _Folded(text)
        folded = view.text
        for end, (length, phrases) in self._automaton.iter(folded):
            start = end + 1 - length
            for phrase in phrases:
                stop = end + 1
                if phrase.whole_words:
                    if start > 0 and _WORD_CHAR.match(folded, start - 1):
                        continue
                    if phrase.prefix:
                        stop = _WORD_TAIL.match(folded, stop).end()
                    elif stop < len(folded) and _WORD_CHAR.match(folded, stop):
                        continue
                span = (view.original(start), view.original(stop - 1) + 1)
                yield phrase.key, phrase.category, phrase.weight, span

    def _pattern_hits(self, text: str):
        worth_running = self._gate.worth_running(text)
        for index, (key, category, weight, pattern) in enumerate(self._patterns):
            if index not in worth_running:
                continue
            match = pattern.search(text)
            if match and match.group(0).strip():
                yield key, category, weight, match.span()

    def _evidence(self, text: str) -> dict[str, tuple[float, list[str]]]:
        """Per category, the summed weight of its matches and the phrases that matched.
        Each phrase counts once however often it occurs, and overlapping matches count
        once: the heavier (then longer) wins, so "账号被封" and the "被封" inside it are
        one signal."""
        first: dict[int, tuple[str, float, tuple[int, int]]] = {}
        for key, category, weight, span in itertools.chain(
            self._phrase_hits(text), self._pattern_hits(text)
        ):
            first.setdefault(key, (category, weight, span))
        found: dict[str, list[tuple[float, tuple[int, int]]]] = {}
        for category, weight, span in first.values():
            found.setdefault(category, []).append((weight, span))
        evidence = {}
        for category, hits in found.items():
            hits.sort(key=lambda hit: (-hit[0], hit[1][0] - hit[1][1]))
            taken: list[tuple[int, int]] = []
            raw, reasons = 0.0, []
            for weight, span in hits:
                if _overlaps(span, taken):
                    # No extra weight, but "被封" + "封号" in "被封号" are both worth showing.
                    if any(start <= span[0] and span[1] <= end for start, end in taken):
                        continue
                else:
                    raw += weight
                taken.append(span)
                phrase = text[span[0] : span[1]].strip()
                if phrase.lower() not in (r.lower() for r in reasons):
                    reasons.append(phrase)
            evidence[category] = (raw, reasons)
        return evidence

    def score_all(self, text: str) -> list[Suggestion]:
        """Every category with any evidence, best first (ties keep the rules file's order)."""
        evidence = self._evidence(normalize(text))
        saturation = self._scoring.saturation
        scored = [
            Suggestion(category, round(raw / (raw + saturation), 3), raw, reasons)
            for category in self._categories
            if category.id in evidence
            for raw, reasons in [evidence[category.id]]
        ]
        scored.sort(key=lambda s: -s.raw)
        return scored

    def suggest(self, text: str) -> list[Suggestion]:
        """Up to max_suggestions, never empty. The fallback category is the last resort:
        it fills a free place, because a question that merely mentions a keyword of one
        category (a review about slow delivery) is often a general one."""
        limit = self._scoring.max_suggestions
        suggestions = self.score_all(text)[:limit]
        if len(suggestions) < limit and all(s.category is not self._fallback for s in suggestions):
            score = min([self._scoring.fallback_score, *(s.score for s in suggestions)])
            suggestions.append(Suggestion(self._fallback, score, 0.0, []))
        return suggestions

"""Explainable category suggestions from weighted phrases kept in categories.yaml.

All phrases of all categories go into one Aho-Corasick automaton (pyahocorasick), so a
text is scanned once however many phrases there are. The same scan looks for the literal
strings the few regular-expression patterns need, and a pattern runs only on a text that
has them (on RE2, in time linear in the text: rules/patterns.py)."""

from __future__ import annotations

import bisect
import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import ahocorasick

from .literals import required_literals
from .text import CJK, compile_rule_pattern, normalize

if TYPE_CHECKING:
    from ..rules.models import CategoriesFile, Category
    from ..rules.patterns import RulePattern

_OTHER_SEPARATOR = re.compile(r"[^\S ]|-")  # tabs, newlines, other spaces, hyphens
_LONG_SEPARATOR_RUN = re.compile(r" {2,}")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # folded: no capitals
_WORD_TAIL = re.compile(r"[\w'-]*", re.ASCII)


@dataclass(frozen=True, slots=True)
class _Phrase:
    key: int  # each phrase counts once, whichever of its spellings matched
    category: str
    weight: float
    whole_words: bool  # English: must not start or end inside a word
    prefix: bool  # a trailing `*`: the match runs on to the end of the word


@dataclass(frozen=True, slots=True)
class _Pattern:
    key: int
    category: str
    weight: float
    regex: RulePattern
    requirements: int  # literal requirements the scan must meet before it runs


class Suggestion(NamedTuple):  # a tuple: the cheapest immutable record to build
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
        runs = [m.span() for m in _LONG_SEPARATOR_RUN.finditer(spaced)] if "  " in spaced else []
        self.text = _LONG_SEPARATOR_RUN.sub(" ", spaced) if runs else spaced
        # Folded start of each collapsed run, and how far the original is ahead after it.
        self._run_starts, self._shifts, shift = [], [], 0
        for start, end in runs:
            self._run_starts.append(start - shift)
            shift += end - start - 1
            self._shifts.append(shift)
        self.shifted = bool(runs)

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


def _weigh(text: str, hits: list[tuple[float, tuple[int, int]]]) -> tuple[float, list[str]]:
    """One category's score and reasons. Overlapping matches count once: the heavier
    (then longer) wins, so "账号被封" and the "被封" inside it are one signal.

    In that order, a match inside a match taken before it is dropped; one that overlaps a
    taken match is shown but adds no weight; any other adds its weight. The tests are the
    pairwise ones, `taken_start <= start and end <= taken_end` (inside, when they overlap)
    and `taken_start < end and start < taken_end` (overlap), but each needs only the taken
    match reaching furthest among those starting early enough. A taken match inside
    another never answers differently, so it is forgotten; the rest, sorted by start, have
    ends that never fall, and the one needed is found by bisection: O(k log k) Python
    steps for k matches (spans 0 <= start <= end; a list insert moves pointers in C),
    where testing every taken match was O(k²)."""
    if len(hits) > 1:
        hits.sort(key=lambda hit: (-hit[0], hit[1][0] - hit[1][1]))
    starts: list[int] = []  # the taken matches not inside another, by start
    ends: list[int] = []  # their ends, which never fall
    raw, reasons, seen = 0.0, [], set()
    for weight, (start, end) in hits:
        if not starts:
            starts.append(start)
            ends.append(end)
            raw += weight
        else:
            at = bisect_right(starts, start)  # the kept ones starting at or before it
            if start < end:
                if at and ends[at - 1] >= end:
                    continue  # inside
                before_end = bisect_left(starts, end, at)  # the kept ones starting before end
                if not (before_end and ends[before_end - 1] > start):
                    raw += weight  # overlaps none
            else:  # an empty span overlaps a taken match only strictly inside it
                before = bisect_left(starts, start, 0, at)
                if before and ends[before - 1] > start:
                    continue
                raw += weight
            # Taken. The kept ones starting before it end by its end (or it would be
            # inside one): it goes after them. Those it holds come next (ends never fall):
            # they are dropped.
            low = at
            while low and starts[low - 1] == start:
                low -= 1
            high = low
            while high < len(ends) and ends[high] <= end:
                high += 1
            if high == low:
                starts.insert(low, start)
                ends.insert(low, end)
            else:
                starts[low:high] = (start,)
                ends[low:high] = (end,)
        # An overlap adds no weight, but "被封" + "封号" in "被封号" are both worth showing.
        phrase = text[start:end].strip()
        folded = phrase.lower()
        if folded not in seen:
            seen.add(folded)
            reasons.append(phrase)
    return raw, reasons


def _phrase_span(view: _Folded, phrase: _Phrase, start: int, stop: int):
    """The span in the original text of a phrase found at folded [start, stop), or None
    when an English phrase starts or ends inside a word."""
    folded = view.text
    if phrase.whole_words:
        if start > 0 and folded[start - 1] in _WORD_CHARS:
            return None
        if phrase.prefix:
            stop = _WORD_TAIL.match(folded, stop).end()
        elif stop < len(folded) and folded[stop] in _WORD_CHARS:
            return None
    if not view.shifted:
        return start, stop
    return view.original(start), view.original(stop - 1) + 1


def _gate_requirements(pattern: RulePattern) -> list[list[str]]:
    """The pattern's literal requirements, folded like the text they are looked for in.
    One or two letters are too common to rule anything out; a requirement that folds
    to blanks cannot be looked for (and leaving out only that string would be wrong)."""
    found = []
    for literals in required_literals(pattern, min_length=2):
        folded = [_Folded(literal).text for literal in literals]
        if all(f.strip() for f in folded):
            found.append(folded)
    return found


class Classifier:
    def __init__(self, categories: CategoriesFile):
        self._scoring = categories.scoring
        self._categories = categories.categories
        self._automaton = ahocorasick.Automaton()
        self._patterns: list[_Pattern] = []
        # folded spelling -> (phrases spelled so, (pattern, requirement) pairs it meets)
        entries: dict[str, tuple[list[_Phrase], list[tuple[int, int]]]] = {}
        keys = itertools.count()
        for category in categories.categories:
            for signal in category.signals:
                for text in signal.phrases:
                    core = text.rstrip("*")
                    phrase = _Phrase(
                        next(keys), category.id, signal.weight, not CJK.search(core), text != core
                    )
                    for spelling in _spellings(core):
                        entries.setdefault(spelling, ([], []))[0].append(phrase)
                for source in signal.patterns:
                    regex = compile_rule_pattern(source)
                    requirements = _gate_requirements(regex)
                    index = len(self._patterns)
                    for number, literals in enumerate(requirements):
                        for literal in literals:
                            entries.setdefault(literal, ([], []))[1].append((index, number))
                    self._patterns.append(
                        _Pattern(next(keys), category.id, signal.weight, regex, len(requirements))
                    )
        self._ungated = [i for i, p in enumerate(self._patterns) if not p.requirements]
        for spelling, (phrases, gates) in entries.items():
            self._automaton.add_word(spelling, (len(spelling), tuple(phrases), tuple(gates)))
        self._automaton.make_automaton()

    def _matches(self, text: str) -> dict[int, tuple[str, float, tuple[int, int]]]:
        """The first match of each phrase and pattern: key -> (category, weight, span).
        One scan finds the phrases and the literals the patterns need; a pattern runs
        only when each of its requirements was met."""
        view = _Folded(text)
        first: dict[int, tuple[str, float, tuple[int, int]]] = {}
        met: set[tuple[int, int]] = set()
        for end, (length, phrases, gates) in self._automaton.iter(view.text):
            if gates:
                met.update(gates)
            start = end + 1 - length
            for phrase in phrases:
                if phrase.key in first:
                    continue
                if phrase.whole_words or view.shifted:
                    span = _phrase_span(view, phrase, start, end + 1)
                    if span is None:
                        continue
                else:  # most Chinese phrases: the folded span is the original one
                    span = (start, end + 1)
                first[phrase.key] = (phrase.category, phrase.weight, span)
        for index in self._ready_patterns(met):
            pattern = self._patterns[index]
            match = pattern.regex.search(text)
            if match and match.group(0).strip():
                first[pattern.key] = (pattern.category, pattern.weight, match.span())
        return first

    def _ready_patterns(self, met: set[tuple[int, int]]) -> list[int]:
        """Patterns whose every requirement is met, in rules-file order."""
        met_per_pattern: dict[int, int] = {}
        for index, _ in met:
            met_per_pattern[index] = met_per_pattern.get(index, 0) + 1
        ready = [i for i, n in met_per_pattern.items() if n == self._patterns[i].requirements]
        return sorted(ready + self._ungated)

    def _evidence(self, text: str) -> dict[str, tuple[float, list[str]]]:
        """Per category, the summed weight of its matches and the phrases that matched.
        Each phrase counts once however often it occurs."""
        found: dict[str, list[tuple[float, tuple[int, int]]]] = {}
        for category, weight, span in self._matches(text).values():
            found.setdefault(category, []).append((weight, span))
        return {category: _weigh(text, hits) for category, hits in found.items()}

    def score_all(self, normalized: str) -> list[Suggestion]:
        """Every category with any evidence in a normalised text, best first (ties keep
        the rules file's order)."""
        evidence = self._evidence(normalized)
        saturation = self._scoring.saturation
        scored = [
            Suggestion(category, round(raw / (raw + saturation), 3), raw, reasons)
            for category in self._categories
            if category.id in evidence
            for raw, reasons in [evidence[category.id]]
        ]
        scored.sort(key=lambda s: -s.raw)
        return scored

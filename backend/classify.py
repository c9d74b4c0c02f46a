"""Explainable category suggestions from weighted phrases kept in categories.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .text import compile_rule_pattern, normalize, phrase_pattern

if TYPE_CHECKING:
    from .rules.models import CategoriesFile, Category


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class Suggestion:
    category: Category
    score: float
    raw: float
    reasons: list[str]


def _compile(category: Category) -> list[_Matcher]:
    matchers = []
    for signal in category.signals:
        matchers += [_Matcher(phrase_pattern(p), signal.weight) for p in signal.phrases]
        matchers += [_Matcher(compile_rule_pattern(p), signal.weight) for p in signal.patterns]
    return matchers


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


class Classifier:
    def __init__(self, categories: CategoriesFile):
        self._scoring = categories.scoring
        self._categories = categories.categories
        self._matchers = {c.id: _compile(c) for c in categories.categories}
        self._fallback = next(
            c for c in categories.categories if c.id == categories.scoring.fallback
        )

    def _evidence(self, category: Category, text: str) -> tuple[float, list[str]]:
        """Sum the weights of the category's matches. Each phrase counts once however
        often it occurs, and overlapping matches count once: the heavier (then longer)
        wins, so "账号被封" and the "被封" inside it are one signal.
        """
        found = []
        for matcher in self._matchers[category.id]:
            m = matcher.pattern.search(text)
            if m and m.group(0).strip():
                found.append((m.end() - m.start(), matcher.weight, m.span(), m.group(0).strip()))
        found.sort(key=lambda item: (-item[1], -item[0]))
        taken: list[tuple[int, int]] = []
        raw, reasons = 0.0, []
        for _, weight, span, phrase in found:
            if _overlaps(span, taken):
                continue
            taken.append(span)
            raw += weight
            if phrase.lower() not in (r.lower() for r in reasons):
                reasons.append(phrase)
        return raw, reasons

    def score_all(self, text: str) -> list[Suggestion]:
        """Every category with any evidence, best first (ties keep the rules file's order)."""
        text = normalize(text)
        saturation = self._scoring.saturation
        scored = []
        for category in self._categories:
            raw, reasons = self._evidence(category, text)
            if raw > 0:
                scored.append(
                    Suggestion(category, round(raw / (raw + saturation), 3), raw, reasons)
                )
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

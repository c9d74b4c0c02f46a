"""One ranking from the phrase rules, the learned model and the seller's own corrections.

A category's combined logit is

    blend.model × ln(model probability) + blend.rules × rule score + seller bonus

and the softmax of the logits is its probability. `make train` chose the blend and the
confidence levels on out-of-fold predictions (see shared-rules/model/MODEL_CARD.md). Each
suggestion names the seller's own words that drove it: the rule phrases that matched, then
the model's strongest features, mapped back to the text and joined into phrases.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal, NamedTuple

from .model import Known, LinearModel, softmax
from .text import CJK

if TYPE_CHECKING:
    from ..rules.models import CategoriesFile, Category, ModelFile
    from .adaptation import SellerBonus
    from .classifier import Suggestion as RuleEvidence
    from .features import Features

Confidence = Literal["high", "medium", "low"]
# ln(0) guard: the model never rules a category out completely (`make train` fits the blend
# with the same floor).
PROBABILITY_FLOOR = 1e-6
_MODEL_PHRASES = 3  # model phrases per suggestion, after the rule phrases
_FEATURES_PER_PHRASE = 12  # strongest features looked at to build them
_WEAK = 0.25  # a model phrase under this share of the strongest one's weight is not shown
# Without a rule phrase, a text of fewer known features than this ("12345", "hello") is
# never more than a low-confidence guess, whatever its probability.
_FEW_FEATURES = 3


class Ranked(NamedTuple):
    category: Category
    probability: float
    confidence: Confidence
    reasons: list[str]
    rule_score: float  # the phrase rules' own score, 0–1
    similar_cases: int  # the seller's corrected cases that spoke for it


class Ranker:
    def __init__(self, categories: CategoriesFile, model_file: ModelFile):
        self._model = LinearModel(model_file)
        self._blend = model_file.blend
        self._levels = model_file.confidence
        self._alternative_min = model_file.alternative_min
        self._limit = categories.scoring.max_suggestions
        by_id = {c.id: c for c in categories.categories}
        self._categories = [by_id[c] for c in self._model.classes]
        self._index = {c: i for i, c in enumerate(self._model.classes)}
        self._fallback = by_id[categories.scoring.fallback]

    def confidence(self, probability: float) -> Confidence:
        if probability >= self._levels.high:
            return "high"
        return "medium" if probability >= self._levels.medium else "low"

    def read(self, features: Features) -> Known:
        """The text's features the model knows, for `rank` and `suggest`."""
        return self._model.read(features)

    def rank(
        self, known: Known, rules: list[RuleEvidence], seller: SellerBonus | None = None
    ) -> list[Ranked]:
        """Every category, most probable first (without reasons: `suggest` adds them to
        the suggestions it keeps)."""
        evidence = {e.category.id: e for e in rules}
        thin = not rules and len(known.names) < _FEW_FEATURES
        model_p = softmax(self._model.logits(known))
        logits = []
        for category, p in zip(self._categories, model_p, strict=True):
            found = evidence.get(category.id)
            z = self._blend.model * math.log(max(p, PROBABILITY_FLOOR))
            z += self._blend.rules * (found.score if found else 0.0)
            z += seller.logit(category.id) if seller else 0.0
            logits.append(z)
        ranked = []
        for index, probability in enumerate(softmax(logits)):
            category = self._categories[index]
            found = evidence.get(category.id)
            ranked.append(
                Ranked(
                    category,
                    round(probability, 3),
                    "low" if thin else self.confidence(probability),
                    [],
                    found.score if found else 0.0,
                    seller.count(category.id) if seller else 0,
                )
            )
        order = sorted(range(len(ranked)), key=lambda i: -logits[i])
        return [ranked[i] for i in order]

    def suggest(
        self, ranked: list[Ranked], text: str, features: Features, known: Known, rules
    ) -> list[Ranked]:
        """The top suggestion, then the alternatives probable enough to be real ones, each
        with its reasons (worked out for these only). With nothing to go on (no known
        feature, no rule phrase) only the fallback is offered."""
        if not rules and not known.names:
            fallback = next(r for r in ranked if r.category is self._fallback)
            return [fallback._replace(confidence="low")]
        top, rest = ranked[0], ranked[1 : self._limit]
        shown = [top] + [r for r in rest if r.probability >= self._alternative_min]
        evidence = {e.category.id: e for e in rules}
        return [
            r._replace(reasons=self._reasons(text, features, known, r.category, evidence))
            for r in shown
        ]

    def _reasons(self, text, features, known, category, evidence) -> list[str]:
        """The rule phrases that matched, then up to `_MODEL_PHRASES` of the model's that
        say something new (not inside a rule phrase, nor containing one)."""
        found = evidence.get(category.id)
        reasons = list(found.reasons) if found else []
        limit = len(reasons) + _MODEL_PHRASES
        index = self._index[category.id]
        strongest = self._model.contributions(known, index, _FEATURES_PER_PHRASE)
        for phrase in _phrases(text, features, strongest):
            if len(reasons) == limit:
                break
            folded = phrase.lower()
            if not any(folded in r.lower() or r.lower() in folded for r in reasons):
                reasons.append(phrase)
        return reasons


def _phrases(text: str, features: Features, strongest: list[tuple[float, str]]) -> list[str]:
    """The strongest features' spans, overlapping or neighbouring ones joined into one
    phrase, strongest phrase first. Weak phrases (under `_WEAK` of the strongest) and ones
    too short to mean anything (a lone Chinese character, "to", "was") are not shown."""
    spans = sorted((features.spans[f], weight) for weight, f in strongest)
    merged: list[list] = []  # [start, end, weight]
    for (start, end), weight in spans:
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1] : start].strip():
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += weight
        else:
            merged.append([start, end, weight])
    merged.sort(key=lambda m: -m[2])
    phrases = []
    for start, end, weight in merged:
        phrase = text[start:end].strip()
        if weight < _WEAK * merged[0][2] or phrase in phrases:
            continue
        if len(phrase) >= (2 if CJK.search(phrase) else 4):
            phrases.append(phrase)
    return phrases

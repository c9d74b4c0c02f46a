"""Learning from the seller: their own corrections (a case filed under another category than
the one we suggested first) pull texts like them toward the category they chose.

It is a nearest-neighbour vote on the model's features, bounded on purpose:
- a correction speaks only for texts like it (cosine similarity ≥ `SIMILAR_AT`);
- each category's bonus is at most `MAX_BONUS` in logits, so a few mistaken corrections
  shift a ranking but cannot wreck it (corrections that disagree each lift their own
  category, so neither wins by much);
- only the latest `MAX_EXAMPLES` corrections count (the store hands out no more).

Everything stays in the local case log; nothing leaves the machine."""

from __future__ import annotations

import math
import threading
from typing import NamedTuple

from .features import Features, extract

SIMILAR_AT = 0.3
BONUS_PER_SIMILARITY = 4.0  # logits per unit of summed similarity
MAX_BONUS = 3.0
MAX_EXAMPLES = 200


class Correction(NamedTuple):
    case: int  # the case log's id
    text: str  # normalised
    category: str  # what the seller chose


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b[f] for f, v in a.items() if f in b)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


class SellerBonus:
    """The corrections' vote for one text: a bonus logit and a count per category."""

    def __init__(self, votes: dict[str, tuple[float, int]]):
        self._votes = votes

    def logit(self, category: str) -> float:
        similarity, _ = self._votes.get(category, (0.0, 0))
        return min(MAX_BONUS, BONUS_PER_SIMILARITY * similarity)

    def count(self, category: str) -> int:
        return self._votes.get(category, (0.0, 0))[1]


class SellerExamples:
    """The seller's corrections with their features, worked out once per correction (the
    cache lives as long as the process: corrections are few and never change)."""

    def __init__(self):
        self._features: dict[tuple[int, str], dict[str, float]] = {}
        self._lock = threading.Lock()  # requests are served on several threads

    def bonus(self, features: Features, corrections: list[Correction]) -> SellerBonus | None:
        if not corrections:
            return None
        votes: dict[str, tuple[float, int]] = {}
        for correction in corrections:
            similarity = cosine(features.values, self._of(correction))
            if similarity >= SIMILAR_AT:
                total, count = votes.get(correction.category, (0.0, 0))
                votes[correction.category] = (total + similarity, count + 1)
        return SellerBonus(votes) if votes else None

    def _of(self, correction: Correction) -> dict[str, float]:
        key = (correction.case, correction.text)
        found = self._features.get(key)
        if found is None:
            found = extract(correction.text).values
            with self._lock:
                self._features[key] = found
                if len(self._features) > 4 * MAX_EXAMPLES:  # deleted and reset cases
                    self._features.pop(next(iter(self._features)))
        return found

"""The learned model: a linear model (multinomial logistic regression) on `features.extract`,
fitted by `make train` (seller_support/train.py) and kept as data in
shared-rules/model/classifier.json. Scoring is a dictionary look-up per feature and a sum:
no numpy at run time."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .features import Features

if TYPE_CHECKING:
    from ..rules.models import ModelFile


def softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


class LinearModel:
    def __init__(self, data: ModelFile):
        self.classes: list[str] = list(data.classes)
        self._intercepts = list(data.intercepts)
        self._weights = data.weights

    def logits(self, features: Features) -> list[float]:
        sums = list(self._intercepts)
        weights = self._weights
        for feature, value in features.values.items():
            row = weights.get(feature)
            if row is not None:
                for i, w in enumerate(row):
                    if w:
                        sums[i] += value * w
        return sums

    def known(self, features: Features) -> int:
        """How many of the text's features the model has weights for."""
        return sum(f in self._weights for f in features.values)

    def contributions(self, features: Features, class_index: int) -> list[tuple[float, str]]:
        """(value × weight, feature) of the features that speak for one class more than
        for the average class, strongest first."""
        found = []
        weights = self._weights
        for feature, value in features.values.items():
            row = weights.get(feature)
            if row is None:
                continue
            lead = row[class_index] - sum(row) / len(row)
            if lead > 0:
                found.append((value * lead, feature))
        found.sort(reverse=True)
        return found

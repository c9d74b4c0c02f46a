"""The learned model: a linear model (multinomial logistic regression) on `features.extract`,
fitted by `make train` (seller_support/train.py) and kept as data in
shared-rules/model/classifier.json. Scoring is a dictionary look-up per feature and one sum
per class, done in C by `map` and `sum`: no numpy at run time."""

from __future__ import annotations

import heapq
import math
from itertools import compress
from operator import mul
from typing import TYPE_CHECKING, NamedTuple

from .features import Features

if TYPE_CHECKING:
    from ..rules.models import ModelFile


def softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


class Known(NamedTuple):
    """A text's features that the model has weights for, in text order: read once per
    text, then scored and explained."""

    names: list[str]
    values: list[float]
    # Their weights by column: one tuple per class, then the rows' means (a row's mean is
    # the average class; a feature speaks for a class when its weight is above it).
    columns: list[tuple[float, ...]]


class LinearModel:
    def __init__(self, data: ModelFile):
        self.classes: list[str] = list(data.classes)
        self._intercepts = list(data.intercepts)
        self._rows = {f: (*row, sum(row) / len(row)) for f, row in data.weights.items()}

    def read(self, features: Features) -> Known:
        rows, counts = self._rows, features.counts
        found = list(map(rows.get, counts))  # one look-up per feature, in C
        return Known(
            list(compress(counts, found)),
            features.scaled(compress(counts.values(), found)),
            list(zip(*filter(None, found), strict=True)),  # a row is a non-empty tuple
        )

    def logits(self, known: Known) -> list[float]:
        if not known.names:
            return list(self._intercepts)
        return [
            b + sum(map(mul, known.values, c))
            for b, c in zip(self._intercepts, known.columns, strict=False)  # not the means
        ]

    def contributions(self, known: Known, class_index: int, limit: int) -> list[tuple[float, str]]:
        """(value × weight above the row's mean, feature) of the `limit` features that speak
        most for one class over the average class, strongest first."""
        if not known.names:
            return []
        weights, means = known.columns[class_index], known.columns[-1]
        return heapq.nlargest(
            limit,
            (
                (value * (weight - mean), name)
                for name, value, weight, mean in zip(*known[:2], weights, means, strict=True)
                if weight > mean
            ),
        )

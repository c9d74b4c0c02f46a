"""The learned model: a linear model (multinomial logistic regression) on `features.extract`,
fitted by `make train` (seller_support/train.py) and kept as data in
shared-rules/model/classifier.json. Scoring is a dictionary look-up per feature and one sum
per class, done in C by `map` and `sum`: no numpy at run time."""

from __future__ import annotations

import heapq
import math
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
    rows: list[tuple[float, ...]]  # the weight per class, then the row's mean


class LinearModel:
    def __init__(self, data: ModelFile):
        self.classes: list[str] = list(data.classes)
        self._intercepts = list(data.intercepts)
        self._rows = {f: (*row, sum(row) / len(row)) for f, row in data.weights.items()}

    def read(self, features: Features) -> Known:
        rows = self._rows
        names = [f for f in features.values if f in rows]
        return Known(names, [features.values[f] for f in names], [rows[f] for f in names])

    def logits(self, known: Known) -> list[float]:
        if not known.names:
            return list(self._intercepts)
        columns = zip(*known.rows, strict=True)  # one per class, then the means
        return [
            b + sum(map(mul, known.values, c))
            for b, c in zip(self._intercepts, columns, strict=False)  # leaves the means out
        ]

    def contributions(self, known: Known, class_index: int, limit: int) -> list[tuple[float, str]]:
        """(value × weight above the row's mean, feature) of the `limit` features that speak
        most for one class over the average class, strongest first."""
        return heapq.nlargest(
            limit,
            (
                (value * (row[class_index] - row[-1]), name)
                for name, value, row in zip(*known, strict=True)
                if row[class_index] > row[-1]
            ),
        )

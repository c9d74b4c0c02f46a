"""The learned model's features (seller_support/domain/features.py): counts, values and the
first span of each feature, which the reasons quote."""

from __future__ import annotations

import math

import pytest

from seller_support.domain.features import ASK_WEIGHT, MIN_NORM, extract
from seller_support.domain.text import normalize

TEXTS = [
    "店铺被封了，要写POA申诉。请问第一段怎么写？",
    "My account was suspended on Feb 2. How do I write the plan of action for order "
    "114-3928475-6612093 and ASIN B0C4N8R2TW?",
    "货件 FBA15R8QW3TN 少了30个，签收了。货件还在接收中，货件怎么办",
]


@pytest.mark.parametrize("text", TEXTS)
def test_each_span_is_the_features_first_occurrence(text):
    normalized = normalize(text)
    folded = normalized.lower()
    features = extract(normalized)
    assert set(features.spans) == set(features.values)
    for feature in features.values:
        start, end = features.spans[feature]
        if feature.startswith("w:"):
            assert folded[start:end] == feature[2:]
        elif not feature.startswith(("p:", "b:", "#")):  # a Chinese n-gram
            assert (start, end) == (folded.find(feature), folded.find(feature) + len(feature))
    with pytest.raises(KeyError):
        features.spans["not a feature"]


def test_values_are_the_scaled_logs_of_the_counts_and_the_ask_counts_more():
    features = extract(normalize("账号被封。账号被封怎么办？"))
    # 账 is in the story once and in the ask (the question, also the last sentence) once.
    assert features.counts["账"] == 1 + ASK_WEIGHT
    assert features.counts["怎么办"] == ASK_WEIGHT
    logs = {f: 1 + math.log(c) for f, c in features.counts.items()}
    norm = max(MIN_NORM, math.sqrt(sum(v * v for v in logs.values())))
    assert features.values == pytest.approx({f: v / norm for f, v in logs.items()}, rel=1e-15)
    assert list(features.values) == list(features.counts)  # the order of first occurrence

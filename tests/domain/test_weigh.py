"""`classifier._weigh` in O(k log k) gives exactly what the pairwise version gave: the same
raw score (the same float) and the same reasons in the same order. The pairwise version is
kept here, verbatim, as the oracle."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_support.domain import classifier
from seller_support.domain.engine import build_engine
from seller_support.domain.text import normalize
from seller_support.rules import DEFAULT_RULES_DIR
from tests.bench import corpus


def weigh_pairwise(text: str, hits: list[tuple[float, tuple[int, int]]]) -> tuple[float, list[str]]:
    """The oracle: `_weigh` before issue 13, comparing each match with every taken one."""
    if len(hits) > 1:
        hits.sort(key=lambda hit: (-hit[0], hit[1][0] - hit[1][1]))
    taken: list[tuple[int, int]] = []
    raw, reasons, seen = 0.0, [], set()
    for weight, (start, end) in hits:
        overlaps = inside = False
        for taken_start, taken_end in taken:
            if start < taken_end and taken_start < end:
                overlaps = True
                if taken_start <= start and end <= taken_end:
                    inside = True
                    break
        if inside:
            continue
        if not overlaps:
            raw += weight
        taken.append((start, end))
        phrase = text[start:end].strip()
        folded = phrase.lower()
        if folded not in seen:
            seen.add(folded)
            reasons.append(phrase)
    return raw, reasons


def _same(text: str, hits: list[tuple[float, tuple[int, int]]]) -> None:
    expected = weigh_pairwise(text, list(hits))
    got = classifier._weigh(text, list(hits))
    assert got[1] == expected[1]
    assert got[0] == expected[0] and got[0].hex() == expected[0].hex()


@st.composite
def texts_and_hits(draw):
    """A short text (repeated letters in both cases and spaces, so that different spans
    quote equal or case-folded-equal phrases) and matches on it: nested, overlapping,
    touching, duplicated and empty spans, with tied weights."""
    text = draw(st.text(alphabet="aAb 被封号", max_size=24))
    size = len(text)
    span = st.tuples(st.integers(0, size), st.integers(0, size)).map(sorted).map(tuple)
    weight = st.sampled_from([0.5, 1.0, 1.0, 1.5, 2.0, 3.0, 0.1, 0.2, 0.7])
    hits = draw(st.lists(st.tuples(weight, span), max_size=40))
    return text, hits


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_and_hits())
def test_weigh_matches_the_pairwise_version(case):
    _same(*case)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.01, 5, allow_nan=False),
            st.tuples(st.integers(0, 500), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1])),
        ),
        min_size=50,
        max_size=400,
    )
)
def test_weigh_matches_the_pairwise_version_on_many_matches(hits):
    _same("x" * 600, hits)


@pytest.mark.parametrize(
    "hits",
    [
        [],
        [(1.0, (0, 4))],
        [(1.0, (0, 4)), (1.0, (1, 3))],  # inside: dropped
        [(1.0, (0, 3)), (1.0, (2, 5))],  # overlap: shown, no weight
        [(1.0, (0, 3)), (1.0, (3, 5))],  # touching: both count
        [(2.0, (1, 3)), (1.0, (0, 5))],  # the lighter, longer one overlaps the heavier
        [(1.0, (2, 2)), (1.0, (0, 5)), (1.0, (5, 5)), (1.0, (1, 4))],  # empty spans
        [(1.0, (0, 2)), (1.0, (0, 2))],  # the same span twice
    ],
)
def test_weigh_examples(hits):
    _same("账号被封了 ok", hits)


@pytest.fixture(scope="module")
def engine():
    return build_engine(DEFAULT_RULES_DIR)


def test_the_classifier_scores_every_corpus_text_as_before(engine, monkeypatch):
    texts = [normalize(t) for t in corpus.corpus()]
    texts += [normalize(t) for n in (1000, 10000) for t in corpus.of_length(n, 2)]
    got = [engine.classifier.score_all(t) for t in texts]
    monkeypatch.setattr(classifier, "_weigh", weigh_pairwise)
    assert got == [engine.classifier.score_all(t) for t in texts]

"""The classifier's own cost, in-process: per call on varied texts, and per character
at growing text lengths (it must not grow faster than linearly)."""

from __future__ import annotations

import time

from seller_support.domain.engine import build_engine
from seller_support.rules import DEFAULT_RULES_DIR

from . import corpus
from .stats import percentile, summary


def _per_call_us(engine, texts: list[str]) -> list[float]:
    """Each call does the whole work a classify request does with its text: normalise it
    and score it (nothing is kept between calls)."""
    out = []
    for text in texts:
        start = time.perf_counter()
        _ = engine.analyse(text).suggestions
        out.append((time.perf_counter() - start) * 1e6)
    return out


def classifier(calls: int, lengths: tuple[int, ...], texts_per_length: int, repeat: int) -> dict:
    engine = build_engine(DEFAULT_RULES_DIR)
    texts = corpus.varied(calls)
    _per_call_us(engine, texts[:50])  # warm caches (regex, NFKC tables)
    per_call = _per_call_us(engine, texts)
    chars = sum(len(t) for t in texts)

    scaling = []
    for length in lengths:
        sample = corpus.of_length(length, texts_per_length)
        _per_call_us(engine, sample[:1])
        # Median over repeats of each text, then over texts: robust to a noisy neighbour.
        medians = [percentile(_per_call_us(engine, [t] * repeat), 50) for t in sample]
        us = percentile(medians, 50)
        scaling.append({"chars": length, "us_per_call": round(us, 1), "ns_per_char": 0.0})
    for row in scaling:
        row["ns_per_char"] = round(row["us_per_call"] * 1000 / row["chars"], 1)
    base = next((r for r in scaling if r["chars"] == 1000), scaling[0])
    for row in scaling:
        row["per_char_ratio_to_1000"] = round(row["ns_per_char"] / base["ns_per_char"], 2)
    return {
        "unit": "us",
        "calls": len(texts),
        "mean_chars": round(chars / len(texts), 1),
        "per_call": summary(per_call, 1),
        "scaling": scaling,
        # >1 means the cost per character grows with length (worse than linear).
        "per_char_growth_10x": round(scaling[-1]["ns_per_char"] / scaling[-2]["ns_per_char"], 2)
        if len(scaling) > 1
        else None,
    }

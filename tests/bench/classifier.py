"""The classifier's own cost, in-process. Each call does the whole work a classify request
does with its text (`engine.analyse(text).suggestions`: normalise, phrase rules, the
model's features, the model, the ranking and its reasons); nothing is kept between calls.

- per call on varied corpus texts;
- 300-character Chinese and English texts (issue 13: at most 1 ms), with the share of
  each step;
- per character at 100, 1,000 and 10,000 characters (it must not grow faster than
  linearly);
- linearity in the text and in the rules: the phrase rules alone and the whole analysis at
  1,000 and 10,000 characters, with the rules as they are and with ten times as many
  phrases, all of them phrases that occur in the corpus (so a category's matches, which
  the phrase rules weigh against each other, are about ten times as many too).
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter
from itertools import cycle

from seller_support.domain.engine import Engine, build_engine
from seller_support.domain.features import extract
from seller_support.domain.text import normalize
from seller_support.rules import DEFAULT_RULES_DIR, Rules

from . import corpus
from .stats import percentile, summary

SHORT_CHARS = 300
RULES_FACTOR = 10
LINEAR_LENGTHS = (1000, 10000)

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD_PAIR = re.compile(r"(?=\b([a-z]{3,} [a-z]{3,})\b)")
_WORD = re.compile(r"\b[a-z]{4,}\b")


def _per_call_us(engine, texts: list[str]) -> list[float]:
    """Each call does the whole work a classify request does with its text: normalise it
    and score it (nothing is kept between calls)."""
    out = []
    for text in texts:
        start = time.perf_counter()
        _ = engine.analyse(text).suggestions
        out.append((time.perf_counter() - start) * 1e6)
    return out


def _median_us(call, inputs: list, repeat: int) -> float:
    """Median over repeats of each input, then over inputs: robust to a noisy neighbour."""
    medians = []
    for item in inputs:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            call(item)
            times.append((time.perf_counter() - start) * 1e6)
        medians.append(percentile(times, 50))
    return percentile(medians, 50)


def _short(engine: Engine, count: int, repeat: int) -> dict:
    """300-character Chinese and English texts: the whole analysis per text (median of
    `repeat` calls), and the median time of each step."""
    out = {}
    for language, chinese in (("zh", True), ("en", False)):
        texts = corpus.of_language(SHORT_CHARS, count, chinese)
        _per_call_us(engine, texts[:5])
        per_text = [percentile(_per_call_us(engine, [t] * repeat), 50) for t in texts]
        normalized = [normalize(t) for t in texts]
        features = [extract(n) for n in normalized]
        rules = [engine.classifier.score_all(n) for n in normalized]
        ranker = engine.ranker
        # The model's part: ranking (model, rules and reasons) and the suggestions.
        ranked_inputs = list(zip(normalized, features, rules, strict=True))

        def rank(item, ranker=ranker) -> None:
            text, found, evidence = item
            known = ranker.read(found)
            ranker.suggest(ranker.rank(known, evidence), text, found, known, evidence)

        out[language] = {
            "chars": SHORT_CHARS,
            "per_call": summary(per_text, 1),
            "steps_us_p50": {
                "normalize": round(_median_us(normalize, texts, repeat), 1),
                "phrase_rules": round(
                    _median_us(engine.classifier.score_all, normalized, repeat), 1
                ),
                "features": round(_median_us(extract, normalized, repeat), 1),
                "model_and_ranking": round(_median_us(rank, ranked_inputs, repeat), 1),
            },
            "features_per_text": round(sum(len(f.values) for f in features) / len(features), 1),
        }
    return out


def _rule_count(rules: Rules) -> int:
    return sum(
        len(s.phrases) + len(s.patterns) for c in rules.categories.categories for s in c.signals
    )


def _corpus_phrases(exclude: set[str]) -> list[str]:
    """Phrases that occur in the corpus, most texts first: Chinese strings of 2–4
    characters, English words of four letters or more and pairs of words."""
    seen: Counter = Counter()
    for text in corpus.corpus():
        folded = normalize(text).lower()
        found = set(_WORD.findall(folded)) | set(_WORD_PAIR.findall(folded))
        for run in _CJK_RUN.findall(folded):
            for size in (2, 3, 4):
                found.update(run[i : i + size] for i in range(len(run) - size + 1))
        seen.update(found)
    ranked = sorted(seen.items(), key=lambda item: (-item[1], item[0]))
    return [phrase for phrase, _ in ranked if phrase not in exclude]


def scaled_rules(rules: Rules, factor: int) -> Rules:
    """The rules with `factor` times as many phrases: each category keeps its own and gets
    (factor - 1) times as many more, phrases found in the corpus (`_corpus_phrases`), dealt
    to the categories in turn and weighed like the category's own signals."""
    categories = rules.categories.categories
    own = {p.rstrip("*").lower() for c in categories for s in c.signals for p in s.phrases}
    wanted = {c.id: (factor - 1) * sum(len(s.phrases) for s in c.signals) for c in categories}
    phrases = iter(_corpus_phrases(own))
    dealt: dict[str, list[str]] = {c.id: [] for c in categories}
    for category in cycle(categories):
        if not any(wanted.values()):
            break
        if wanted[category.id]:
            dealt[category.id].append(next(phrases))
            wanted[category.id] -= 1
    scaled = []
    for category in categories:
        weights = cycle([s.weight for s in category.signals])
        extra = [
            type(category.signals[0])(weight=next(weights), phrases=dealt[category.id][i::5])
            for i in range(5)
        ]
        scaled.append(category.model_copy(update={"signals": [*category.signals, *extra]}))
    categories_file = rules.categories.model_copy(update={"categories": scaled})
    return dataclasses.replace(rules, categories=categories_file)


def _matches_per_category(engine: Engine, texts: list[str]) -> dict:
    """How many matches a category's phrase rules weigh against each other, per text."""
    counts = []
    for text in texts:
        per_category = Counter(
            c for c, _, _ in engine.classifier._matches(normalize(text)).values()
        )
        counts.append(max(per_category.values(), default=0))
    return {"max_per_category_p50": percentile(counts, 50), "max_per_category": max(counts)}


def linearity(engine: Engine, texts_per_length: int, repeat: int) -> dict:
    """The phrase rules alone and the whole analysis at 1,000 and 10,000 characters, with
    the rules as they are and with RULES_FACTOR times as many phrases. The cells take
    turns (each round times every text once in every cell), so that a slower spell of a
    shared machine falls on all of them; per cell, the median over rounds of each text,
    then over texts."""
    engines = {"1x": engine, f"{RULES_FACTOR}x": Engine(scaled_rules(engine.rules, RULES_FACTOR))}
    texts = {n: corpus.of_length(n, texts_per_length) for n in LINEAR_LENGTHS}
    normalized = {n: [normalize(t) for t in ts] for n, ts in texts.items()}
    calls = {}  # (engine, length, part) -> (call, inputs)
    for name, eng in engines.items():
        _ = eng.classifier, eng.ranker
        for n in LINEAR_LENGTHS:
            _ = eng.analyse(texts[n][0]).suggestions  # warm up
            calls[name, n, "phrase_rules_us"] = (eng.classifier.score_all, normalized[n])
            calls[name, n, "analyse_us"] = (lambda t, e=eng: e.analyse(t).suggestions, texts[n])
    times: dict = {key: [[] for _ in inputs] for key, (_, inputs) in calls.items()}
    for _ in range(repeat):
        for key, (call, inputs) in calls.items():
            for i, item in enumerate(inputs):
                start = time.perf_counter()
                call(item)
                times[key][i].append((time.perf_counter() - start) * 1e6)
    cells: dict = {name: {"rules": _rule_count(eng.rules)} for name, eng in engines.items()}
    for name, eng in engines.items():
        for n in LINEAR_LENGTHS:
            cells[name][str(n)] = {
                part: round(percentile([percentile(t, 50) for t in times[name, n, part]], 50), 1)
                for part in ("phrase_rules_us", "analyse_us")
            } | _matches_per_category(eng, texts[n])
    small, large = (str(n) for n in LINEAR_LENGTHS)
    growth = LINEAR_LENGTHS[1] / LINEAR_LENGTHS[0]
    per_char = {
        name: {
            part: round(cells[name][large][part] / cells[name][small][part] / growth, 2)
            for part in ("phrase_rules_us", "analyse_us")
        }
        for name in engines
    }
    base, more = cells["1x"], cells[f"{RULES_FACTOR}x"]
    rule_growth = more["rules"] / base["rules"]
    per_rule = {
        n: {
            part: round(more[n][part] / base[n][part] / rule_growth, 2)
            for part in ("phrase_rules_us", "analyse_us")
        }
        for n in (small, large)
    }
    return {
        "lengths": list(LINEAR_LENGTHS),
        "factor": RULES_FACTOR,
        "cells": cells,
        # 1.0 = linear; below it, the cost grows more slowly than the text or the rules.
        "per_char_ratio": per_char,
        "per_rule_ratio": per_rule,
    }


def classifier(
    calls: int, lengths: tuple[int, ...], texts_per_length: int, repeat: int, short_texts: int
) -> dict:
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
        "short": _short(engine, short_texts, repeat),
        "scaling": scaling,
        # >1 means the cost per character grows with length (worse than linear).
        "per_char_growth_10x": round(scaling[-1]["ns_per_char"] / scaling[-2]["ns_per_char"], 2)
        if len(scaling) > 1
        else None,
        "linearity": linearity(engine, texts_per_length, repeat),
    }

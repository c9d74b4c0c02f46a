"""Benchmark inputs built from the labelled case corpora in corpus/."""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SEED = 6  # the issue number: the same inputs on every run


@cache
def corpus() -> tuple[str, ...]:
    """Every case description (the second column of a label<TAB>text row), in file order.
    The duplicate pairs (corpus/pairs/, five columns) are not case descriptions."""
    texts = []
    for path in sorted(CORPUS.glob("*/*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            columns = line.split("\t")
            if line.startswith("#") or len(columns) != 2:
                continue
            text = columns[1].strip()
            if text:
                texts.append(text)
    return tuple(texts)


def is_chinese(text: str) -> bool:
    return len(CJK.findall(text)) * 2 > len(text) * 0.5


def varied(n: int) -> list[str]:
    """`n` different texts: the corpus itself, then pairs of corpus texts joined."""
    base = list(corpus())
    rng = random.Random(SEED)
    out = base[:n]
    while len(out) < n:
        a, b = rng.sample(base, 2)
        out.append(f"{a} {b}")
    return out


def of_length(chars: int, count: int) -> list[str]:
    """`count` different texts of exactly `chars` characters, alternating Chinese and
    English descriptions (a zh/en mix like a seller's draft)."""
    base = corpus()
    zh = [t for t in base if is_chinese(t)]
    en = [t for t in base if not is_chinese(t)]
    rng = random.Random(SEED * 1000 + chars)
    out = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < chars:
            part = rng.choice(zh if len(parts) % 2 == 0 else en)
            parts.append(part)
            size += len(part) + 1
        out.append(" ".join(parts)[:chars])
    return out


def short_texts(n: int, chinese: bool | None = None) -> list[str]:
    """`n` different corpus texts (of one language if asked), for typing into the page."""
    rng = random.Random(SEED + 1)
    pool = [t for t in corpus() if chinese is None or is_chinese(t) == chinese]
    rng.shuffle(pool)
    return [pool[i % len(pool)] + ("" if i < len(pool) else f" ({i})") for i in range(n)]


def of_language(chars: int, count: int, chinese: bool) -> list[str]:
    """`count` different texts of exactly `chars` characters, all Chinese descriptions or
    all English ones joined (a long draft in one language)."""
    pool = [t for t in corpus() if is_chinese(t) == chinese]
    rng = random.Random(SEED * 1000 + chars + chinese)
    out = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < chars:
            part = rng.choice(pool)
            parts.append(part)
            size += len(part) + 1
        out.append(" ".join(parts)[:chars])
    return out

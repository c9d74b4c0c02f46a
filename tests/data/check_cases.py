#!/usr/bin/env python3
"""Sanity checks for the labelled case corpora in this folder.

Checks: every non-comment line has exactly one tab and a valid category id,
no empty texts, no duplicate lines within or across files, no overlap with the
dev sample in shared/samples, and reports counts, language mix and the most
similar dev/held-out pairs (character-bigram Jaccard) so paraphrases are visible.
Usage: python3 tests/data/check_cases.py [files...]
"""
import re
import sys
from collections import Counter
from pathlib import Path

CATEGORIES = {
    "account_deactivation", "listing_removed", "payment_anomaly", "advertising",
    "logistics", "brand_registry", "account_verification", "a_to_z_claim",
    "ip_complaint", "other",
}
HERE = Path(__file__).resolve().parent
DEFAULT = [HERE / "cases_dev.tsv", HERE / "cases_heldout.tsv"]
SAMPLE = HERE.parents[2] / "shared" / "samples" / "cases.tsv"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def load(path):
    rows, errors = [], []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.count("\t") != 1:
            errors.append(f"{path.name}:{n}: expected exactly one tab")
            continue
        cat, text = raw.split("\t")
        if cat not in CATEGORIES:
            errors.append(f"{path.name}:{n}: bad category {cat!r}")
        if not text.strip() or text != text.strip():
            errors.append(f"{path.name}:{n}: empty text or stray whitespace")
        rows.append((n, cat, text))
    return rows, errors


def lang_strict(text):
    """zh = Chinese with at most ID-like Latin tokens; mixed = Chinese + English words."""
    cjk = len(CJK.findall(text))
    if not cjk:
        return "en"
    words = [w for w in LATIN_WORD.findall(text)
             if not re.fullmatch(r"(B0|FBA)[A-Z0-9]*|[A-Z]{2,6}|[A-Z][a-z]+", w)]
    return "mixed" if words or re.search(r"[a-z]{4,}", text) else "zh"


def bigrams(s):
    s = re.sub(r"\s+", " ", s.lower())
    return {s[i:i + 2] for i in range(len(s) - 1)}


def main(paths):
    ok = True
    data = {}
    for p in paths:
        rows, errors = load(p)
        data[p] = rows
        for e in errors:
            print("ERROR", e); ok = False
        texts = Counter(t for _, _, t in rows)
        for t, c in texts.items():
            if c > 1:
                print(f"ERROR {p.name}: duplicate text x{c}: {t}"); ok = False
        cats = Counter(c for _, c, _ in rows)
        langs = Counter(lang_strict(t) for _, _, t in rows)
        print(f"\n{p.name}: {len(rows)} cases")
        for c in sorted(CATEGORIES):
            print(f"  {c:22s} {cats[c]}")
        print("  language mix:", ", ".join(f"{k} {v} ({v / len(rows):.0%})" for k, v in sorted(langs.items())))
    # cross-file exact duplicates and overlap with the shared dev sample
    seen = {}
    for p, rows in data.items():
        for n, _, t in rows:
            key = t.lower()
            if key in seen and seen[key] != p:
                print(f"ERROR text appears in {seen[key].name} and {p.name}: {t}"); ok = False
            seen.setdefault(key, p)
    if SAMPLE.exists():
        sample = {l.split("\t", 1)[1].strip().lower() for l in SAMPLE.read_text(encoding="utf-8").splitlines()
                  if "\t" in l and not l.startswith("#")}
        for p, rows in data.items():
            for n, _, t in rows:
                if t.lower() in sample:
                    print(f"ERROR {p.name}:{n} copies a shared sample line: {t}"); ok = False
    # near-duplicate report between the first two files (dev vs held-out)
    if len(paths) >= 2:
        a, b = data[paths[0]], data[paths[1]]
        ga = [(t, bigrams(t)) for _, _, t in a]
        pairs = []
        for _, _, t in b:
            gb = bigrams(t)
            best = max(((len(gb & g) / len(gb | g), s) for s, g in ga), default=(0, ""))
            pairs.append((best[0], t, best[1]))
        pairs.sort(reverse=True)
        print("\nmost similar held-out/dev pairs (bigram Jaccard):")
        for sc, t, s in pairs[:8]:
            print(f"  {sc:.2f}  H: {t}\n        D: {s}")
        if pairs and pairs[0][0] > 0.6:
            print("WARNING: a held-out line looks like a paraphrase of a dev line")
    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main([Path(a) for a in sys.argv[1:]] or DEFAULT))

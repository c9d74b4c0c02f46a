"""Is a new case a duplicate of one already filed? Text similarity that works for Chinese
(no spaces) and English (word order, small edits); what each text is about, its ids (order
id, ASIN, FBA shipment id, Amazon case id) and its concepts in either language (checks.yaml
`duplicates`); and `judge`, which weighs the two."""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..rules.models import CONCEPT_GAP
from ..rules.patterns import compile_pattern

# The case log stores each case's `words_only` form, worked out when it was written.
from ..store.text import words_of, words_only
from .features import story

if TYPE_CHECKING:
    from ..rules.models import DuplicateRules


class Comparable:
    """A text in the two forms `similarity` compares, from its `words_only` form (stored
    with each case; worked out once for a draft, which is compared with many cases)."""

    __slots__ = ("chars", "words")

    def __init__(self, words: str):
        self.words = words
        self.chars = words.replace(" ", "")

    @classmethod
    def of(cls, normalized: str) -> Comparable:
        return cls(words_only(normalized))


def similarity(a: str, b: str, min_length_ratio: float) -> float:
    """0–100, for two NFKC-normalised texts (`text.normalize`). The best of two views:

    - characters with spaces removed (`fuzz.ratio`): Chinese has no word boundaries, and
      this also forgives English spacing and punctuation;
    - words as a set (`fuzz.token_set_ratio`): English word order and added filler. A set
      match also scores 100 when one text merely contains the other, so it only counts
      when the texts have comparable lengths (`min_length_ratio`).
    """
    return compare(Comparable.of(a), Comparable.of(b), min_length_ratio)


def compare(a: Comparable, b: Comparable, min_length_ratio: float, cutoff: float = 0) -> float:
    """`similarity` of two prepared texts; a score below `cutoff` comes back as 0 (rapidfuzz
    stops early on a pair that cannot reach it)."""
    if not a.chars or not b.chars:
        return 0.0
    score = fuzz.ratio(a.chars, b.chars, score_cutoff=cutoff)
    shorter, longer = sorted((len(a.chars), len(b.chars)))
    if shorter / longer >= min_length_ratio and score < 100:
        score = max(score, fuzz.token_set_ratio(a.words, b.words, score_cutoff=cutoff))
    return score


def scores(
    draft: Comparable,
    stored_words: list[str],
    word_sets: list[bool],
    min_length_ratio: float,
    cutoff: float,
) -> list[float]:
    """`compare(draft, Comparable(w), min_length_ratio, cutoff)` for each of `stored_words`
    (`words_only` forms), the word-set view only where `word_sets` says so, in one batch
    per view: rapidfuzz prepares the draft once and runs each pair in C."""
    result = [0.0] * len(stored_words)
    if not draft.chars:
        return result
    chars = [w.replace(" ", "") for w in stored_words]
    for _, score, i in process.extract(
        draft.chars, chars, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
    ):
        result[i] = score
    length = len(draft.chars)
    by_words = [
        i
        for i, wanted in enumerate(word_sets)
        if wanted
        and result[i] < 100
        and chars[i]
        and min(length, len(chars[i])) / max(length, len(chars[i])) >= min_length_ratio
    ]
    for _, score, j in process.extract(
        draft.words,
        [stored_words[i] for i in by_words],
        scorer=fuzz.token_set_ratio,
        score_cutoff=cutoff,
        limit=None,
    ):
        result[by_words[j]] = max(result[by_words[j]], score)
    return result


def identifiers(normalized: str, pattern: str) -> set[str]:
    """Every match of a material's `detect` pattern in a normalised text, in upper case
    (ASINs are written either way)."""
    return {m.group(0).upper() for m in compile_pattern(pattern).finditer(normalized)}


# --- what a case is about: its ids and its concepts ---------------------------------------
#
# The character and word views above see a translation, or a rewording in other words, as
# a different text, and two texts that differ only in an ASIN as the same one. So the check
# also reads what each text is about, from its `words_only` form (stored with every case):
#
# - its ids (order id, ASIN, FBA shipment id, Amazon case id), by their `detect` patterns;
# - its concepts (checks.yaml `duplicates`): the specifics, each in Chinese and English;
#
# and `judge` weighs them: a shared id is strong evidence; two ids of one kind that differ,
# two concepts of one kind with none in common (two marketplaces, two IP rights), or a
# slot filled differently in the same sentence make two different problems, however alike
# the words.

_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# A gap inside a spelling (广告…被拒): up to 8 characters of one Chinese clause (the stored
# form has a space for each run of punctuation), up to 4 English words, or, between an
# English and a Chinese part, up to 8 characters and 2 spaces.
_GAP_ZH, _GAP_EN_WORDS, _GAP_MIXED = 8, 4, (8, 2)
# What is found per text (ids and concepts; figures and a settled story), kept by the
# text's digest: prechecks against one case log compare their drafts with the same newest
# cases again and again, up to 300 of them (PostgreSQL's three arms), two entries each.
_CACHE_SIZE = 2048
_NEAREST_ENDS = 10
_FIRST_WORD = re.compile(r"[a-z0-9]+")
_OTHER_CHAR = re.compile(r"[^a-z0-9 ]")


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass(frozen=True)
class _Piece:
    """One part of a spelling in the `words_only` form: where an English letter or digit
    starts or ends it, the text around it must not continue the word (提了A-to-Z matches
    a-to-z; "disappeared" does not match "ad"); `prefix`: the last word may go on
    (deactivat* = deactivated)."""

    text: str
    latin_start: bool
    latin_end: bool
    prefix: bool

    @classmethod
    def of(cls, part: str) -> _Piece:
        prefix = part.endswith("*")
        text = words_of(part.removesuffix("*"))
        return cls(text, text[0] in _LATIN, text[-1] in _LATIN, prefix)

    def end_at(self, words: str, start: int) -> int | None:
        """Where this piece ends if it matches `words` at `start`, else None."""
        if not words.startswith(self.text, start):
            return None
        if self.latin_start and start > 0 and words[start - 1] in _LATIN:
            return None
        end = start + len(self.text)
        if self.prefix:
            while end < len(words) and words[end] in _LATIN:
                end += 1
        elif self.latin_end and end < len(words) and words[end] in _LATIN:
            return None
        return end


def _gap_fits(gap: str, before: _Piece, after: _Piece) -> bool:
    """May `gap` stand between two parts of one spelling (`…`)?"""
    if not before.latin_end and not after.latin_start:
        return " " not in gap and len(gap) <= _GAP_ZH
    if before.latin_end and after.latin_start:
        return gap.startswith(" ") and gap.endswith(" ") and gap.count(" ") <= _GAP_EN_WORDS + 1
    chars, spaces = _GAP_MIXED
    return len(gap) - gap.count(" ") <= chars and gap.count(" ") <= spaces


class Lexicon:
    """The concepts of checks.yaml `duplicates`, ready to find in a `words_only` text: each
    spelling part is indexed by how it starts (its first English word, or its first two
    characters), so one pass over the text finds every part, a few dictionary lookups per
    word or Chinese character whatever the text says, and a spelling with gaps is a check
    of its parts' positions. What it finds in a text is kept (`_CACHE_SIZE`, by digest):
    prechecks against one case log read the same stored cases again."""

    def __init__(self, rules: DuplicateRules):
        self.concepts = rules.concepts
        self.weights = [0.5 if c.generic else 1.0 for c in rules.concepts]
        self.kinds = [frozenset(c.kinds) for c in rules.concepts]
        self.moved_on = frozenset(i for i, c in enumerate(rules.concepts) if c.moved_on)
        self.follow_up = frozenset(i for i, c in enumerate(rules.concepts) if c.follow_up)
        self.settled = frozenset(i for i, c in enumerate(rules.concepts) if c.settled)
        self.new_turn = frozenset(i for i, c in enumerate(rules.concepts) if c.new_turn)
        # Markers say how a draft relates to a case, not what it is about: never compared.
        self.markers = self.follow_up | self.settled | self.new_turn
        details = frozenset(rules.detail_kinds)
        # The kinds of a concept that make it a sort of problem (`_new_sort`).
        self.problem_kinds = [frozenset(c.kinds) - details for c in rules.concepts]
        self._pieces: list[_Piece] = []
        ids: dict[_Piece, int] = {}
        self._plain: dict[int, set[int]] = {}  # piece -> concepts it spells alone
        self._gapped: list[tuple[int, tuple[int, ...]]] = []  # (concept, pieces)
        for concept, rule in enumerate(rules.concepts):
            for spelling in (*rule.zh, *rule.en):
                parts = []
                for part in spelling.split(CONCEPT_GAP):
                    piece = _Piece.of(part.strip())
                    if piece not in ids:
                        ids[piece] = len(self._pieces)
                        self._pieces.append(piece)
                    parts.append(ids[piece])
                if len(parts) == 1:
                    self._plain.setdefault(parts[0], set()).add(concept)
                else:
                    self._gapped.append((concept, tuple(parts)))
        # Where a part may start: at an English word, looked up by the word (or, for a
        # part of one word with *, by each beginning of the word), or at any other
        # character, looked up by it and the next one.
        self._by_word: dict[str, list[int]] = {}
        self._by_stem: dict[str, list[int]] = {}
        self._by_pair: dict[str, list[int]] = {}
        for i, piece in enumerate(self._pieces):
            if not piece.latin_start:
                self._by_pair.setdefault(piece.text[:2], []).append(i)
            elif piece.prefix and _FIRST_WORD.match(piece.text).end() == len(piece.text):
                self._by_stem.setdefault(piece.text, []).append(i)
            else:
                self._by_word.setdefault(_FIRST_WORD.match(piece.text).group(), []).append(i)
        self._stem_lengths = sorted({len(stem) for stem in self._by_stem})
        self._word_parts = functools.lru_cache(maxsize=1 << 14)(self._parts_of_word)
        self._cache: OrderedDict[tuple, object] = OrderedDict()  # `_kept`: `read`, `told`
        self._lock = threading.Lock()

    def find(self, words: str) -> frozenset[int]:
        """The concepts (indices into `concepts`) in a `words_only` text, not kept: a
        sentence of a story is read once, with its text (`told` keeps the outcome)."""
        return self._find(words)

    def read(
        self, words: str, id_patterns: dict[str, str]
    ) -> tuple[dict[str, frozenset[str]], frozenset[int]]:
        """The ids (by kind, of `id_patterns`: kind -> `detect` pattern) and the concepts
        of a `words_only` text, kept (`_kept`; a server thread may be reading another text
        meanwhile)."""

        def read_now():
            form = id_form(words)
            ids = {kind: frozenset(identifiers(form, p)) for kind, p in id_patterns.items()}
            return {k: v for k, v in ids.items() if v}, self._find(words)

        return self._kept(("read", _digest(words), tuple(id_patterns.items())), read_now)

    def told(
        self, normalized: str, ids: dict[str, frozenset[str]], concepts: frozenset[int]
    ) -> tuple[tuple[frozenset[float], frozenset[str]], bool]:
        """A normalised text's `figures` and whether its story tells of a problem settled
        (`settled_in_story`), kept like `read`'s findings: `ids` and `concepts` are what
        `read` found in the text's `words_only` form (the ids, which `figures` leaves
        out, are part of the key)."""
        return self._kept(
            ("told", _digest(normalized), tuple(sorted((k, *sorted(v)) for k, v in ids.items()))),
            lambda: (figures(normalized, ids), settled_in_story(normalized, concepts, self)),
        )

    def _kept(self, key: tuple, work: Callable[[], object]):
        """`work()`, or what it gave for `key` among the `_CACHE_SIZE` keys used last."""
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        found = work()  # outside the lock: another thread may do the same work meanwhile
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return found

    def _parts_of_word(self, word: str) -> tuple[int, ...]:
        """The parts that may start at an English word."""
        found = list(self._by_word.get(word, ()))
        for length in self._stem_lengths:
            if length > len(word):
                break
            found += self._by_stem.get(word[:length], ())
        return tuple(found)

    def _starts(self, words: str):
        """(position, candidate parts) wherever a part may start."""
        for match in _FIRST_WORD.finditer(words):
            found = self._word_parts(match.group())
            if found:
                yield match.start(), found
        for match in _OTHER_CHAR.finditer(words):
            start = match.start()
            found = self._by_pair.get(words[start : start + 2])
            if found:
                yield start, found

    def _find(self, words: str) -> frozenset[int]:
        """The concepts (indices into `concepts`) in a `words_only` text."""
        spans: dict[int, list[tuple[int, int]]] = {}
        pieces = self._pieces
        for start, candidates in self._starts(words):
            for i in candidates:
                end = pieces[i].end_at(words, start)
                if end is not None:
                    spans.setdefault(i, []).append((start, end))
        found = set()
        for i in spans:
            found |= self._plain.get(i, set())
        for concept, parts in self._gapped:
            if concept not in found and all(p in spans for p in parts):
                if self._in_order(words, parts, spans):
                    found.add(concept)
        return frozenset(found)

    def _in_order(self, words: str, parts, spans) -> bool:
        """Do the parts occur one after the other, each gap fitting (`_gap_fits`)? Only the
        `_NEAREST_ENDS` ends nearest before a part are tried: a gap that fits holds at most
        8 characters or 5 spaces, so no more part ends than that, and a long repetitive
        text then costs a bounded amount per occurrence instead of every pair."""
        ends = sorted(end for _, end in spans[parts[0]])
        for before, after in zip(parts, parts[1:], strict=False):
            fits = []
            for start, end in spans[after]:
                nearest = bisect.bisect_right(ends, start)
                for last in reversed(ends[max(0, nearest - _NEAREST_ENDS) : nearest]):
                    gap = words[last:start]
                    if _gap_fits(gap, self._pieces[before], self._pieces[after]):
                        fits.append(end)
                        break
            if not fits:
                return False
            ends = sorted(fits)
        return True

    def weight(self, concepts) -> float:
        return sum(self.weights[i] for i in concepts)

    def is_specific(self, concept: int) -> bool:
        return self.weights[concept] >= 1

    def labels(self, concepts, language: str) -> list[str]:
        """How the warning names these concepts: each one's first spelling."""
        return [getattr(self.concepts[i], language)[0] for i in concepts]


_LEXICONS: dict[int, tuple[DuplicateRules, Lexicon]] = {}
_LEXICONS_LOCK = threading.Lock()


def lexicon_of(rules: DuplicateRules) -> Lexicon:
    """The lexicon of these rules, built once and kept for the last few rules versions
    (the backend reloads the rules when a file changes)."""
    with _LEXICONS_LOCK:
        kept = _LEXICONS.get(id(rules))
        if kept is not None and kept[0] is rules:
            return kept[1]
        lexicon = Lexicon(rules)
        while len(_LEXICONS) >= 4:
            _LEXICONS.pop(next(iter(_LEXICONS)))
        _LEXICONS[id(rules)] = (rules, lexicon)
        return lexicon


class Profile:
    """A text as `judge` weighs it: its `words_only` form, its ids by kind, its concepts,
    and from the normalised text where it is known (the `words_only` form splits 5,812.40
    and HK-LAMP-02 into pieces and has no sentences) its `figures` and whether its story
    tells of a problem settled (`settled_in_story`)."""

    __slots__ = ("words", "ids", "concepts", "numbers", "codes", "settled")

    def __init__(
        self,
        words: str,
        ids: dict[str, frozenset[str]],
        concepts: frozenset[int],
        figures: tuple[frozenset[float], frozenset[str]] = (frozenset(), frozenset()),
        settled: bool = False,
    ):
        self.words = words
        self.ids = ids
        self.concepts = concepts
        self.numbers, self.codes = figures
        self.settled = settled


# A number as written: thousands in groups of three (1,238.55), not glued to letters.
_NUMBER = re.compile(r"(?<![A-Za-z0-9.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![A-Za-z0-9])")
# A code: letters and digits in one token, hyphens allowed (a SKU HK-LAMP-02, a removal
# order 7KQ2LM8XPZ), or a name of three or more capitalised hyphenated words (a campaign
# SP-Auto-Lamp; A-to-z has one-letter parts).
_CODE = re.compile(
    r"(?<![A-Za-z0-9-])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
    r"(?![A-Za-z0-9-])|(?<![A-Za-z0-9-])[A-Z][A-Za-z]+(?:-[A-Za-z]{2,}){2,}(?![A-Za-z0-9-])"
)
# Tokens of letters and digits that say nothing specific: 3PL, 5x7, Q4, 2kg, 10X.
_NOT_A_CODE = re.compile(r"\d+[A-Z]{1,3}|[A-Z]{1,3}\d{1,2}|\d+X\d+.*")


def figures(normalized: str, ids: dict[str, frozenset[str]]) -> tuple[frozenset, frozenset]:
    """The amounts and counts (10 or more, or with decimals: a day of the month or one
    carton says little) and the codes of a normalised text, its ids left out (they are
    compared as ids). Two texts that each name some and none in common are about two
    things (230 / 150 stranded units, HK-LAMP-02 / HK-LAMP-07); one in common ties a
    translation to its original ($5,812.40, SKU MUG-SET-4) where the concepts miss."""
    known = [value.replace("-", "") for values in ids.values() for value in values]
    # An id's own digits, whole or one group of an order id (114-2938475-6610293): not an
    # amount. A number that merely occurs inside an id's digits (47 in 2938475) still is.
    id_digits = set(known) | {
        part for values in ids.values() for v in values for part in v.split("-")
    }
    numbers = set()
    for match in _NUMBER.finditer(normalized):
        written = match.group().replace(",", "")
        if ("." in written or float(written) >= 10) and written not in id_digits:
            numbers.add(float(written))
    codes = set()
    for match in _CODE.finditer(normalized):
        code = match.group().upper()
        if (
            len(code) >= 4
            and not _NOT_A_CODE.fullmatch(code)
            and not any(value in code.replace("-", "") for value in known)
        ):
            codes.add(code)
    return frozenset(numbers), frozenset(codes)


def id_form(words: str) -> str:
    """A `words_only` text as the ids' `detect` patterns read it: upper case (FBA shipment
    ids are written so) and hyphens for the spaces that replaced punctuation (an order id
    114-1111111-2222222 is stored as 114 1111111 2222222)."""
    return words.upper().replace(" ", "-")


def profile(
    words: str,
    lexicon: Lexicon,
    id_patterns: dict[str, str],
    known_ids: dict[str, str | None] | None = None,
    normalized: str | None = None,
) -> Profile:
    """The profile of a `words_only` text. `id_patterns`: id kind -> `detect` pattern;
    `known_ids`: kind -> an id known besides the text (a stored case's Amazon case id);
    `normalized`: the text itself, when known, for its `figures`."""
    ids, concepts = lexicon.read(words, id_patterns)
    if normalized:
        found, settled = lexicon.told(normalized, ids, concepts)
    else:
        found, settled = (frozenset(), frozenset()), False
    known = {kind: value.upper() for kind, value in (known_ids or {}).items() if value}
    if known:
        ids = dict(ids)
        for kind, value in known.items():
            ids[kind] = ids.get(kind, frozenset()) | {value}
    return Profile(words, ids, concepts, found, settled)


# A sentence that says something was not done (not approved, wasn't, 还没通过, 未恢复)
# tells nothing settled: the whole sentence is looked at, since the negation need not stand
# next to the word (not yet fully reinstated). 不 is left out: a settled sentence may go on
# with 但是不能… . (So a settled spelling must not hold 没 or 未 itself: it would never count.)
_NEGATION = re.compile(r"\b(?:not|never|no|t)\b|[没未]")


def settled_in_story(normalized: str, concepts: frozenset[int], lexicon: Lexicon) -> bool:
    """Does a sentence that asks for nothing say a problem was settled (…is reinstated,
    thanks.)? In an asking one it is what the seller wants (how do I get reinstated?); one
    that says it was not (my appeal was not approved) settled nothing."""
    if not concepts & lexicon.settled:
        return False
    sentences = (words_only(told) for told in story(normalized))
    return any(
        lexicon.find(words) & lexicon.settled and not _NEGATION.search(words) for words in sentences
    )


# --- the verdict ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """The duplicate_case params (checks.yaml) that `judge` reads."""

    min_similarity: float  # same category: near-identical text (0-100)
    min_similarity_other_category: float  # another category: the same text, all but
    min_shared_weight: float  # concepts in common (a generic one counts half)
    min_concept_overlap: float  # their weight over that of all concepts of the two texts
    slot_min_similarity: float  # texts this alike are compared slot by slot (`slot`)
    max_short_size: float  # a text this short (`content_size`) may name one concept only
    # Id kinds that count only when shared: their pattern also finds other numbers (an
    # Amazon case id is any 8–14 digits: a tracking or phone number too), so two that
    # differ do not make two problems.
    evidence_only_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Verdict:
    """Why a stored case is a duplicate of the draft: `match` is "text" (near-identical),
    an id kind (they share an id) or "concepts"; `ids` the ids they share by kind,
    `concepts` the concepts they share, specific ones first."""

    match: str
    ids: dict[str, list[str]]
    concepts: list[int]


def _kind_conflict(lexicon: Lexicon, a: frozenset[int], b: frozenset[int]) -> bool:
    """Does each text name a concept of some kind, and the two none in common?"""
    shared_kinds = set().union(*(lexicon.kinds[i] for i in a & b))
    kinds_a = set().union(*(lexicon.kinds[i] for i in a))
    return any(kind in kinds_a and kind not in shared_kinds for i in b for kind in lexicon.kinds[i])


def _each_its_own(lexicon: Lexicon, a: frozenset[int], b: frozenset[int], same_sort: bool) -> bool:
    """Does each text name a specific problem (a concept of a kind that is not a detail
    kind) that the other does not name? With `same_sort`, only problems of one sort
    count: a concept in common does not make the two one problem then (pallets refused at
    the dock for missing labels / a fee for labelling share the labels, and each names its
    own logistics problem). Without it, any two problems do (a shared shipment id: cartons
    stuck in receiving / a carrier charge applied twice)."""
    own_a = [lexicon.problem_kinds[i] for i in a - b if lexicon.is_specific(i)]
    own_b = [lexicon.problem_kinds[i] for i in b - a if lexicon.is_specific(i)]
    if not same_sort:
        return any(own_a) and any(own_b)
    kinds_a = set().union(*own_a)
    return any(kinds & kinds_a for kinds in own_b)


def _new_sort(lexicon: Lexicon, smaller: frozenset[int], extra: frozenset[int]) -> bool:
    """Does `extra` name a sort of problem (a kind, not a detail kind) that `smaller`
    names nothing of?"""
    known = set().union(*(lexicon.kinds[i] for i in smaller))
    return any(lexicon.problem_kinds[i] - known for i in extra)


_TOKEN = re.compile(r"[a-z0-9]+|[^ a-z0-9]")
# `slot`: changes at most `_SLOT_JOIN` unchanged tokens apart are one slot; a slot joined
# from several changes must say `_SLOT_JOINED_WEIGHT` or more on each side (a filler word
# inserted beside a rewording, 无法 / 为…状态不能, is no slot).
_SLOT_JOIN, _SLOT_JOINED_WEIGHT = 1, 3
# Words that say nothing about which problem a text is about: English function words, the
# politeness of a case and reporting verbs, and Chinese function characters.
_STOP_EN = frozenset(
    """a an the my our i we you your me us it its this that these those they them their he
    she is are was were be been being am have has had do does did done to of for in on at by
    with from and or but so as if then than too very just also still now again already yet
    about after before since until while when where why how what which who whom there here
    any all some no not nor can could would should will shall may might must please pls plz
    help hello hi dear team seller support thanks thank regards amazon sir madam kindly get
    got gets getting say says said show shows showing shown tell know need want like""".split()
)
_STOP_ZH = frozenset(
    "的了是在我你他她它们这那有和与及或也就都还又把给让对从向到为以于之而但且吗呢吧啊呀哦嗯么个些请不没会能很太更再才已经"
)


def _slot_weight(tokens: list[str], other: set[str], chinese: bool) -> int:
    """How much a part of one text says that the other text says nowhere: 2 for a number
    or an id, and for an English word in Chinese text (a name); 1 for any other English
    word and for a Chinese character; nothing for function words."""
    total = 0
    for token in tokens:
        if token in other:
            continue
        if token[0] in _LATIN:
            if any(c.isdigit() for c in token):
                total += 2
            elif token not in _STOP_EN and len(token) > 1:
                total += 2 if chinese else 1
        elif token not in _STOP_ZH:
            total += 1
    return total


def slot(a: str, b: str) -> bool:
    """Do two alike `words_only` texts differ in a slot: a part of the sentence where each
    says something the other does not say anywhere, worth 2 or more on each side
    (`_slot_weight`): a number (an amount, a date), a name (投诉方是 Anker / Ugreen), two
    words or Chinese characters (长期仓储费 / 入库配置服务费)? Rewording changes function
    words and single words, or moves words about; a template filled in twice changes a
    slot.

    A slot is one change of the edit script, or a run of changes joined across single
    unchanged tokens (`_SLOT_JOIN`) that says `_SLOT_JOINED_WEIGHT` or more on each side:
    the edit script splits 又收到了通知 / 是因为ODR超标又被封了 (a long shared story, then
    another ending) at the shared 又 and 了, which leaves no piece a slot alone."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    ops = Levenshtein.opcodes(ta, tb)
    latin = sum(t[0] in _LATIN for t in ta) + sum(t[0] in _LATIN for t in tb)
    chinese = len(ta) + len(tb) - latin > 2 * latin
    set_a, set_b = set(ta), set(tb)
    if any(
        op.tag == "replace"
        and _slot_weight(ta[op.src_start : op.src_end], set_b, chinese) >= 2
        and _slot_weight(tb[op.dest_start : op.dest_end], set_a, chinese) >= 2
        for op in ops
    ):
        return True
    # Changes joined across single unchanged tokens: [src_start, src_end, dest_start,
    # dest_end, how many changes].
    regions: list[list[int]] = []
    joinable = False
    for op in ops:
        if op.tag == "equal":
            joinable = joinable and op.src_end - op.src_start <= _SLOT_JOIN
        elif joinable:
            regions[-1][1], regions[-1][3] = op.src_end, op.dest_end
            regions[-1][4] += 1
        else:
            regions.append([op.src_start, op.src_end, op.dest_start, op.dest_end, 1])
            joinable = True
    return any(
        edits > 1
        and _slot_weight(ta[s0:s1], set_b, chinese) >= _SLOT_JOINED_WEIGHT
        and _slot_weight(tb[d0:d1], set_a, chinese) >= _SLOT_JOINED_WEIGHT
        for s0, s1, d0, d1, edits in regions
    )


def judge(
    draft: Profile,
    earlier: Profile,
    lexicon: Lexicon,
    limits: Thresholds,
    *,
    text_score: float,
    same_category: bool,
) -> Verdict | None:
    """Is `earlier` (a stored case) a duplicate of `draft`, and why? None: it is not.

    Never a duplicate: ids of one kind on both sides with none in common (two ASINs);
    amounts or codes on both sides with none in common (`figures`: 230 / 150 units, SKU
    HK-LAMP-02 / HK-LAMP-07; amounts count only when the draft does not say it follows
    up, which brings new figures: now 21 days); concepts of one kind on both sides with
    none in common (two marketplaces, 法人 / 受益人, too high / too low, pending /
    completed); a draft that says the earlier problem is over or that it asks about
    another thing (`moved_on`: 已经解除了，但是…, by the way), or that a problem was
    settled, in a sentence that asks for nothing, and something is new (`settled` and
    `new_turn`: 上次的已经撤诉了，这次是…; "can it be reinstated now?" asks for the
    settling), or that names another id or code beside the earlier case's and says
    something is new (`_another_beside`: 另外一单 …, another campaign …); each text
    naming its own specific problem of one sort (`_each_its_own`: a concept in common is
    then a topic, not the problem); two alike texts that differ in a
    `slot`, unless an id and a specific concept, or an amount or a code, tie them.
    Otherwise a duplicate when the texts are near-identical (in another category: the
    same text, all but), or, in the same category or with an id in common (a seller may
    file the same problem under another category), when they

    - share an id and something they are about (a concept), unless each names its own
      specific problem, of any sort (the same shipment: cartons stuck in receiving / a
      carrier charge applied twice);
    - name alike concepts (`_alike_concepts`: the same ones, or one text's all in the
      other, a follow-up); or
    - share specifics the concepts miss (`_shared_specifics`: an amount, a code), one
      with a specific concept in common or two with any concept in common ($480 and
      $50 in 一天花了 $480，预算是每天 $50 / spent $480 while the daily budget is $50)."""
    for kind, values in draft.ids.items():
        if kind in limits.evidence_only_ids:
            continue
        if kind in earlier.ids and not values & earlier.ids[kind]:
            return None
    ids = {
        kind: sorted(values & earlier.ids[kind])
        for kind, values in draft.ids.items()
        if values & earlier.ids.get(kind, frozenset())
    }
    # Evidence-only ids (any digits that look like a case id) tie texts only beside
    # another reason to compare them.
    comparable = same_category or any(kind not in limits.evidence_only_ids for kind in ids)
    if text_score < limits.slot_min_similarity and not comparable:
        return None
    follows_up = bool(draft.concepts & lexicon.follow_up)
    if (
        _figures_differ(draft, earlier, follows_up)
        or _new_after_settled(lexicon, draft, earlier)
        or _another_beside(lexicon, draft, earlier, limits.evidence_only_ids)
    ):
        return None
    a, b = earlier.concepts - lexicon.markers, draft.concepts - lexicon.markers
    if _kind_conflict(lexicon, a, b) or (b & lexicon.moved_on and not a & lexicon.moved_on):
        return None
    if _each_its_own(lexicon, a, b, same_sort=True):
        return None
    # A slot filled otherwise parts alike wording, not what is tied by an id or a figure.
    slotted = text_score >= limits.slot_min_similarity and slot(earlier.words, draft.words)
    shared = a & b
    specific = any(map(lexicon.is_specific, shared))
    concepts = sorted(shared, key=lambda i: (not lexicon.is_specific(i), i))
    least = limits.min_similarity if comparable else limits.min_similarity_other_category
    if text_score >= least and not slotted:
        return Verdict("text", ids, concepts)
    if not comparable:
        return None
    if (
        ids
        and (specific or (shared and not slotted))
        and not _each_its_own(lexicon, a, b, same_sort=False)
    ):
        return Verdict(next(iter(ids)), ids, concepts)
    if not slotted and _alike_concepts(lexicon, draft, earlier, a, b, limits):
        return Verdict("concepts", ids, concepts)
    if _shared_specifics(lexicon, draft, earlier, shared, specific):
        return Verdict("concepts", ids, concepts)
    return None


def _figures_differ(draft: Profile, earlier: Profile, follows_up: bool) -> bool:
    """Do both texts name amounts (unless the draft follows up), or codes, and none in
    common?"""
    numbers = draft.numbers and earlier.numbers and not draft.numbers & earlier.numbers
    codes = draft.codes and earlier.codes and not draft.codes & earlier.codes
    return bool((numbers and not follows_up) or codes)


def _new_after_settled(lexicon: Lexicon, draft: Profile, earlier: Profile) -> bool:
    """Does the draft, and not the earlier case, tell that a problem was settled and say
    something is new (reinstated, thanks. Now …; 上次那个已经撤诉了，这周又来了一个…)?"""
    if not (draft.settled and draft.concepts & lexicon.new_turn):
        return False
    return not (earlier.concepts & lexicon.settled and earlier.concepts & lexicon.new_turn)


def _another_beside(
    lexicon: Lexicon, draft: Profile, earlier: Profile, evidence_only: frozenset[str]
) -> bool:
    """Does the draft name the earlier case's id or code and, beside it, another of the
    same sort, and say something is new (113-…1 已经移除了。现在另外一单 113-…2; XJ-Auto-1105
    的超预算已经退款了。现在是另一个活动 XJ-Manual-1112)? It has turned to another thing.
    (A draft whose ids of a sort share none with the earlier case's was parted before; an
    evidence-only id, any run of digits that looks like a case id, never parts texts.)"""
    if not draft.concepts & lexicon.new_turn:
        return False
    new_ids = any(
        values - earlier.ids[kind]
        for kind, values in draft.ids.items()
        if kind in earlier.ids and kind not in evidence_only
    )
    return new_ids or bool(draft.codes & earlier.codes and draft.codes - earlier.codes)


def _shared_specifics(
    lexicon: Lexicon, draft: Profile, earlier: Profile, shared: frozenset[int], specific: bool
) -> bool:
    """Do the texts share an amount or a code and a specific concept (`specific`), or two
    of them and any concept? (Ids in common were weighed before, with the concepts.)"""
    count = len(draft.numbers & earlier.numbers) + len(draft.codes & earlier.codes)
    return (count >= 1 and specific) or (count >= 2 and lexicon.weight(shared) >= 0.5)


def _alike_concepts(
    lexicon: Lexicon,
    draft: Profile,
    earlier: Profile,
    a: frozenset[int],
    b: frozenset[int],
    limits: Thresholds,
) -> bool:
    """Do the earlier case's concepts `a` and the draft's `b` make one problem?

    - the draft says it follows up (`follow_up`: 再跟进, writing again, still) a short
      earlier case whose specific concepts it repeats (`_followed_up`);
    - they name the same concepts, no more and no fewer, none specific but of weight 1 or
      more (店铺被封了怎么恢复 / account suspended, how to get it reinstated);
    - they name the same specific concepts, or share two, with shared concepts of
      `min_shared_weight` and at least `min_concept_overlap` of the weight of all the
      concepts of both (a translation, a rewording: 我的店铺被封了，要写POA申诉 /
      店铺被封了怎么办，POA怎么写); or
    - one names specific concepts that are all in the other, two or more of them, or one
      in a short text (`max_short_size`), and the other adds none of a sort the first
      does not name, nor the first names one the other does not (a follow-up: the same
      problem again, with details; UPS合作承运人的运费太贵 / UPS合作承运人取件一直没来 share
      the carrier, but a pickup that did not come is a problem the first does not name)."""
    if draft.concepts & lexicon.follow_up and _followed_up(lexicon, earlier, a, b, limits):
        return True
    shared = a & b
    specific_a = frozenset(filter(lexicon.is_specific, a))
    specific_b = frozenset(filter(lexicon.is_specific, b))
    both = specific_a & specific_b
    if not both:
        return a == b and lexicon.weight(shared) >= 1
    weight = lexicon.weight(shared)
    alike = (
        weight >= limits.min_shared_weight
        and weight >= limits.min_concept_overlap * lexicon.weight(a | b)
    )
    if alike and (len(both) >= 2 or specific_a == specific_b):
        return True
    return any(
        smaller <= larger
        and (len(smaller) >= 2 or alike or content_size(text.words) <= limits.max_short_size)
        and not _new_sort(lexicon, smaller, larger - smaller)
        and not _new_sort(lexicon, larger_all, smaller_all - larger_all)
        for smaller, text, larger, smaller_all, larger_all in (
            (specific_a, earlier, specific_b, a, b),
            (specific_b, draft, specific_a, b, a),
        )
    )


def _followed_up(
    lexicon: Lexicon, earlier: Profile, a: frozenset[int], b: frozenset[int], limits: Thresholds
) -> bool:
    """A draft that says it follows up (再跟进一下专利投诉：…, Writing again about the
    suspension: …, 账户状况还是有风险：…) on a short earlier case (`max_short_size`) that
    named little: every specific concept of the earlier case is in the draft, and at
    least `min_concept_overlap` of the weight of its concepts. The draft may then add what
    the earlier case did not say, of any sort (the reason for a suspension, the late
    shipment rate behind a risk): the seller says it is the same case. Two concepts of
    one kind that differ, ids that differ and a draft that says the earlier problem is
    over were ruled out before."""
    if not a or content_size(earlier.words) > limits.max_short_size:
        return False
    if not frozenset(filter(lexicon.is_specific, a)) <= b:
        return False
    return lexicon.weight(a & b) >= limits.min_concept_overlap * lexicon.weight(a)


def content_size(words: str) -> float:
    """How much a `words_only` text says, in English words: each word but function words,
    and each Chinese character half a word (as checks.yaml `cjk_chars_per_english_word`
    reads two characters as one word)."""
    return sum(
        (t not in _STOP_EN and len(t) > 1) if t[0] in _LATIN else 0.5 * (t not in _STOP_ZH)
        for t in _TOKEN.findall(words)
    )

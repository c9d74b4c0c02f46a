"""The case composer: a template of templates.yaml with every value we know filled in, in
the marketplace's spelling, and the placeholders left for the seller, each explained.

Also what the checks need from the templates: the placeholders still in a text
(unfilled_placeholder) and the text without the templates' fixed wording (non_english
judges only what the seller wrote)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from ..rules import Rules
from ..rules.models import (
    PLACEHOLDER,
    Category,
    Localized,
    Marketplace,
    Placeholder,
    Template,
    TemplatesFile,
)
from ..rules.patterns import compile_pattern
from .contract import identifier_patterns
from .errors import DomainError
from .text import normalize

MONTHS = (
    "January February March April May June July August September October November December"
).split()
_PLACEHOLDER = re.compile(PLACEHOLDER)
# Anything in square brackets on one line: a gap if it names a declared placeholder (also
# as older templates wrote them: [ORDER ID], [Order_Id]) or one of the older templates'
# other gaps ([DATE], [CARRIER], listed in checks.yaml). Other brackets ([URGENT], [US],
# [PDF]) are the seller's own words.
_BRACKETED = re.compile(r"\[([^\[\]\n]{2,120})\]")
# Between a word that names an id and the id: "Case ID: 2215…", "case #2215…", "工单号：2215…".
_NAMING_GAP = r"\s*[:#]?\s*$"
# How far before an id its naming word may start.
_NAMING_REACH = 40
# Fixed wording shorter than this is not worth removing on its own: ", " or "Thank you,"
# says nothing about who wrote the rest. (A whole template line with its gaps filled in
# is recognised however short its fixed words, " with ", " on the ".)
_MIN_FIXED = 12


class UnknownTemplate(DomainError):
    code = "unknown_template"


class NoTemplate(DomainError):
    """The category goes to a special channel: regular Seller Support takes no case for it."""

    code = "no_template"


class UnknownPlaceholder(DomainError):
    code = "unknown_placeholder"


class TemplateNotForCategory(DomainError):
    """A category's own template asked for a case of another category."""

    code = "template_not_for_category"


@dataclass(frozen=True)
class Known:
    """What the composer may fill in besides the marketplace and the date."""

    text: str = ""  # the seller's description: ids are looked for here
    reference_numbers: tuple[str, ...] = ()  # the page's reference fields: ids here too
    values: Mapping[str, str] = field(default_factory=dict)  # the client's, by placeholder


@dataclass(frozen=True)
class Remaining:
    """A placeholder left for the seller."""

    name: str
    label: Localized
    explain: Localized
    example: str


@dataclass(frozen=True)
class Composed:
    template: Template
    spelling: str
    subject: str
    text: str
    filled: dict[str, str]
    remaining: list[Remaining]


def templates_for(rules: Rules, category: Category) -> list[Template]:
    """The templates a case of this category may start from: its own first, then the
    follow-up and the re-filing; none for a special channel's."""
    if category.special_channel is not None:
        return []
    own = [t for t in rules.templates.templates if category.id in t.categories]
    return own + [t for t in rules.templates.templates if t.kind != "category"]


def choose_template(rules: Rules, template_id: str | None, category: Category | None) -> Template:
    """The template asked for, else the category's own; none for a special channel's, and
    no other category's own."""
    if category is not None and category.special_channel is not None:
        raise _special(category)
    if template_id is not None:
        found = rules.template_by_id.get(template_id)
        if found is None:
            valid = ", ".join(rules.template_by_id)
            raise UnknownTemplate(
                f"template: unknown {template_id!r}; valid: {valid} (没有这个模板)"
            )
        if category is not None and found not in templates_for(rules, category):
            raise TemplateNotForCategory(
                f"template: {template_id!r} is for {', '.join(found.categories)}, not "
                f"{category.id} (这个模板不适用于“{category.label.zh}”)"
            )
        return found
    if category is None:
        raise UnknownTemplate("give `template` or `category` (请指定模板或问题分类)")
    return templates_for(rules, category)[0]


def _special(category: Category) -> NoTemplate:
    name = category.special_channel.name
    return NoTemplate(
        f"category: {category.id} is handled by {name.en}, not regular Seller Support, so "
        f"there is no case template for it ({category.label.zh}由{name.zh}处理，不走常规客服，"
        f"没有工单模板)"
    )


def compose(
    rules: Rules, template: Template, known: Known, marketplace: Marketplace, today: date
) -> Composed:
    """The template in the marketplace's spelling with every known value in place."""
    declared = rules.templates
    unknown = sorted(name for name in known.values if declared.declaration(name) is None)
    if unknown:
        raise UnknownPlaceholder(
            f"values: {', '.join(unknown)} not placeholders of templates.yaml (不是模板里的占位符)"
        )
    spelling = declared.spelling.marketplaces[marketplace.code]
    variant = declared.spelling.variants[spelling]
    found = _found_ids(rules, known)
    filled: dict[str, str] = {}
    for name in template.placeholders:
        value = _value(declared, name, known, found, marketplace, today, variant.date_format)
        if value:
            filled[name] = value
    words = variant.words

    def fill(text: str) -> str:
        parts = _PLACEHOLDER.split(_respell(text, words))
        # split() alternates fixed text and placeholder names: fill the names we know.
        return "".join(
            filled.get(part, f"[{part}]") if i % 2 else part for i, part in enumerate(parts)
        )

    remaining = [
        Remaining(name, d.label, d.explain, d.example)
        for name in template.placeholders
        if name not in filled and (d := declared.declaration(name))
    ]
    return Composed(
        template, spelling, fill(template.subject), fill(template.body), filled, remaining
    )


def _value(
    declared: TemplatesFile,
    name: str,
    known: Known,
    found: dict[str, list[str]],
    marketplace: Marketplace,
    today: date,
    date_format: str,
) -> str | None:
    given = (known.values.get(name) or "").strip()
    if given:
        return given
    placeholder = declared.declaration(name)
    if placeholder.fill == "identifier":
        return ", ".join(found.get(name, [])) or None
    if placeholder.fill == "marketplace":
        return marketplace.name.en
    if placeholder.fill == "today":
        return date_format.format(day=today.day, month=MONTHS[today.month - 1], year=today.year)
    return None


def _found_ids(rules: Rules, known: Known) -> dict[str, list[str]]:
    """Identifier placeholder -> the distinct ids for it in the description and the
    reference fields, in order: every id of its kind, or only the sure ones (_is_sure)."""
    texts = [normalize(t) for t in (known.text, *known.reference_numbers)]
    patterns = identifier_patterns(rules)
    found: dict[str, list[str]] = {}
    for name, placeholder in rules.templates.placeholders.items():
        if placeholder.fill != "identifier":
            continue
        compiled = compile_pattern(patterns[placeholder.identifier])
        ids = [
            match.group(0).upper()
            for text in texts
            for match in compiled.finditer(text)
            if _is_sure(placeholder, text, match)
        ]
        found[name] = list(dict.fromkeys(ids))
    return found


def _is_sure(placeholder: Placeholder, text: str, match: re.Match) -> bool:
    """Whether an id found is this placeholder's: any id of its kind when the kind is
    distinctive (no sure_form or named_by), else one of the sure form or right after a word
    that names it. Any 10 digits look like an ISBN-10 ASIN, any 8-14 like a case id: a
    complaint number or a tracking number's digits must not be filled in as one."""
    if not (placeholder.sure_form or placeholder.named_by):
        return True
    sure_form = placeholder.sure_form
    if sure_form and compile_pattern(sure_form).search(match.group(0).upper()):
        return True
    before = text[max(0, match.start() - _NAMING_REACH) : match.start()]
    return any(_names_it(word, before) for word in placeholder.named_by)


def _names_it(word: str, before: str) -> bool:
    """`before` ends with `word` (and a colon or #), not inside a longer Latin word."""
    edge = r"(?<![A-Za-z])" if word[:1].isascii() else ""
    return re.search(edge + re.escape(word) + _NAMING_GAP, before, re.IGNORECASE) is not None


def _respell(text: str, words: Mapping[str, str]) -> str:
    """American words in this variant's spelling, whole words, keeping a capital."""
    if not words:
        return text

    def swap(match: re.Match) -> str:
        word = match.group(0)
        spelled = words[word.lower()]
        return spelled.capitalize() if word[0].isupper() else spelled

    return re.sub(rf"\b(?:{'|'.join(map(re.escape, words))})\b", swap, text, flags=re.I)


# --- what the checks read -----------------------------------------------------------


def placeholders_left(
    templates: TemplatesFile, text: str, old_gaps: Collection[str] = ()
) -> list[str]:
    """The template gaps still in a text, in order, each once: declared placeholders by
    their name (also as older templates wrote them: [ORDER ID] is ORDER_ID), and the older
    templates' other gaps (`old_gaps`, any case) as written."""
    return list(dict.fromkeys(name for _, name in _gaps(templates, text, old_gaps)))


def _gaps(templates: TemplatesFile, text: str, old_gaps: Collection[str] = ()):
    """(match, name) of each gap in the text."""
    old = {_gap_key(gap) for gap in old_gaps}
    for match in _BRACKETED.finditer(text):
        inner = match.group(1).strip()
        name = re.sub(r"[ _]+", "_", inner).upper()
        if templates.declaration(name) is not None:
            yield match, name
        elif _gap_key(inner) in old:
            yield match, inner


def _gap_key(gap: str) -> str:
    """[Date], [DATE] and [ date ] are one gap."""
    return " ".join(gap.split()).upper()


class TemplateText:
    """The templates' fixed wording (every spelling), to tell it from what the seller wrote."""

    def __init__(self, templates: TemplatesFile):
        self._templates = templates
        pieces: set[str] = set()
        # A template line that starts with fixed words -> patterns that take it whole, its
        # gaps filled in with anything (RE2: linear in the line's length).
        self._lines: dict[str, list] = {}
        for variant in templates.spelling.variants.values():
            for template in templates.templates:
                for text in (template.subject, template.body):
                    spelled = normalize(_respell(text, variant.words))
                    for piece in _PLACEHOLDER.split(spelled)[::2]:  # the fixed text only
                        pieces.update(line.strip() for line in piece.split("\n"))
                    for line in spelled.split("\n"):
                        self._add_line(line.strip())
        # Longest first, so that a piece inside another does not cut it apart.
        self._pieces = sorted((p for p in pieces if len(p) >= _MIN_FIXED), key=len, reverse=True)

    def _add_line(self, line: str) -> None:
        fixed = _PLACEHOLDER.split(line)[::2]
        # Not a line without gaps, nor one that is mostly gaps ("1. [ROOT_CAUSE_1]" would
        # take any numbered line of the seller's for ours).
        if len(fixed) < 2 or not fixed[0] or len("".join(fixed)) < _MIN_FIXED:
            return
        pattern = "^" + "(.*?)".join(map(re.escape, fixed)) + "$"
        self._lines.setdefault(fixed[0], []).append(compile_pattern(pattern))

    def _values_only(self, line: str) -> str:
        """A template line with its gaps filled in: only what fills them; else the line."""
        stripped = line.strip()
        for start, patterns in self._lines.items():
            if stripped.startswith(start):
                for pattern in patterns:
                    match = pattern.search(stripped)
                    if match:
                        return " ".join(match.groups())
        return line

    def seller_part(self, normalized: str) -> str:
        """The text without the templates' fixed wording and gaps: what the seller wrote
        (and the values filled in)."""
        normalized = "\n".join(self._values_only(line) for line in normalized.split("\n"))
        for piece in self._pieces:
            if piece in normalized:
                normalized = normalized.replace(piece, " ")
        gaps = [match.span() for match, _ in _gaps(self._templates, normalized)]
        for start, end in reversed(gaps):
            normalized = normalized[:start] + " " + normalized[end:]
        return normalized

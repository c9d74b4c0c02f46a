"""Rule patterns (categories.yaml signals, materials.yaml ids, checks.yaml ignore_tokens)
run on an engine whose time is linear in the text, whatever the text.

Python's `re` backtracks: `\\ba\\s*-?\\s*(to|2)\\s*-?\\s*z\\b` takes minutes on a crafted
10,000-character text, holding the GIL, so the whole backend stops answering. So:

- A pattern runs on RE2 (google-re2), which never backtracks: time linear in the text.
  It is handed Python's own reading of the pattern, written out in RE2's syntax (so
  `{,3}`, `\\u4e00` or `\\s` mean what they mean to Python, not what RE2 would make of them).
- RE2 has no look-around and no back-references. A pattern with them runs on Python's
  `re` only when its backtracking is bounded by construction: no unbounded repetition,
  and at most MAX_STEPS steps from any one starting position (counted over every way
  the pattern can match there), so a search costs at most MAX_STEPS × the text's length.
  That is how the id patterns' edges (`(?<![0-9])…(?![0-9])`) run.
- The id patterns also run in the extension as JavaScript RegExps, which backtrack: they
  must pass the bounded check whatever RE2 says (`browser=True`).
- Anything else is refused when the rules load, with the reason and how to fix it.

Patterns are read with ASCII classes (`\\b`, `\\w`, `\\d`, `\\s` see ASCII only), as RE2
and JavaScript read them. Two small differences remain on RE2: case-insensitive matching
also folds non-ASCII letters (É/é), and `$` without (?m) matches only at the very end.
"""

from __future__ import annotations

import functools
import re
import re._parser as sre_parse
import warnings
from dataclasses import dataclass
from re._constants import (
    ANY,
    ASSERT,
    ASSERT_NOT,
    AT,
    AT_BEGINNING,
    AT_BEGINNING_STRING,
    AT_BOUNDARY,
    AT_END,
    AT_END_STRING,
    AT_NON_BOUNDARY,
    BRANCH,
    CATEGORY,
    CATEGORY_DIGIT,
    CATEGORY_NOT_DIGIT,
    CATEGORY_NOT_SPACE,
    CATEGORY_NOT_WORD,
    CATEGORY_SPACE,
    CATEGORY_WORD,
    IN,
    LITERAL,
    MAX_REPEAT,
    MAXREPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_LITERAL,
    RANGE,
    SUBPATTERN,
)
from typing import Literal

import re2

# Backtracking steps a pattern on Python's engine may take from one starting position.
# A search over a 10,000-character text then costs at most 10^7 steps (a few ms in C).
MAX_STEPS = 1000
# RE2 refuses larger repetition counts.
_RE2_MAX_REPEAT = 1000
_CAP = 10**12  # counts above this are "too many" anyway; keeps the numbers small

Engine = Literal["re2", "re"]


class UnsafePattern(ValueError):
    """The pattern cannot be run in linear time (or not at all); the message says why
    and how to write it instead."""


class _NoRE2(Exception):
    """Python's reading has something RE2 cannot express."""


class _Unbounded(Exception):
    """The pattern's backtracking on Python's engine has no (small enough) bound."""


@dataclass(frozen=True, eq=False)
class RulePattern:
    """A compiled rule pattern. `search`, `finditer` and `sub` run on `engine`; `python` is
    Python's reading with the same flags (for the literal gate and for tests)."""

    pattern: str
    flags: int
    engine: Engine
    python: re.Pattern[str]
    steps: int | None  # bound on backtracking steps per start position; None: unbounded
    _run: object

    def search(self, text: str):
        return self._run.search(text)

    def finditer(self, text: str):
        return self._run.finditer(text)

    def sub(self, repl, text: str) -> str:
        return self._run.sub(repl, text)

    def __repr__(self) -> str:
        return f"RulePattern({self.pattern!r}, engine={self.engine!r})"


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, ignore_case: bool = False, browser: bool = False) -> RulePattern:
    """Compile a rule pattern for a linear-time engine; raises UnsafePattern otherwise.
    `browser`: the extension runs it too (a backtracking JavaScript RegExp)."""
    flags = re.ASCII | (re.IGNORECASE if ignore_case else 0)
    parsed = _parse(pattern, flags)
    try:
        python = re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsafePattern(f"invalid regular expression '{pattern}': {exc}") from exc
    try:
        steps, bound_problem = _steps(list(parsed), parsed.state.flags), None
    except _Unbounded as exc:
        steps, bound_problem = None, str(exc)
    if browser and steps is None:
        raise UnsafePattern(
            f"'{pattern}': the extension runs this pattern as a JavaScript RegExp, which "
            f"backtracks, so its backtracking must be bounded, and {bound_problem}. Use "
            f"bounded repetitions of single characters, e.g. [0-9]{{8,14}}, not + or *"
        )
    try:
        source = _re2_source(parsed)
        return RulePattern(pattern, flags, "re2", python, steps, _re2_compile(source))
    except _NoRE2 as exc:
        no_re2 = str(exc)
    if steps is not None:
        return RulePattern(pattern, flags, "re", python, steps, python)
    raise UnsafePattern(
        f"'{pattern}' cannot run in linear time: RE2 cannot run it ({no_re2}), and on "
        f"Python's backtracking engine {bound_problem}. Write it without look-around "
        f"(\\b, or a character class such as [^0-9], instead of (?<![0-9])) and without "
        f"back-references; look-around is allowed only around bounded repetitions of "
        f"single characters, e.g. (?<![0-9])[0-9]{{8,14}}(?![0-9])"
    )


def _parse(pattern: str, flags: int):
    with warnings.catch_warnings():
        # "Possible nested set": [[:alpha:]] means one thing to Python, another to RE2.
        warnings.simplefilter("error")
        try:
            return sre_parse.parse(pattern, flags)
        except (re.error, Warning, RecursionError, OverflowError) as exc:
            raise UnsafePattern(f"invalid regular expression '{pattern}': {exc}") from exc


# --- RE2 -----------------------------------------------------------------------------

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the error is raised; nothing for RE2 to print
# Each pattern's program and DFA cache stay within this (8 MiB by default): some 20
# patterns cost at most about 40 MiB however varied the texts. A full cache is started
# afresh, which costs time, never more than linear.
_OPTIONS.max_mem = 2 << 20


def _re2_compile(source: str):
    try:
        return re2.compile(source, _OPTIONS)
    except re2.error as exc:
        message = exc.args[0] if exc.args else exc
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise _NoRE2(f"RE2 refused it: {message}") from exc


_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))
_AT = {
    AT_BEGINNING: "^",
    AT_BEGINNING_STRING: r"\A",
    AT_END: "$",
    AT_END_STRING: r"\z",
    AT_BOUNDARY: r"\b",
    AT_NON_BOUNDARY: r"\B",
}
# Python's ASCII classes; RE2's \s lacks \v, its [:space:] has it.
_IN_CLASS = {
    CATEGORY_DIGIT: r"0-9",
    CATEGORY_NOT_DIGIT: r"\D",
    CATEGORY_WORD: r"\w",
    CATEGORY_NOT_WORD: r"\W",
    CATEGORY_SPACE: "[:space:]",
    CATEGORY_NOT_SPACE: "[:^space:]",
}


def _letters(flags: int) -> str:
    return "".join(letter for flag, letter in _FLAG_LETTERS if flags & flag)


def _char(code: int) -> str:
    char = chr(code)
    if char.isascii() and not char.isalnum():
        return f"\\x{{{code:x}}}"
    return char


def _re2_source(parsed) -> str:
    """Python's reading of a pattern, in RE2's syntax."""
    flags = _letters(parsed.state.flags)
    return (f"(?{flags})" if flags else "") + _re2_items(list(parsed))


def _re2_items(items) -> str:
    return "".join(_re2_item(op, av) for op, av in items)


def _re2_item(op, av) -> str:
    if op is LITERAL:
        return _char(av)
    if op is NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is ANY:
        return "."
    if op is IN:
        return _re2_class(av)
    if op is AT:
        return _AT[av]
    if op is SUBPATTERN:
        group, add, remove, items = av
        inner = _re2_items(items)
        if add or remove:
            removed = _letters(remove)
            inner = f"(?{_letters(add)}{'-' + removed if removed else ''}:{inner})"
        return f"({inner})" if group is not None else f"(?:{inner})"
    if op is BRANCH:
        return "(?:" + "|".join(_re2_items(items) for items in av[1]) + ")"
    if op in (MAX_REPEAT, MIN_REPEAT):
        low, high, items = av
        if max(low, high if high is not MAXREPEAT else 0) > _RE2_MAX_REPEAT:
            raise _NoRE2(f"RE2 repeats at most {_RE2_MAX_REPEAT} times")
        count = f"{{{low},}}" if high is MAXREPEAT else f"{{{low},{high}}}"
        return f"(?:{_re2_items(items)}){count}" + ("?" if op is MIN_REPEAT else "")
    if op in (ASSERT, ASSERT_NOT):
        return _no_re2("look-around such as (?<!…) or (?=…)")
    return _no_re2(f"{str(op).lower()} (back-references, atomic groups and conditionals)")


def _no_re2(what: str) -> str:
    raise _NoRE2(f"RE2 has no {what}")


def _re2_class(items) -> str:
    negate = items and items[0][0] is NEGATE
    parts = []
    for op, av in items[1:] if negate else items:
        if op is LITERAL:
            parts.append(_char(av))
        elif op is RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is CATEGORY and av in _IN_CLASS:
            parts.append(_IN_CLASS[av])
        else:
            _no_re2(f"class item {op} {av}")
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


# --- bounded backtracking on Python's engine ---------------------------------------------


def _steps(items, flags: int) -> int:
    """A bound on the steps Python's engine takes from one start position, over all the
    ways it can backtrack through the pattern; raises _Unbounded with the reason."""
    _, work = _sequence(items)
    if work > MAX_STEPS:
        raise _Unbounded(
            f"it can take up to {work if work < _CAP else 'more than 10^12'} backtracking "
            f"steps from one position (at most {MAX_STEPS}): narrow its repetitions"
        )
    return work


def _sequence(items) -> tuple[int, int]:
    """(ways to end, work) of a sequence: each way the first element ends starts the rest
    anew."""
    ways, work = 1, 0
    for op, av in items:
        item_ways, item_work = _element(op, av)
        work = min(_CAP, work + ways * item_work)
        ways = min(_CAP, ways * item_ways)
    return ways, work


def _single_character(items) -> bool:
    return len(items) == 1 and items[0][0] in (LITERAL, NOT_LITERAL, ANY, IN)


def _element(op, av) -> tuple[int, int]:
    if op in (LITERAL, NOT_LITERAL, ANY, IN, AT):
        return 1, 1
    if op is SUBPATTERN:
        return _sequence(list(av[3]))
    if op is BRANCH:
        found = [_sequence(list(items)) for items in av[1]]
        return min(_CAP, sum(w for w, _ in found)), min(_CAP, 1 + sum(k for _, k in found))
    if op in (ASSERT, ASSERT_NOT):  # tried in full, then never backtracked into
        return 1, min(_CAP, 1 + _sequence(list(av[1]))[1])
    if op in (MAX_REPEAT, MIN_REPEAT):
        low, high, items = av
        if high is MAXREPEAT:
            raise _Unbounded("it repeats without an upper bound (*, + or {n,})")
        items = list(items)
        if _single_character(items):  # taken as a run, then given back one at a time
            return high - low + 1, min(_CAP, high + (high - low + 1))
        item_ways, item_work = _sequence(items)
        ways, work = 1, 0
        for _ in range(low):
            work, ways = min(_CAP, work + ways * item_work), min(_CAP, ways * item_ways)
        opt_ways, opt_work = 1, 0  # X{0,k} = (X X{0,k-1})?
        for _ in range(high - low):
            opt_work = min(_CAP, 1 + item_work + item_ways * opt_work)
            opt_ways = min(_CAP, 1 + item_ways * opt_ways)
        return min(_CAP, ways * opt_ways), min(_CAP, work + ways * opt_work)
    raise _Unbounded(f"{str(op).lower()} (back-references and the like) is not allowed")

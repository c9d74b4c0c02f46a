"""The request's text, analysed once: normalised, its Chinese share, its language and
its classification, each computed at most once however many checks read it."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .text import Language, detect_language, normalize, zh_share

if TYPE_CHECKING:
    from ..rules.models import LanguageRule
    from ..rules.patterns import RulePattern
    from .classifier import Classifier, Suggestion


class TextAnalysis:
    """One request's text. Each property is computed on first use and kept for the
    request: a precheck reads the language, the share and the suggestions in several
    checks, and they must not be worked out again."""

    def __init__(self, text: str, language_rule: LanguageRule, ignore_tokens, classifier):
        self.text = text
        self._rule = language_rule
        self._ignore_tokens: RulePattern = ignore_tokens
        self._classifier: Classifier = classifier

    @cached_property
    def normalized(self) -> str:
        return normalize(self.text)

    @cached_property
    def zh_share(self) -> float:
        return zh_share(self.normalized, self._ignore_tokens, self._rule.cjk_chars_per_english_word)

    @cached_property
    def language(self) -> Language:
        rule = self._rule
        return detect_language(self.zh_share, rule.zh_share_for_zh, rule.zh_share_for_mixed)

    @cached_property
    def scored(self) -> list[Suggestion]:
        """Every category with evidence, best first."""
        return self._classifier.score_all(self.normalized)

    @cached_property
    def suggestions(self) -> list[Suggestion]:
        """What the seller is shown: up to max_suggestions, never empty."""
        return self._classifier.suggest(self.scored)

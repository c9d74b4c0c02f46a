"""The request's text, analysed once: normalised, its Chinese share, its language, the
model's features and the ranking, each computed at most once however many checks read it."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .features import Features, extract
from .text import Language, detect_language, normalize, zh_share

if TYPE_CHECKING:
    from ..rules.models import LanguageRule
    from ..rules.patterns import RulePattern
    from .adaptation import Correction, SellerExamples
    from .classifier import Classifier, Suggestion
    from .composer import TemplateText
    from .model import Known
    from .ranking import Ranked, Ranker


class TextAnalysis:
    """One request's text. Each property is computed on first use and kept for the
    request: a precheck reads the language, the share and the suggestions in several
    checks, and they must not be worked out again."""

    def __init__(self, text: str, engine, corrections: list[Correction] = ()):
        self.text = text
        self._rule: LanguageRule = engine.rules.checks.language
        self._ignore_tokens: RulePattern = engine.ignore_tokens
        self._template_text: TemplateText = engine.template_text
        self._classifier: Classifier = engine.classifier
        self._ranker: Ranker = engine.ranker
        self._examples: SellerExamples = engine.seller_examples
        self._corrections = corrections

    @cached_property
    def normalized(self) -> str:
        return normalize(self.text)

    @cached_property
    def zh_share(self) -> float:
        return zh_share(self.normalized, self._ignore_tokens, self._rule.cjk_chars_per_english_word)

    @cached_property
    def written_zh_share(self) -> float:
        """The Chinese share of what the seller wrote: the text without our templates' fixed
        wording, so that a composed English template does not hide a Chinese paragraph."""
        written = self._template_text.seller_part(self.normalized)
        return zh_share(written, self._ignore_tokens, self._rule.cjk_chars_per_english_word)

    @cached_property
    def language(self) -> Language:
        rule = self._rule
        return detect_language(self.zh_share, rule.zh_share_for_zh, rule.zh_share_for_mixed)

    @cached_property
    def features(self) -> Features:
        return extract(self.normalized)

    @cached_property
    def known(self) -> Known:
        """The features the learned model has weights for."""
        return self._ranker.read(self.features)

    @cached_property
    def rule_evidence(self) -> list[Suggestion]:
        """Every category the phrase rules found evidence for, best first."""
        return self._classifier.score_all(self.normalized)

    @cached_property
    def ranked(self) -> list[Ranked]:
        """Every category, most probable first (rules, model and the seller's corrections)."""
        seller = self._examples.bonus(self.features, self._corrections)
        return self._ranker.rank(self.known, self.rule_evidence, seller)

    @cached_property
    def suggestions(self) -> list[Ranked]:
        """What the seller is shown: the top one and the real alternatives, never empty."""
        return self._ranker.suggest(
            self.ranked, self.normalized, self.features, self.known, self.rule_evidence
        )

"""The loaded rules plus everything compiled from them, shared by all requests."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from ..rules import Rules, RulesError, load_rules
from ..rules.loader import MODEL_FILE
from ..rules.models import Category, Marketplace
from ..rules.patterns import RulePattern, compile_pattern
from .adaptation import Correction, SellerExamples
from .analysis import TextAnalysis
from .checks import check_codes_are_implemented
from .classifier import Classifier
from .composer import TemplateText
from .errors import UnknownCategory, UnknownMarketplace
from .features import FEATURES_VERSION
from .ranking import Ranker


@dataclass(frozen=True, eq=False)
class Engine:
    rules: Rules

    @cached_property
    def classifier(self) -> Classifier:
        return Classifier(self.rules.categories)

    @cached_property
    def ranker(self) -> Ranker:
        return Ranker(self.rules.categories, self.rules.model)

    @cached_property
    def seller_examples(self) -> SellerExamples:
        return SellerExamples()

    @cached_property
    def ignore_tokens(self) -> RulePattern:
        return compile_pattern(self.rules.checks.language.ignore_tokens)

    @cached_property
    def template_text(self) -> TemplateText:
        return TemplateText(self.rules.templates)

    def analyse(self, text: str, corrections: list[Correction] = ()) -> TextAnalysis:
        """The request's text, to be read by everything that handles the request; the
        seller's corrections, when given, adapt the ranking to them."""
        return TextAnalysis(text, self, corrections)

    def advise_english(self, share: float) -> bool:
        """Mostly Chinese prose: the non_english check's threshold, else the zh language's."""
        check = self.rules.check_by_code.get("non_english")
        if check is None:
            return share >= self.rules.checks.language.zh_share_for_zh
        return share >= check.params["min_zh_share"]

    def marketplace(self, code: str) -> Marketplace:
        found = self.rules.marketplace_by_code.get(code.strip().upper())
        if found is None:
            valid = ", ".join(self.rules.marketplace_by_code)
            raise UnknownMarketplace(f"marketplace: unknown {code!r}; valid: {valid}")
        return found

    def category(self, category_id: str) -> Category:
        found = self.rules.category_by_id.get(category_id)
        if found is None:
            valid = ", ".join(self.rules.category_by_id)
            raise UnknownCategory(f"category: unknown {category_id!r}; valid: {valid}")
        return found


def build_engine(rules_dir) -> Engine:
    """Load and cross-check the rules; raises RulesError naming the file, field and problem."""
    with _gc_paused():
        return _build_engine(rules_dir)


@contextmanager
def _gc_paused():
    """The rules and the model are some 100,000 objects that live as long as the engine:
    collecting while they are made finds no garbage and walks them again and again (a third
    of the start-up's loading time). Collection resumes, as it was, once they are built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build_engine(rules_dir) -> Engine:
    rules = load_rules(rules_dir)
    check_codes_are_implemented(rules, rules_dir)
    if rules.model.features_version != FEATURES_VERSION:
        raise RulesError(
            f"{rules_dir}/{MODEL_FILE}: fitted on features version "
            f"{rules.model.features_version}, this backend extracts version {FEATURES_VERSION}; "
            "run `make train`"
        )
    engine = Engine(rules)
    _ = engine.classifier, engine.ranker  # compile every phrase now, not on the first request
    return engine

"""The loaded rules plus everything compiled from them, shared by all requests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..rules import Rules, load_rules
from ..rules.models import Category, Marketplace
from ..rules.patterns import RulePattern, compile_pattern
from .analysis import TextAnalysis
from .checks import check_codes_are_implemented
from .classifier import Classifier
from .errors import UnknownCategory, UnknownMarketplace


@dataclass(frozen=True, eq=False)
class Engine:
    rules: Rules

    @cached_property
    def classifier(self) -> Classifier:
        return Classifier(self.rules.categories)

    @cached_property
    def _ignore_tokens(self) -> RulePattern:
        return compile_pattern(self.rules.checks.language.ignore_tokens)

    def analyse(self, text: str) -> TextAnalysis:
        """The request's text, to be read by everything that handles the request."""
        return TextAnalysis(text, self.rules.checks.language, self._ignore_tokens, self.classifier)

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
    rules = load_rules(rules_dir)
    check_codes_are_implemented(rules, rules_dir)
    engine = Engine(rules)
    _ = engine.classifier  # compile every phrase now, not on the first request
    return engine

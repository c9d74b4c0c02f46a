"""The loaded rules plus everything compiled from them, shared by all requests."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import cached_property

from flask import Flask, current_app

from .classify import Classifier
from .errors import APIError
from .precheck import CHECKS
from .rules import Rules, RulesError, load_rules
from .rules.models import Marketplace
from .rules.watch import watch_rules
from .text import Language, detect_language, zh_share

log = logging.getLogger(__name__)


# eq=False: an engine is itself, hashed by identity, so per-engine results can be cached.
@dataclass(frozen=True, eq=False)
class Engine:
    rules: Rules

    @cached_property
    def classifier(self) -> Classifier:
        return Classifier(self.rules.categories)

    @cached_property
    def _ignore_tokens(self) -> re.Pattern[str]:
        return re.compile(self.rules.checks.language.ignore_tokens)

    def zh_share(self, text: str) -> float:
        return zh_share(
            text, self._ignore_tokens, self.rules.checks.language.cjk_chars_per_english_word
        )

    def language(self, text: str) -> Language:
        rule = self.rules.checks.language
        return detect_language(self.zh_share(text), rule.zh_share_for_zh, rule.zh_share_for_mixed)

    def advise_english(self, share: float) -> bool:
        """Mostly Chinese prose: the non_english check's threshold, else the zh language."""
        check = self.rules.check_by_code.get("non_english")
        threshold = check.params["min_zh_share"] if check else self.rules.checks.language.zh_share_for_zh
        return share >= threshold

    def marketplace(self, code: str) -> Marketplace:
        found = self.rules.marketplace_by_code.get(code.strip().upper())
        if found is None:
            valid = ", ".join(self.rules.marketplace_by_code)
            raise APIError(
                422, "unknown_marketplace", f"marketplace: unknown {code!r}; valid: {valid}"
            )
        return found

    def category(self, category_id: str):
        found = self.rules.category_by_id.get(category_id)
        if found is None:
            valid = ", ".join(self.rules.category_by_id)
            raise APIError(
                422, "unknown_category", f"category: unknown {category_id!r}; valid: {valid}"
            )
        return found


def build_engine(rules_dir) -> Engine:
    """Load and cross-check the rules; raises RulesError naming the file, field and problem."""
    rules = load_rules(rules_dir)
    unimplemented = sorted({c.code for c in rules.checks.checks} - set(CHECKS))
    if unimplemented:
        raise RulesError(
            f"{rules_dir}/checks.yaml: checks: no code implements {unimplemented}; "
            f"implemented: {sorted(CHECKS)}"
        )
    engine = Engine(rules)
    _ = engine.classifier  # compile every phrase now, not on the first request
    return engine


class EngineHolder:
    """The engine in service. A reload that fails keeps the last good engine serving
    and remembers why, for the log and /api/v1/health."""

    def __init__(self, rules_dir):
        self.rules_dir = rules_dir
        self.engine = build_engine(rules_dir)  # at start-up a bad rules file is fatal
        self.error: str | None = None
        self._lock = threading.Lock()

    def reload(self) -> bool:
        with self._lock:
            try:
                engine = build_engine(self.rules_dir)
            except RulesError as exc:
                self.error = str(exc)
                log.error(
                    "rules not reloaded, still serving %s: %s", self.engine.rules.version, exc
                )
                return False
            self.engine, self.error = engine, None
            log.info("rules reloaded: version %s", engine.rules.version)
            return True


def init_app(app: Flask) -> None:
    """Load the rules at start-up (a bad rules file stops it); with WATCH_RULES, reload
    them whenever a file in the rules folder changes."""
    holder = EngineHolder(app.config["RULES_DIR"])
    app.extensions["ssc"] = holder
    if app.config.get("WATCH_RULES"):
        watch_rules(holder)


def engine_holder() -> EngineHolder:
    return current_app.extensions["ssc"]


def current_engine() -> Engine:
    return engine_holder().engine

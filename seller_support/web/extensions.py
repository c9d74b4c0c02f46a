"""What the app holds for every request: the engine in service and the case log."""

from __future__ import annotations

from functools import partial

from flask import Flask, current_app

from ..domain.cases import followup_due
from ..domain.engine import Engine
from ..domain.reloading import EngineHolder
from ..rules.watch import watch_rules
from ..store import CaseStore, open_store

ENGINE_KEY = "ssc_engine"
STORE_KEY = "ssc_cases"


def init_app(app: Flask) -> None:
    """Load the rules (a bad rules file stops the start) and open the case log at
    `CASES_DB`. With WATCH_RULES, reload the rules whenever a file in their folder changes."""
    holder = EngineHolder(app.config["RULES_DIR"])
    app.extensions[ENGINE_KEY] = holder
    if app.config.get("WATCH_RULES"):
        watch_rules(holder)
    # The rules work out the follow-up time of cases stored before it was kept.
    followups = partial(followup_due, holder.engine.rules)
    app.extensions[STORE_KEY] = open_store(app.config["CASES_DB"], followups)


def engine_holder() -> EngineHolder:
    return current_app.extensions[ENGINE_KEY]


def current_engine() -> Engine:
    return engine_holder().engine


def current_store() -> CaseStore:
    return current_app.extensions[STORE_KEY]

"""The engine in service, replaced whole when the rules change on disk."""

from __future__ import annotations

import logging
import threading

from ..rules import RulesError
from .engine import Engine, build_engine

log = logging.getLogger(__name__)


class EngineHolder:
    """A reload that fails keeps the last good engine serving and remembers why, for the
    log and /api/v1/health."""

    def __init__(self, rules_dir):
        self.rules_dir = rules_dir
        self.engine: Engine = build_engine(rules_dir)  # at start-up a bad rules file is fatal
        self.error: str | None = None
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.engine.rules.version

    def reload(self) -> bool:
        with self._lock:
            try:
                engine = build_engine(self.rules_dir)
            except Exception as exc:  # whatever goes wrong, the watcher lives and says why
                self.error = str(exc) if isinstance(exc, RulesError) else _described(exc)
                log.error(
                    "rules not reloaded, still serving %s: %s",
                    self.engine.rules.version,
                    self.error,
                    exc_info=not isinstance(exc, RulesError),
                )
                return False
            self.engine, self.error = engine, None
            log.info("rules reloaded: version %s", engine.rules.version)
            return True


def _described(exc: Exception) -> str:
    """An unexpected failure (a bug, an unreadable file), named for /api/v1/health."""
    return f"reload failed: {type(exc).__name__}: {exc}"

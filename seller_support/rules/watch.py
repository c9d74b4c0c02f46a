"""Reload the rules when a file in shared-rules/ changes (watchdog: inotify, FSEvents
or ReadDirectoryChangesW, whichever the seller's OS has)."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

log = logging.getLogger(__name__)

# Editors save in bursts (temp file, rename, chmod); reload once the burst is over.
SETTLE_SECONDS = 0.3


class Reloadable(Protocol):
    rules_dir: str

    def reload(self) -> bool: ...


class _RulesChanged(FileSystemEventHandler):
    def __init__(self, target: Reloadable):
        self._target = target
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            self._schedule(event)
        except Exception:  # an exception here would end watchdog's thread: log it, go on
            log.exception("rules watcher: event %r not handled", event)

    def _reload(self) -> None:
        try:
            self._target.reload()
        except Exception:  # reload() reports its own failures; this is a last resort
            log.exception("rules watcher: reload failed")

    def _schedule(self, event: FileSystemEvent) -> None:
        paths = (str(event.src_path), str(getattr(event, "dest_path", "") or ""))
        if event.event_type in ("opened", "closed_no_write") or not any(
            p.endswith((".yaml", ".yml", ".json")) for p in paths
        ):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(SETTLE_SECONDS, self._reload)
            self._timer.daemon = True
            self._timer.start()


def watch_rules(target: Reloadable) -> Observer:
    observer = Observer()
    observer.daemon = True
    # Recursive: the model lives in model/.
    observer.schedule(_RulesChanged(target), str(target.rules_dir), recursive=True)
    observer.start()
    return observer

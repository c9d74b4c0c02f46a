"""Reload the rules when a file in shared-rules/ changes (watchdog: inotify, FSEvents
or ReadDirectoryChangesW, whichever the seller's OS has)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Protocol

from .loader import rules_version

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent

log = logging.getLogger(__name__)

# Editors save in bursts (temp file, rename, chmod); reload once the burst is over.
SETTLE_SECONDS = 0.3


class Reloadable(Protocol):
    rules_dir: str

    @property
    def version(self) -> str: ...

    def reload(self) -> bool: ...


class _RulesChanged:
    """watchdog's event handler: the observer calls `dispatch` with every event. Not a
    FileSystemEventHandler subclass, so that this module imports watchdog only to watch."""

    def __init__(self, target: Reloadable):
        self._target = target
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            self._schedule(event)
        except Exception:  # an exception here would end watchdog's thread: log it, go on
            log.exception("rules watcher: event %r not handled", event)

    def _schedule(self, event: FileSystemEvent) -> None:
        paths = (str(event.src_path), str(getattr(event, "dest_path", "") or ""))
        if event.event_type in ("opened", "closed_no_write") or not any(
            p.endswith((".yaml", ".yml", ".json")) for p in paths
        ):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(SETTLE_SECONDS, _reload, (self._target,))
            self._timer.daemon = True
            self._timer.start()


def watch_rules(target: Reloadable) -> threading.Thread:
    """Start watching in a thread of its own: importing and starting watchdog (some 30 ms)
    does not hold up the server's start. An edit saved before the watch began is caught by
    comparing the files' version with the one loaded, once watching."""
    thread = threading.Thread(target=_watch, args=(target,), name="rules-watcher", daemon=True)
    thread.start()
    return thread


def _watch(target: Reloadable) -> None:
    try:
        from watchdog.observers import Observer

        observer = Observer()
        observer.daemon = True
        # Recursive: the model lives in model/.
        observer.schedule(_RulesChanged(target), str(target.rules_dir), recursive=True)
        observer.start()
    except Exception:  # the rules in service keep serving, unwatched: say so
        log.exception("rules watcher: not watching %s", target.rules_dir)
        return
    try:
        changed = rules_version(target.rules_dir) != target.version
    except OSError:  # a file gone mid-save: let reload() say what is wrong
        changed = True
    if changed:
        _reload(target)


def _reload(target: Reloadable) -> None:
    try:
        target.reload()
    except Exception:  # reload() reports its own failures; this is a last resort
        log.exception("rules watcher: reload failed")

"""What lets `make test` run on two pytest-xdist workers (`-n 2 --dist loadfile` in
pyproject.toml) without them getting in each other's way: their own loopback ports, a turn
of their own for the tests that measure time, and the long files first.

Ports: each worker draws from its own slice of ports below the ones the system hands out
for port 0 and outgoing connections (32768 up on Linux, 49152 up on Windows and macOS), so
that a port one worker holds free (a backend it starts later, a port "nothing listens on")
is never taken by the other, nor by a connection Chromium or PostgreSQL opens.

Turns: a test marked `alone` (it asserts on wall-clock times, measures memory, or loads the
server and reports what it sustained) runs while the other worker runs nothing. Every test
holds a lock file shared, an `alone` one holds it exclusive; a second lock file, the gate,
stops new tests from starting once an `alone` test waits, so that it is not starved. A run
of consecutive `alone` tests keeps the lock. Without workers (`-n 0`) nothing is locked."""

from __future__ import annotations

import itertools
import os
import socket
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; the workers' turns are not kept there
    fcntl = None

PORTS_FROM = 20_000
PORTS_PER_WORKER = 1_000
WORKER_SLICES = 12  # 20000-31999: below Linux's 32768-60999
_draws = itertools.count(os.getpid() % PORTS_PER_WORKER)  # a child of a worker starts elsewhere


def worker_number() -> int:
    """0, 1, ... for xdist's gw0, gw1, ... (and for the programs a worker starts, which
    inherit PYTEST_XDIST_WORKER); 0 without workers."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def free_port() -> int:
    """A loopback port nothing listens on now, from this worker's own slice; the next call
    gives another one."""
    first = PORTS_FROM + (worker_number() % WORKER_SLICES) * PORTS_PER_WORKER
    for _ in range(PORTS_PER_WORKER):
        port = first + next(_draws) % PORTS_PER_WORKER
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {first}-{first + PORTS_PER_WORKER - 1}")


def restore_environment() -> None:
    """xdist puts the checkout first on a worker's PYTHONPATH (for the worker's own
    imports, done by then); the programs a test starts get the environment of a run
    without workers."""
    ours = os.getcwd() + os.pathsep
    path = os.environ.get("PYTHONPATH", "")
    if path.startswith(ours):
        if path == ours:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = path.removeprefix(ours)


class Turns:
    """The two lock files of a run, in the folder its workers share."""

    def __init__(self, folder: Path):
        self._gate = open(folder / "turns-gate.lock", "a")  # held for the run
        self._room = open(folder / "turns-room.lock", "a")
        self.holding: str | None = None  # "alone" or "shared"

    def enter(self, alone: bool) -> None:
        if self.holding == "alone" and alone:
            return  # a run of `alone` tests keeps its turn
        self.leave()
        if alone:
            fcntl.flock(self._gate, fcntl.LOCK_EX)
            fcntl.flock(self._room, fcntl.LOCK_EX)
        else:
            fcntl.flock(self._gate, fcntl.LOCK_SH)  # waits while an `alone` test waits
            fcntl.flock(self._room, fcntl.LOCK_SH)
            fcntl.flock(self._gate, fcntl.LOCK_UN)
        self.holding = "alone" if alone else "shared"

    def leave(self) -> None:
        if self.holding:
            fcntl.flock(self._room, fcntl.LOCK_UN)
            fcntl.flock(self._gate, fcntl.LOCK_UN)
            self.holding = None


def turns_for(config) -> Turns | None:
    """The turns of this worker, or None outside a run with several workers. xdist gives
    each worker its own basetemp inside the run's, which all of them share."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if fcntl is None or workers < 2 or not hasattr(config, "workerinput"):
        return None
    return Turns(Path(config.option.basetemp).parent)


def ordered_by_length(items: list, longest_first: list[str]) -> None:
    """Sort `items` in place so that the files listed come first, in the list's order
    (entries are paths from the checkout, a folder takes its files); the others keep
    their order after them. xdist hands out whole files in that order, so the long ones
    start first and do not finish last on one worker."""

    def rank(item) -> int:
        path = item.nodeid.split("::", 1)[0]
        for i, entry in enumerate(longest_first):
            if path == entry or path.startswith(entry.rstrip("/") + "/"):
                return i
        return len(longest_first)

    items.sort(key=rank)  # stable: a file's tests keep their order

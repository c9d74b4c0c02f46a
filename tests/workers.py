"""What lets pytest-xdist workers run the tests side by side without getting in each other's
way: their own loopback ports.

Each worker draws from its own slice of ports below the ones the system hands out for port
0 and outgoing connections (32768 up on Linux, 49152 up on Windows and macOS), so that a
port one worker holds free (a backend it starts later, a port "nothing listens on") is
never taken by the other, nor by a connection Chromium or PostgreSQL opens."""

from __future__ import annotations

import itertools
import os
import socket

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

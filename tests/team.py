"""Helpers for tests of team mode for real: `ssc serve --team` processes (waitress) on a
PostgreSQL database, people and tokens made with `ssc team`, and requests with the Host a
reverse proxy passes on (tests/web/test_team.py, tests/web/test_team_load.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from tests.conftest import free_port

HOST = "cases.example.test"  # the name clients use, as the proxy passes it on


def team_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of an `ssc` command or server on `database`."""
    return {
        **os.environ,
        "SSC_DATABASE_URL": database,
        "SSC_ALLOWED_HOSTS": f"{HOST}, backup.example.test",
        **extra,
    }


def call(base: str, method: str, path: str, *, token=None, body=None, host=HOST, origin=None):
    """(status, JSON answer) of one request to a team server."""
    request = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Host": host, "Content-Type": "application/json"},
    )
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    if origin is not None:
        request.add_header("Origin", origin)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextmanager
def team_server(database: str) -> Iterator[str]:
    """`ssc serve --team` on a free loopback port; its URL once health answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "seller_support.cli", "serve", "--team"],
        env=team_env(database, SSC_HOST="127.0.0.1", SSC_PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"team server exited: {process.stderr.read()}")
            try:
                if call(base, "GET", "/api/v1/health")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def ssc(database: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "seller_support.cli", *args],
        env=team_env(database),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def add_person(database: str, name: str) -> str:
    """A new person's token (the last line `ssc team add-person` prints)."""
    done = ssc(database, "team", "add-person", name)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]

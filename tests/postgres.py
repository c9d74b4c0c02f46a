"""A throwaway PostgreSQL server for the tests: Debian's `postgresql` package (`make test`
installs it), `initdb` into a temporary directory, a free loopback port, stopped and removed
at the end. No Docker, no system cluster. Each xdist worker starts its own, on a port of
its own (tests/workers.py).

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
(the package creates it) in a directory handed to that user. Durability is switched off
(fsync, synchronous_commit, full_page_writes): the data dies with the session anyway, and
this makes each test's `CREATE DATABASE` and commits cheap."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .workers import free_port

MISSING = (
    "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: run `make test`, which "
    "installs Debian's postgresql package, or `apt-get install postgresql`."
)
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    " -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
)


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian keeps them per major version)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    raise RuntimeError(MISSING)


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **kwargs) -> None:
    result = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, timeout=120, **kwargs
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


@contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server; yields the superuser's URL of its `postgres` database."""
    binaries = bin_dir()
    root = Path(tempfile.mkdtemp(prefix="ssc-pg-"))
    data, password = root / "data", secrets.token_urlsafe(16)
    try:
        (root / "password").write_text(password)
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
            shutil.chown(root / "password", "postgres", "postgres")
        _run(
            [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--pwfile",
             str(root / "password"), "--auth=scram-sha-256", "--encoding=UTF8",
             "--locale=C.UTF-8", "--no-sync"],
        )  # fmt: skip
        port = free_port()
        options = f"{SERVER_OPTIONS} -c port={port} -c unix_socket_directories={root}"
        _run(
            [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
             "-o", options, "-w", "-t", "60", "start"],
        )  # fmt: skip
        try:
            yield f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"
        finally:
            _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{name}"

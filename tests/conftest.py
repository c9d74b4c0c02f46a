"""Shared fixtures: the Flask app, its test client, and a real backend on a free port."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from seller_support.store import SqliteCaseStore
from seller_support.web import create_app
from seller_support.web.extensions import STORE_KEY

from . import workers
from .postgres import bin_dir, throwaway_server, with_database
from .workers import free_port

# The files that take longest (seconds in a run without workers, 2 cores), longest first:
# xdist starts them first, so that none of them is what one worker is left running at the
# end (tests/workers.py). Measure again when a file grows past the last one listed.
LONGEST_FIRST = [
    "tests/bench/test_bench_smoke.py",  # 57
    "tests/test_train.py",  # 51
    "tests/web/test_team.py",  # 51
    "tests/e2e/test_backend_failures.py",  # 42
    "tests/test_bundle.py",  # 40 when it builds, 2 when the build is cached
    "tests/e2e/test_mock_pages.py",  # 38
    "tests/test_serve.py",  # 29
    "tests/web/test_team_load.py",  # 27
    "tests/e2e/test_case_log.py",  # 25
    "tests/web/test_case_log_scale.py",  # 24
    "tests/e2e/test_help_center.py",  # 22
    "tests/e2e/test_accessibility.py",  # 19
    "tests/web/test_load.py",  # 18
    "tests/e2e/test_team_mode.py",  # 17
    "tests/e2e/test_case_draft.py",  # 15
    "tests/e2e/test_get_support_helphub.py",  # 14
    "tests/store/test_postgres.py",  # 14
    "tests/rules/test_loader.py",  # 14
    "tests/e2e/test_backend_down.py",  # 14
]


_TURNS = pytest.StashKey["workers.Turns | None"]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "alone: runs while no other xdist worker runs a test (it times, loads or measures "
        "the machine; tests/workers.py)",
    )
    if hasattr(config, "workerinput"):
        workers.restore_environment()
    config.stash[_TURNS] = workers.turns_for(config)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    _distinct_schemathesis_ids(items)
    if hasattr(config, "workerinput"):
        workers.ordered_by_length(items, LONGEST_FIRST)


def _distinct_schemathesis_ids(items) -> None:
    """Schemathesis names each operation's test `test_x[GET /path]`, but with pytest 9.2 its
    node id is `test_x` for every operation; xdist tells tests apart by node id, so
    they get the name they show."""
    unnamed = [i for i in items if i.name.endswith("]") and "[" not in i.nodeid.split("::")[-1]]
    if unnamed:
        from _pytest.nodeid import NodeId  # pytest 9.2's; older ones name them right

        for item in unnamed:
            item._id = NodeId.parse(item.nodeid + item.name[item.name.index("[") :])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With several workers, a test takes its turn (tests/workers.py) for its set-up, call
    and teardown: with the other worker, or alone."""
    turns = item.config.stash[_TURNS]
    if turns is None:
        return (yield)
    turns.enter(alone=item.get_closest_marker("alone") is not None)
    try:
        return (yield)
    finally:
        if nextitem is None or nextitem.get_closest_marker("alone") is None:
            turns.leave()


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory) -> Iterator[None]:
    """The parsed-rules cache of this run, for it and the backends it starts: never the
    user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SSC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("cases") / "cases.sqlite3"  # never the user's case log
    return create_app({"TESTING": True, "CASES_DB": str(db)})


@pytest.fixture()
def cases(app, tmp_path, monkeypatch) -> SqliteCaseStore:
    """An empty case log of the test's own, swapped into the app for this test."""
    store = SqliteCaseStore(tmp_path / "cases.sqlite3")
    monkeypatch.setitem(app.extensions, STORE_KEY, store)
    return store


@pytest.fixture()
def client(app):
    return app.test_client()


def call_json(
    base_url: str, method: str, path: str, body=None, timeout: float = 30, headers=None
) -> tuple[int, dict]:
    """One request to a real server (with `headers` added): (status, JSON answer), error
    statuses included."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base_url + path, data=data, method=method)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_until_healthy(base_url: str, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"backend exited with {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{base_url}/api/v1/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"backend at {base_url} did not become healthy in {timeout}s")


@contextmanager
def running_backend(
    db: Path, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """The real server `make run` starts (waitress) on `port` (else a free loopback port) with
    the case log at `db` (and `env` added to the environment); yields its URL and process
    (stderr is a pipe: read it if you log a lot)."""
    port = port or free_port()
    env = {
        **os.environ,
        "SSC_HOST": "127.0.0.1",
        "SSC_PORT": str(port),
        "SSC_DB": str(db),
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "seller_support.serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_backend(tmp_path_factory):
    """The real server `make run` starts (waitress), on a free loopback port; yields its URL."""
    with running_backend(tmp_path_factory.mktemp("live-cases") / "cases.sqlite3") as (url, _):
        yield url


# --- PostgreSQL (the team's case log) ------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL server for the session (tests/postgres.py), started by the
    first test that asks; its superuser's URL. Without the server binaries the tests that
    need it fail (not skip): `make test` installs them."""
    try:
        bin_dir()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    with throwaway_server() as url:
        yield url


_databases = itertools.count(1)


@pytest.fixture()
def postgres_db(postgres_url) -> str:
    """The URL of a new, empty database of the test's own on the throwaway server."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(postgres_url, name)

"""The production server `ssc serve` (and `make run`) starts, and what stops its start:
each said in Chinese and English with the fix, never as a traceback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from seller_support.preflight import LOCK_WAIT_SECONDS
from seller_support.rules import DEFAULT_RULES_DIR
from seller_support.server import Server, listening_socket
from seller_support.store import SqliteCaseStore
from seller_support.web import create_app

from .conftest import free_port, running_backend

PATH = os.environ.get("PATH", "")  # where `ss` and `lsof` are


def test_live_backend_serves_with_waitress(live_backend):
    with urllib.request.urlopen(f"{live_backend}/api/v1/health", timeout=5) as response:
        assert response.headers["Server"] == "ssc"
        assert json.load(response)["status"] == "ok"


def _serve(env: dict) -> subprocess.CompletedProcess:
    """`ssc serve` (the package's entry point) with only `env`, for start-ups that must
    stop at once. Its output must be free of tracebacks and say the problem in Chinese and
    in English (a line each at least)."""
    env = {"SSC_PORT": str(free_port()), "PATH": "", **env}
    command = [sys.executable, "-m", "seller_support", "serve"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _in_both_languages(text: str) -> bool:
    lines = text.splitlines()
    chinese = any("\u4e00" <= c <= "\u9fff" for c in text)
    return chinese and any(line.isascii() and len(line) > 20 for line in lines)


def test_refuses_non_loopback_without_flag():
    result = _serve({"SSC_HOST": "0.0.0.0"})
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr and _in_both_languages(result.stderr)


def test_bad_rules_stop_start_up_with_a_clear_message(tmp_path):
    result = _serve({"SSC_RULES_DIR": str(tmp_path), "SSC_DB": str(tmp_path / "c.db")})
    assert result.returncode == 1
    assert "rules are invalid" in result.stderr
    assert "marketplaces.yaml: file is missing" in result.stderr
    assert "ssc validate-rules" in result.stderr and "SSC_RULES_DIR" in result.stderr
    assert _in_both_languages(result.stderr)


def test_the_started_server_collects_garbage_again(tmp_path):
    """`ssc serve` pauses garbage collection while it imports and builds what lives as long
    as the process (cli._serve); the server it then runs must have it back, or a long-lived
    backend would never free a reference cycle. The real entry point in a child process,
    with only the serving loop replaced by a report."""
    script = (
        "import gc, sys\n"
        "from seller_support import cli, server\n"
        "server.Server.run = lambda self: print('collecting:', gc.isenabled())\n"
        "sys.exit(cli.main(['serve']))\n"
    )
    env = {**os.environ, "SSC_PORT": str(free_port()), "SSC_DB": str(tmp_path / "c.db")}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "collecting: True" in result.stdout


@pytest.mark.parametrize("content", [None, b"not a database, a spreadsheet " * 100])
def test_an_unusable_case_log_stops_start_up_with_a_clear_message(tmp_path, content):
    """A folder where the file should be, or a file that is not a SQLite database (a
    read-only or damaged log: tests/store/test_file_safety.py)."""
    path = tmp_path / "cases.sqlite3"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    result = _serve({"SSC_DB": str(path)})
    assert result.returncode == 1
    assert str(path) in result.stderr and "SSC_DB" in result.stderr
    assert _in_both_languages(result.stderr)
    if content is not None:
        assert path.read_bytes() == content  # refused, not touched


def test_a_locked_case_log_stops_start_up_with_a_clear_message(tmp_path):
    """Another program holds the write lock (an open write transaction): the start waits
    LOCK_WAIT_SECONDS for it, then says so, instead of waiting at every write."""
    path = tmp_path / "cases.sqlite3"
    SqliteCaseStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = _serve({"SSC_DB": str(path)})
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert "locked" in result.stderr and "锁定" in result.stderr and str(path) in result.stderr
    assert LOCK_WAIT_SECONDS <= took < LOCK_WAIT_SECONDS + 15


@pytest.mark.parametrize("port", ["abc", "0", "70000", "8765.0"])
def test_an_invalid_port_stops_start_up_with_a_clear_message(port):
    result = _serve({"SSC_PORT": port})
    assert result.returncode == 1
    assert f"SSC_PORT='{port}'" in result.stderr and "1 to 65535" in result.stderr
    assert _in_both_languages(result.stderr)


def test_a_port_in_use_is_said_with_the_program_that_holds_it(tmp_path):
    """Another program (this test's own process) listens on the port. Where `ss` or `lsof`
    can tell, the message names it; elsewhere it says the program is unknown."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = _serve({"SSC_PORT": str(port), "SSC_DB": str(tmp_path / "c.db"), "PATH": PATH})
    assert result.returncode == 1
    assert f"Port {port} is in use" in result.stderr and "已被占用" in result.stderr
    assert f"SSC_PORT={port + 1}" in result.stderr  # the fix: another port, and where to set it
    if shutil.which("ss") or shutil.which("lsof"):
        assert f"(pid {os.getpid()})" in result.stderr
    else:
        assert "unknown" in result.stderr
    assert not (tmp_path / "c.db").exists()  # stopped before opening anything


def test_a_second_start_finds_ours_running_and_leaves_it(tmp_path):
    with running_backend(tmp_path / "cases.sqlite3") as (url, process):
        port = url.rsplit(":", 1)[1]
        result = _serve({"SSC_PORT": port, "SSC_DB": str(tmp_path / "cases.sqlite3")})
        assert result.returncode == 0
        assert f"already running at {url}" in result.stdout and "已在" in result.stdout
        assert process.poll() is None


def test_idle_and_slow_clients_do_not_starve_others(live_backend):
    """Many silent connections and a client trickling its headers (slowloris) hold no
    worker thread: waitress buffers I/O, so a normal request is still served."""
    host, port = live_backend.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(40)]
    slow = socket.create_connection((host, int(port)), timeout=5)
    slow.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    try:
        started = time.monotonic()
        with urllib.request.urlopen(f"{live_backend}/api/v1/health", timeout=5) as response:
            assert response.status == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in [*idle, slow]:
            sock.close()


def test_allow_remote_binds_with_a_warning(tmp_path):
    env = {
        "SSC_HOST": "0.0.0.0",
        "SSC_PORT": str(free_port()),
        "SSC_DB": str(tmp_path / "c.db"),
        "PATH": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "seller_support", "serve", "--allow-remote"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = process.stderr.readline()
        assert first_line.startswith("WARNING: listening on 0.0.0.0")
    finally:
        process.kill()
        process.wait(timeout=10)


def _health_within(url: str, seconds: float) -> None:
    started = time.monotonic()
    with urllib.request.urlopen(f"{url}/api/v1/health", timeout=seconds) as response:
        assert response.status == 200
    assert time.monotonic() - started < seconds


def test_health_answers_under_200_trickling_and_120_silent_connections(tmp_path):
    """A local denial of service: 200 connections that send a header line every 5 s
    (slowloris) and 120 that send nothing. Bounded: 12 s, then every socket is closed."""
    with running_backend(tmp_path / "cases.sqlite3") as (url, _):
        address = ("127.0.0.1", int(url.rsplit(":", 1)[1]))
        slow, silent = [], []
        try:
            for _ in range(200):
                sock = socket.create_connection(address, timeout=5)
                sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                slow.append(sock)
            silent = [socket.create_connection(address, timeout=5) for _ in range(120)]
            _health_within(url, 2)
            for line in range(2):
                time.sleep(5)
                for sock in slow:
                    try:
                        sock.sendall(b"X-Slow-%d: y\r\n" % line)
                    except OSError:
                        pass  # the server may close the stalest to make room
                _health_within(url, 2)
        finally:
            for sock in [*slow, *silent]:
                sock.close()


def test_at_the_connection_limit_the_stalest_idle_connection_makes_room(tmp_path):
    """However many idle or trickling connections there are, a new one gets in: at the
    limit the server closes the connection idle longest that has no request in service."""
    app = create_app({"TESTING": True, "CASES_DB": str(tmp_path / "cases.sqlite3")})
    server = Server(app, [listening_socket("127.0.0.1", 0)], connection_limit=12)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    host, port = server.addresses[0]
    idle = []
    try:
        idle = [socket.create_connection((host, port), timeout=5) for _ in range(30)]
        for _ in range(3):
            _health_within(f"http://{host}:{port}", 2)
    finally:
        for sock in idle:
            sock.close()
        server.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_default_loopback_also_listens_on_ipv6(live_backend):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    port = int(live_backend.rsplit(":", 1)[1])
    with urllib.request.urlopen(f"http://[::1]:{port}/api/v1/health", timeout=5) as response:
        assert json.load(response)["status"] in ("ok", "degraded")


def test_the_served_health_says_degraded_while_a_rules_file_is_broken(tmp_path):
    """The watcher runs in the real server: a rules file saved as GBK, not UTF-8, is
    reported, and the server keeps serving the last good rules."""
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    env = {"SSC_RULES_DIR": str(rules)}
    with running_backend(tmp_path / "cases.sqlite3", env=env) as (url, _):
        (rules / "facts.yaml").write_bytes("facts: [卖家]\n".encode("gbk"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=5) as response:
                health = json.load(response)
            if health["status"] != "ok":
                break
            time.sleep(0.1)
        assert health["status"] == "degraded"
        assert "facts.yaml" in health["rules_error"]
        with urllib.request.urlopen(f"{url}/api/v1/facts", timeout=5) as response:
            assert response.status == 200

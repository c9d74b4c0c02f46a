"""The production server `make run` starts."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request


def test_live_backend_serves_with_waitress(live_backend):
    with urllib.request.urlopen(f"{live_backend}/api/v1/health", timeout=5) as response:
        assert response.headers["Server"] == "ssc"
        assert json.load(response)["status"] == "ok"


def _serve(env: dict) -> subprocess.CompletedProcess:
    """`make run`'s command with only `env`, for start-ups that must stop at once."""
    command = [sys.executable, "-m", "seller_support.serve"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)


def test_refuses_non_loopback_without_flag():
    env = {"SSC_HOST": "0.0.0.0", "SSC_PORT": "0", "PATH": ""}
    result = _serve(env)
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_bad_rules_stop_start_up_with_a_clear_message(tmp_path):
    env = {"SSC_RULES_DIR": str(tmp_path), "SSC_PORT": "0", "PATH": ""}
    result = _serve(env)
    assert result.returncode == 1
    assert (
        "Rules are invalid" in result.stderr
        and "marketplaces.yaml: file is missing" in result.stderr
    )


def test_an_unusable_case_log_stops_start_up_with_a_clear_message(tmp_path):
    env = {"SSC_DB": str(tmp_path), "SSC_PORT": "0", "PATH": ""}  # a directory, not a file
    result = _serve(env)
    assert result.returncode == 1
    assert "case log cannot be opened" in result.stderr and str(tmp_path) in result.stderr


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
    env = {"SSC_HOST": "0.0.0.0", "SSC_PORT": "0", "SSC_DB": str(tmp_path / "c.db"), "PATH": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "seller_support.serve", "--allow-remote"],
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

"""The production server `make run` starts."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request


def test_live_backend_serves_with_waitress(live_backend):
    with urllib.request.urlopen(f"{live_backend}/api/v1/health", timeout=5) as response:
        assert response.headers["Server"] == "ssc"
        assert json.load(response)["status"] == "ok"


def test_refuses_non_loopback_without_flag():
    env = {"SSC_HOST": "0.0.0.0", "SSC_PORT": "0", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "backend.serve"], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_bad_rules_stop_start_up_with_a_clear_message(tmp_path):
    env = {"SSC_RULES_DIR": str(tmp_path), "SSC_PORT": "0", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "backend.serve"], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1
    assert (
        "Rules are invalid" in result.stderr
        and "marketplaces.yaml: file is missing" in result.stderr
    )


def test_an_unusable_case_log_stops_start_up_with_a_clear_message(tmp_path):
    env = {"SSC_DB": str(tmp_path), "SSC_PORT": "0", "PATH": ""}  # a directory, not a file
    result = subprocess.run(
        [sys.executable, "-m", "backend.serve"], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1
    assert "case log cannot be opened" in result.stderr and str(tmp_path) in result.stderr

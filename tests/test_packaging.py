"""The built wheel works on its own: installed into a fresh virtual environment, its `ssc`
command serves from outside the checkout with the rules it carries (no shared-rules/
beside it), and `ssc status` and `ssc doctor` see it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest

from seller_support.rules import load_rules

from .conftest import free_port, wait_until_healthy

REPO = Path(__file__).resolve().parents[1]


def _build_wheel(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(REPO)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return next(out.glob("seller_support_companion-*.whl"))


def _venv_with(wheel: Path, root: Path) -> Path:
    """A fresh virtual environment holding the wheel and its `ssc` script. Its dependencies
    are read from the test environment's site-packages (a path in a .pth file), so nothing
    is downloaded; the checkout itself is not on its path."""
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel, built once, in a fresh virtual environment; its Python."""
    root = tmp_path_factory.mktemp("wheel")
    return _venv_with(_build_wheel(root / "dist"), root)


@pytest.fixture()
def outside(tmp_path) -> tuple[Path, dict[str, str]]:
    """A folder outside the checkout, and an environment of its own: a temporary home, no
    PYTHONPATH, no SSC_* of the test run's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("SSC_")}
    env |= {"HOME": str(tmp_path)}
    return tmp_path, env


def test_installed_wheel_carries_its_rules(installed, outside):
    cwd, env = outside
    where = subprocess.run(
        [str(installed), "-c",
         "import seller_support.rules as r; print(r.__file__); print(r.DEFAULT_RULES_DIR)"],
        cwd=cwd, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    venv = installed.parents[1]
    assert all(path.startswith(str(venv)) for path in where), where


def test_installed_ssc_serves_reports_status_and_passes_its_checks(installed, outside):
    """`ssc serve` from the installed script, run from elsewhere; `ssc status` and
    `ssc doctor` see it; once it is stopped, `ssc status` says so."""
    cwd, env = outside
    ssc = installed.with_name("ssc")
    env |= {"SSC_PORT": str(free_port()), "SSC_DB": str(cwd / "cases.sqlite3")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(ssc), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
        )

    server = subprocess.Popen(
        [str(ssc), "serve"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{env['SSC_PORT']}"
        wait_until_healthy(base, server)
        with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as response:
            health = json.load(response)
        status, doctor = run("status"), run("doctor")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert health["status"] == "ok"
    assert health["rules_version"] == load_rules().version  # the same rules as the checkout
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"Rules version: {health['rules_version']}" in status.stdout
    assert str(cwd / "cases.sqlite3") in status.stdout
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "the backend is running" in doctor.stdout and "All is well" in doctor.stdout
    assert run("status").returncode == 3  # stopped

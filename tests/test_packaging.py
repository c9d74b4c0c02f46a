"""The built wheel works on its own: installed outside the checkout, it serves with the
rules it carries (no shared-rules/ beside it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

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
    """A fresh virtual environment holding the wheel. Its dependencies are read from the
    test environment's site-packages (a path in a .pth file), so nothing is downloaded;
    the checkout itself is not on its path."""
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, str(wheel)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_installed_wheel_serves_health_outside_the_checkout(tmp_path):
    python = _venv_with(_build_wheel(tmp_path / "dist"), tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SSC_RULES_DIR")}
    where = subprocess.run(
        [str(python), "-c",
         "import seller_support.rules as r; print(r.__file__); print(r.DEFAULT_RULES_DIR)"],
        cwd=outside, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert all(path.startswith(str(tmp_path / "venv")) for path in where), where

    port = free_port()
    env |= {"SSC_HOST": "127.0.0.1", "SSC_PORT": str(port), "SSC_DB": str(tmp_path / "c.db")}
    server = subprocess.Popen(
        [str(python), "-m", "seller_support.serve"],
        cwd=outside, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, server)
        with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as response:
            health = json.load(response)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert health["status"] == "ok"
    assert health["rules_version"] == load_rules().version  # the same rules as the checkout

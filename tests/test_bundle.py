"""The standalone build (`make bundle`, packaging/) works on a machine without Python:
copied out of the checkout and started with an environment that leads to neither the
checkout nor any Python, it serves the rules and the model it carries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from seller_support.rules import load_rules

from .conftest import call_json, free_port, wait_until_healthy

REPO = Path(__file__).resolve().parents[1]
# A fresh clone builds once (about 25 s here); later runs reuse the cached build.
BUILD_TIMEOUT = 600
# Set for the standalone build, so that it fails rather than borrow from this machine:
PROVING = {
    # Time zones from the build's own tzdata, as on Windows, which has no zone files.
    "PYTHONTZPATH": "",
    # rapidfuzz's compiled matchers or a failed start, not its silent pure-Python fallback.
    "RAPIDFUZZ_IMPLEMENTATION": "cpp",
}
TEXT = "我的FBA货件丢失了，仓库显示没有收到 / my inbound shipment was lost"


def _built_executable() -> Path:
    built = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "bundle.py")],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    return Path(built.stdout.splitlines()[-1])


def _environment_without_python(home: Path) -> dict[str, str]:
    """This environment minus whatever leads to the checkout, its virtual environment or
    the Python it was made from (PATH entries, PYTHON* and VIRTUAL_ENV), with a home of its
    own."""
    python_places = (str(REPO), sys.prefix, sys.base_prefix)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "VIRTUAL_ENV", "SSC_"))
        and not any(place in value for place in python_places)
    }
    env["PATH"] = os.pathsep.join(
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not entry.startswith(python_places)
    )
    return env | {"HOME": str(home), "USERPROFILE": str(home)}


class Standalone(NamedTuple):
    url: str
    executable: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def standalone(tmp_path_factory) -> Iterator[Standalone]:
    """`ssc serve` from a copy of the build outside the checkout, on a free port; its URL,
    the copy's executable and the environment it runs in."""
    built = _built_executable()
    outside = tmp_path_factory.mktemp("standalone")
    executable = Path(shutil.copytree(built.parent, outside / "ssc", symlinks=True), built.name)
    port = free_port()
    env = _environment_without_python(outside) | PROVING
    env |= {"SSC_HOST": "127.0.0.1", "SSC_PORT": str(port), "SSC_DB": str(outside / "c.db")}
    server = subprocess.Popen(
        [str(executable), "serve"],
        cwd=outside, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield Standalone(url, executable, env)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serves_the_rules_and_model_of_the_checkout(standalone):
    status, health = call_json(standalone.url, "GET", "/api/v1/health")
    assert (status, health["status"]) == (200, "ok")
    # The version hashes every rules file and the model: the build carries them unchanged.
    assert health["rules_version"] == load_rules().version


def test_classifies_as_the_source_does(standalone, client):
    """The model, re2, Aho-Corasick and rapidfuzz are all in: the same answer as the
    source's for the same text."""
    status, answer = call_json(standalone.url, "POST", "/api/v1/classify", {"text": TEXT})
    assert status == 200
    assert answer["suggestions"], answer
    assert answer == client.post("/api/v1/classify", json={"text": TEXT}).get_json()


def test_knows_every_marketplace_clock_and_holiday(standalone):
    """Time zones and public holidays (the holidays library loads each country's module by
    name) for every marketplace."""
    status, clock = call_json(standalone.url, "GET", "/api/v1/hours/all")
    assert status == 200, clock
    served = {m["marketplace"] for m in clock["marketplaces"]}
    assert served == {m.code for m in load_rules().marketplaces.marketplaces}


def test_status_finds_it(standalone):
    """Another command of the same executable: `ssc status` sees the server and its rules."""
    status = subprocess.run(
        [str(standalone.executable), "status"],
        cwd=standalone.executable.parent, env=standalone.env,
        capture_output=True, text=True, errors="replace", timeout=30,
    )  # fmt: skip
    assert status.returncode == 0, status.stdout + status.stderr
    assert load_rules().version in status.stdout

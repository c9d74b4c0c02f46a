"""Backend start-up with the learned model, and what the model costs to hold and install.

- First answer: the served backend (`make run`'s command) and a hello-world waitress +
  Flask app (hello_app.py), started as processes side by side, alternately: process start to
  the first answer on /api/v1/health, their RSS then, and for the backend a classify sent
  right after that first answer (it must work at once, not only answer health).
- Start-up: fresh interpreters (nothing imported, nothing cached), each timing its imports,
  `build_engine` (rules, phrase automaton, model) and, in another, `create_app` (what
  `make run` builds before it serves: the engine and the case log), then one classify.
- Model memory: tracemalloc around parsing and validating shared-rules/model/classifier.json
  (what the rules loader holds) and around building the `LinearModel` from it (what the
  ranking holds besides).
- Install: the model file's size; the runtime dependencies read from pyproject.toml (the
  model must need none of the training extra: scikit-learn, numpy, scipy), and whether
  serving a classify imports any of them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

from seller_support.rules import DEFAULT_RULES_DIR
from seller_support.rules.loader import MODEL_FILE
from tests.conftest import free_port

from .server import rss_kib
from .stats import summary

REPO = Path(__file__).resolve().parents[2]
TRAINING_ONLY = ("scikit-learn", "numpy", "scipy")
# Source files the learned model added to the backend (issue 13).
MODEL_SOURCES = ("features.py", "model.py", "ranking.py", "adaptation.py", "analysis.py")
# How the backend and the floor are started ({port}: a free one; the backend reads SSC_PORT):
# the backend as `ssc serve` (make run, the autostart entry) runs it.
BACKEND_COMMAND = [sys.executable, "-m", "seller_support", "serve"]
HELLO_COMMAND = [sys.executable, str(Path(__file__).with_name("hello_app.py")), "{port}"]
# The hello-world with part of the backend's code imported first: what the code alone costs,
# before any rule is read. Reported beside the two, not part of the target's ratio.
FLOOR_COMMANDS = {
    "hello + pydantic": [*HELLO_COMMAND, "pydantic.main"],
    "hello + the backend's imports": [*HELLO_COMMAND, "seller_support.serve"],
}

_ENGINE = """
import json, sys, time
t0 = time.perf_counter()
from seller_support.domain.engine import build_engine
from seller_support.rules import DEFAULT_RULES_DIR
t1 = time.perf_counter()
engine = build_engine(DEFAULT_RULES_DIR)
t2 = time.perf_counter()
engine.analyse("账号被封了，需要写申诉 please help").suggestions
t3 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "build_engine_s": t2 - t1, "first_classify_s": t3 - t2}))
"""

_APP = """
import json, sys, time
t0 = time.perf_counter()
from seller_support.web import create_app
t1 = time.perf_counter()
app = create_app({"CASES_DB": sys.argv[1], "TESTING": True})
t2 = time.perf_counter()
client = app.test_client()
body = {"text": "账号被封了 please help", "marketplace": "US"}
answer = client.post("/api/v1/classify", json=body)
t3 = time.perf_counter()
print(json.dumps({
    "imports_s": t1 - t0, "create_app_s": t2 - t1, "first_classify_s": t3 - t2,
    "status": answer.status_code,
    "training_modules_loaded": sorted(
        m for m in ("numpy", "scipy", "sklearn") if m in sys.modules
    ),
}))
"""

_MEMORY = """
import json, tracemalloc
from pathlib import Path
tracemalloc.start()
from seller_support.rules.models import ModelFile
from seller_support.domain.model import LinearModel
path = Path(__import__("sys").argv[1])
base = tracemalloc.get_traced_memory()[0]
model_file = ModelFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
parsed, parse_peak = tracemalloc.get_traced_memory()
tracemalloc.reset_peak()
model = LinearModel(model_file)
built, build_peak = tracemalloc.get_traced_memory()
print(json.dumps({
    "model_file_kib": (parsed - base) / 1024,
    "linear_model_kib": (built - parsed) / 1024,
    "peak_kib": (max(parse_peak, build_peak) - base) / 1024,
    "features": len(model_file.weights),
}))
"""


def _run(script: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"start-up script failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _dependencies() -> dict:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> list[str]:
        return [re.split(r"[\s<>=!~\[;]", r, maxsplit=1)[0] for r in requirements]

    runtime = names(project["dependencies"])
    train = names(project.get("optional-dependencies", {}).get("train", []))
    return {
        "runtime": runtime,
        "training_only_in_runtime": [d for d in TRAINING_ONLY if d in runtime],
        "training_only_in_train_extra": [d for d in TRAINING_ONLY if d in train],
    }


def _answered(url: str, process: subprocess.Popen, body: dict | None = None) -> int:
    """Poll until `url` answers; its status. Connection refused comes back at once: the
    poll costs the process under test next to nothing."""
    data = None if body is None else json.dumps(body).encode()
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        request = urllib.request.Request(url, data=data)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except OSError:
            time.sleep(0.002)


def _cpu_ms(pid: int) -> float:
    """CPU time a process has used (user + system), from /proc/<pid>/stat (Linux): unlike
    the wall clock, hardly moved by whatever else the machine runs."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _first_answer(command: list[str], env: dict, classify: bool) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [arg.format(port=port) for arg in command],
        cwd=REPO,
        env={**os.environ, **env, "SSC_HOST": "127.0.0.1", "SSC_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status = _answered(f"{base}/api/v1/health", process)
        run = {"health_ms": (time.perf_counter() - started) * 1000, "status": status}
        run["rss_kib"] = rss_kib(process.pid)
        run["cpu_ms"] = _cpu_ms(process.pid)
        if classify:
            body = {"text": "账号被封了，需要写申诉 please help", "marketplace": "US"}
            run["classify_status"] = _answered(f"{base}/api/v1/classify", process, body)
            run["classify_ms"] = (time.perf_counter() - started) * 1000
        return run
    finally:
        process.terminate()
        process.wait(timeout=10)


def _warm_start_env(tmp: Path) -> dict:
    """Both sides start as every start after an install's first does: with their bytecode
    written (pip compiles it when it installs a wheel; this machine's environment sets
    PYTHONDONTWRITEBYTECODE, which would make every start compile our modules again) and,
    for the backend, the parsed rules cached (rules/parse_cache.py)."""
    return {
        "PYTHONDONTWRITEBYTECODE": "",
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
        "SSC_CACHE_DIR": str(tmp / "cache"),
    }


def first_answer(rounds: int) -> dict:
    """The backend, the hello-world floor and the floors with part of the backend's code
    (FLOOR_COMMANDS), one after the other, `rounds` times each, after one unmeasured start
    of each that writes the bytecode and the cache."""
    runs: dict[str, list[dict]] = {"backend": [], "hello": [], **{f: [] for f in FLOOR_COMMANDS}}
    with tempfile.TemporaryDirectory(prefix="ssc-bench-first-answer-") as tmp:
        warm = _warm_start_env(Path(tmp))
        for i in range(-1, rounds):
            env = {**warm, "SSC_DB": str(Path(tmp) / f"cases-{i}.sqlite3")}
            measured = {
                "backend": _first_answer(BACKEND_COMMAND, env, classify=True),
                "hello": _first_answer(HELLO_COMMAND, warm, classify=False),
                **{f: _first_answer(c, warm, classify=False) for f, c in FLOOR_COMMANDS.items()},
            }
            if i >= 0:
                for name, run in measured.items():
                    runs[name].append(run)
    failed = [
        run
        for side in runs.values()
        for run in side
        if (run["status"], run.get("classify_status", 200)) != (200, 200)
    ]
    if failed:
        raise RuntimeError(f"a start did not answer 200: {failed}")

    def stats(side: list[dict], key: str, scale: float = 1) -> dict:
        return summary([r[key] * scale for r in side], 1)

    sides = {
        name: {
            "health_ms": stats(side, "health_ms"),
            "cpu_ms": stats(side, "cpu_ms"),
            "rss_mib": stats(side, "rss_kib", 1 / 1024),
        }
        for name, side in runs.items()
    }
    sides["backend"]["classify_ms"] = stats(runs["backend"], "classify_ms")

    def ratio(name: str, key: str) -> float:
        return round(sides[name][key]["p50"] / sides["hello"][key]["p50"], 2)

    floors = {
        name: {
            **sides[name],
            "health_ratio": ratio(name, "health_ms"),
            "cpu_ratio": ratio(name, "cpu_ms"),
        }
        for name in FLOOR_COMMANDS
    }
    backend_and_hello = {name: sides[name] for name in ("backend", "hello")}
    return {
        "rounds": rounds,
        **backend_and_hello,
        "floors": floors,
        "health_ratio": ratio("backend", "health_ms"),
        "cpu_ratio": ratio("backend", "cpu_ms"),
        "rss_ratio": ratio("backend", "rss_mib"),
    }


def startup(rounds: int, first_answer_rounds: int) -> dict:
    engine_runs = [_run(_ENGINE) for _ in range(rounds)]
    with tempfile.TemporaryDirectory(prefix="ssc-bench-startup-") as tmp:
        app_runs = [_run(_APP, str(Path(tmp) / f"cases-{i}.sqlite3")) for i in range(rounds)]
    if any(r["status"] != 200 for r in app_runs):
        raise RuntimeError(f"classify after create_app failed: {app_runs}")
    model_path = Path(DEFAULT_RULES_DIR) / MODEL_FILE
    memory = _run(_MEMORY, str(model_path))
    domain = REPO / "seller_support" / "domain"

    def ms(runs: list[dict], key: str) -> dict:
        return summary([r[key] * 1000 for r in runs], 1)

    return {
        "unit": "ms",
        "rounds": rounds,
        "first_answer": first_answer(first_answer_rounds),
        "engine": {
            "imports": ms(engine_runs, "imports_s"),
            "build_engine": ms(engine_runs, "build_engine_s"),
            "first_classify": ms(engine_runs, "first_classify_s"),
        },
        "app": {
            "imports": ms(app_runs, "imports_s"),
            "create_app": ms(app_runs, "create_app_s"),
            "first_classify": ms(app_runs, "first_classify_s"),
            # imports + create_app: from a started interpreter to an app ready to serve
            "ready": summary([(r["imports_s"] + r["create_app_s"]) * 1000 for r in app_runs], 1),
        },
        "memory": {k: round(v, 1) if isinstance(v, float) else v for k, v in memory.items()},
        "install": {
            "model_file_bytes": model_path.stat().st_size,
            "model_sources_bytes": sum((domain / name).stat().st_size for name in MODEL_SOURCES),
            **_dependencies(),
            "training_modules_loaded_when_serving": sorted(
                {m for r in app_runs for m in r["training_modules_loaded"]}
            ),
        },
    }


def report(result: dict) -> list[str]:
    from .stats import fmt, table

    engine, app, memory, install = (
        result["engine"],
        result["app"],
        result["memory"],
        result["install"],
    )
    rows = [
        ["imports (domain)", fmt(engine["imports"]["p50"], 0), fmt(engine["imports"]["max"], 0)],
        [
            "build_engine",
            fmt(engine["build_engine"]["p50"], 0),
            fmt(engine["build_engine"]["max"], 0),
        ],
        ["imports (web app)", fmt(app["imports"]["p50"], 0), fmt(app["imports"]["max"], 0)],
        ["create_app", fmt(app["create_app"]["p50"], 0), fmt(app["create_app"]["max"], 0)],
        ["imports + create_app", fmt(app["ready"]["p50"], 0), fmt(app["ready"]["max"], 0)],
        [
            "first classify",
            fmt(app["first_classify"]["p50"], 1),
            fmt(app["first_classify"]["max"], 1),
        ],
    ]
    first = result["first_answer"]
    backend, hello = first["backend"], first["hello"]
    first_rows = [
        [
            name,
            fmt(side["health_ms"]["p50"], 0),
            fmt(side["health_ms"]["max"], 0),
            fmt(side["cpu_ms"]["p50"], 0),
            fmt(side["rss_mib"]["p50"], 1),
            fmt(side["classify_ms"]["p50"], 0) if "classify_ms" in side else "",
        ]
        for name, side in (("backend (make run)", backend), ("hello-world waitress + Flask", hello))
    ]
    first_rows.append(
        [
            "backend / hello",
            fmt(first["health_ratio"]),
            "",
            fmt(first["cpu_ratio"]),
            fmt(first["rss_ratio"]),
            "",
        ]
    )
    floor_rows = [
        [
            name,
            fmt(floor["health_ms"]["p50"], 0),
            fmt(floor["health_ratio"]),
            fmt(floor["cpu_ms"]["p50"], 0),
            fmt(floor["cpu_ratio"]),
        ]
        for name, floor in first["floors"].items()
    ]
    loaded = ", ".join(install["training_modules_loaded_when_serving"]) or "none"
    in_runtime = ", ".join(install["training_only_in_runtime"]) or "none"
    return [
        f"Process start to first answer on /api/v1/health, side by side ({first['rounds']} "
        "starts each), ms",
        table(
            first_rows,
            ["process", "p50", "max", "CPU ms p50", "RSS MiB p50", "classify right after, p50"],
        ),
        "The hello-world with part of the backend's code imported before it serves (no rule "
        "read): what the code alone costs, ms",
        table(floor_rows, ["process", "p50", "/ hello", "CPU ms p50", "/ hello"]),
        f"Start-up, fresh interpreters ({result['rounds']} each), ms",
        table(rows, ["step", "p50", "max"]),
        f"model in memory (tracemalloc): the parsed file {memory['model_file_kib'] / 1024:.1f} MiB"
        f" + LinearModel's tables {memory['linear_model_kib'] / 1024:.1f} MiB "
        f"({memory['features']:,} features; peak while loading "
        f"{memory['peak_kib'] / 1024:.1f} MiB)",
        f"install: model file {install['model_file_bytes'] / 1024:.0f} KiB, its code "
        f"{install['model_sources_bytes'] / 1024:.0f} KiB; training-only packages among the "
        f"runtime dependencies: {in_runtime}; imported when serving: {loaded}",
    ]

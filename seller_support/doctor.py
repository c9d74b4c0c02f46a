"""`ssc doctor`: check what the backend needs, one line each (Python, the port, the rules,
the model, the case log, start at login), and say how to fix every problem in Chinese and
English. Exit status 1 when something is wrong. It creates nothing: a case log that does
not exist yet is left for the first start."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

from .autostart import Place, recorded
from .domain.cases import followup_due
from .domain.engine import Engine, build_engine
from .preflight import (
    Problem,
    bind_problem,
    case_log_problem,
    check_case_log,
    configured_address,
    probe,
    rules_problem,
)
from .rules import RulesError, configured_rules_dir
from .rules.models import RULE_FILES
from .server import listening_socket
from .store import CaseStoreError, default_db_path, open_store

MINIMUM_PYTHON = (3, 11)
# A text whose ranking runs the whole model: features, weights, classes.
SAMPLE = "My FBA shipment is stuck in receiving. 我的货件一直在接收中。"


class Skipped(Exception):
    """A check that cannot run because an earlier one failed."""


def check_python() -> str:
    found = sys.version.split()[0]
    if sys.version_info[:2] < MINIMUM_PYTHON:
        need = ".".join(map(str, MINIMUM_PYTHON))
        raise Problem(
            f"Python {found} 太旧，需要 {need} 或更新的版本。请从 python.org 安装新版 Python 后"
            f"重新安装，或使用不需要 Python 的独立安装包。",
            f"Python {found} is too old; {need} or newer is needed. Install a newer Python "
            f"from python.org and reinstall, or use the standalone package (no Python needed).",
        )
    return f"Python {found} ({sys.executable})"


def check_port() -> str:
    address = configured_address()
    try:
        listening_socket(address.host, address.port).close()
    except OSError as exc:
        answer = probe(address)
        if answer is not None and answer.ours:
            version = answer.health.get("rules_version")
            return f"{address.url} 后台正在运行 / the backend is running (rules {version})"
        raise bind_problem(address, exc) from exc
    return f"{address.url} 空闲，可以启动 / free for the backend"


def check_rules() -> str:
    engine = _engine(configured_rules_dir())
    return f"{len(RULE_FILES)} files, version {engine.rules.version} ({configured_rules_dir()})"


def check_model() -> str:
    engine = _engine_or_skip()
    if not engine.analyse(SAMPLE).ranked:
        raise Problem(
            "分类模型没有给出任何结果。请重新安装以恢复内置模型。",
            "The classifier model ranked nothing. Reinstall to restore the built-in model.",
        )
    model = engine.rules.model
    return f"{len(model.classes)} 个类别 / classes, features v{model.features_version}"


def check_case_log_file() -> str:
    path = default_db_path()
    check_case_log(path)
    if not path.exists():
        return f"{path} 首次启动时创建 / made at the first start"
    engine = _engine_or_skip()  # the rules date the follow-ups of cases stored before
    try:
        store = open_store(path, partial(followup_due, engine.rules))
    except CaseStoreError as exc:
        raise case_log_problem(exc) from exc
    _, total = store.list(limit=1)
    return f"{path} 可以读写，{total} 个案例 / readable and writable, {total} cases"


def check_autostart() -> str:
    record = recorded(Place.current())
    if record is None:
        return "关闭 / off (ssc autostart on)"
    program = Path(record["command"][0])
    if not program.exists():
        raise Problem(
            f"开机自动启动指向的 {program} 已不存在（重新安装或移动过？）。"
            f"请运行 ssc autostart on。",
            f"Autostart runs {program}, which no longer exists (reinstalled or moved?). Run "
            f"`ssc autostart on` again.",
        )
    return f"开启 / on ({record['kind']})"


@cache
def _engine(rules_dir: str) -> Engine:
    try:
        return build_engine(Path(rules_dir))
    except RulesError as exc:
        raise rules_problem(exc) from exc


def _engine_or_skip() -> Engine:
    try:
        return _engine(configured_rules_dir())
    except Problem as exc:
        raise Skipped("规则无效，未检查 / not checked: the rules are invalid") from exc


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("Python", check_python),
    ("端口 / port", check_port),
    ("规则 / rules", check_rules),
    ("模型 / model", check_model),
    ("案例记录 / case log", check_case_log_file),
    ("开机自动启动 / autostart", check_autostart),
]


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="ssc doctor", description=__doc__).parse_args(argv)
    print("卖家客服助手 体检 / Seller Support Companion check-up")
    problems = 0
    for topic, check in CHECKS:
        try:
            print(f"[OK] {topic}: {check()}")
        except Skipped as skipped:
            print(f"[--] {topic}: {skipped}")
        except Problem as problem:
            problems += 1
            print(f"[!!] {topic}:\n     " + str(problem).replace("\n", "\n     "))
    if problems:
        print(f"发现 {problems} 个问题，请按上面的说明处理 / {problems} problem(s): see above.")
        return 1
    print("一切正常 / All is well.")
    return 0

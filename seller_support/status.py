"""`ssc status`: is the backend answering on the configured address (SSC_HOST, SSC_PORT),
which rules it serves, and where this configuration keeps the case log (SSC_DB).

Exit status: 0 running, 3 not running (as `systemctl status`), 1 another program holds
the address or the address is invalid."""

from __future__ import annotations

import argparse
import sys

from .port_owner import who_listens
from .preflight import Problem, configured_address, probe
from .store import default_db_path

NOT_RUNNING = 3


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="ssc status", description=__doc__).parse_args(argv)
    try:
        address = configured_address()
    except Problem as problem:
        print(problem, file=sys.stderr)
        return 1
    answer = probe(address)
    if answer is None:
        print(f"后台没有运行 / The backend is not running at {address.url}.")
        print("启动：ssc serve；每次登录时自动启动：ssc autostart on")
        print("Start it: ssc serve; to start it at every login: ssc autostart on")
        code = NOT_RUNNING
    elif not answer.ours:
        owner = who_listens(address.port) or "unknown / 未知"
        print(f"{address.url} 上运行的不是卖家客服助手 / Another program answers at {address.url}")
        print(f"  ({owner}). 请运行 ssc doctor / Run `ssc doctor` for the fix.")
        code = 1
    else:
        health = answer.health
        print(f"后台正在运行 / The backend is running at {address.url}")
        print(f"规则版本 / Rules version: {health.get('rules_version')} ({health.get('status')})")
        if health.get("rules_error"):
            print(f"规则修改未生效 / A rules edit was not applied: {health['rules_error']}")
        code = 0
    print(f"案例记录（当前设置）/ Case log (this configuration): {default_db_path()}")
    return code

"""`ssc serve`: serve the backend with waitress (production WSGI, works on Windows too).

Everything that can stop the start (the address, the port, the case log, the rules) is
checked first and said in Chinese and English with its fix (`preflight`)."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import socket
import sys

from .preflight import (
    SERVER_NAME,
    Address,
    Problem,
    already_running,
    bind_problem,
    case_log_problem,
    check_case_log,
    configured_address,
    probe,
    rules_problem,
    team_database_problem,
)
from .rules import RulesError
from .server import Server, fit_connection_limit, listening_sockets
from .store import CaseStoreError, default_db_path, describe
from .store.pairing import new_code, pairing_path
from .web import create_app
from .web.extensions import engine_holder
from .web.routes.cases import MAX_IMPORT_BYTES
from .web.security import LOOPBACK_HOSTS
from .web.team import TEAM_ENV, TeamConfigError, team_config

# Bounded so that slow or many clients cannot tie the process up. waitress reads a whole
# request before the app sees it (spilling bodies over 512 KiB to a temporary file). Its
# body limit is twice the largest endpoint's (the import): the app enforces each endpoint's
# own limit, and a body somewhat over it is read and answered with the app's JSON 413;
# waitress refuses bigger ones as soon as the headers arrive (JSON too, see .server). At
# the connection limit the idlest connection is closed to make room; under 512 for
# Windows' select().
WAITRESS_LIMITS = {
    "threads": 8,
    "connection_limit": 250,
    "channel_timeout": 30,
    "max_request_body_size": 2 * MAX_IMPORT_BYTES,
    "max_request_header_size": 16 * 1024,
    "cleanup_interval": 5,
    "asyncore_use_poll": True,  # poll() where there is one: no FD_SETSIZE ceiling
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ssc serve", description="启动后台 / Serve the backend (SSC_HOST, SSC_PORT, SSC_DB)."
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow binding to a non-loopback address (not recommended)",
    )
    parser.add_argument(
        "--team",
        action="store_true",
        help="团队服务器 / a team server (as SSC_TEAM=1; needs SSC_DATABASE_URL and "
        "SSC_ALLOWED_HOSTS, see the README's For teams)",
    )
    args = parser.parse_args(argv)
    return run(args.allow_remote, args.team)


def run(allow_remote: bool = False, team: bool = False) -> int:
    """Serve until interrupted; 0 also when our backend already serves the address, 1 when
    something stops the start, 2 for a non-loopback address without `allow_remote`."""
    try:
        environ = {**os.environ, TEAM_ENV: "1"} if team else os.environ
        return _start(allow_remote, team_config(environ))
    except (Problem, TeamConfigError) as problem:
        print(problem, file=sys.stderr)
        return 1


def _start(allow_remote: bool, team: dict | None) -> int:
    address = configured_address()
    remote = address.host not in LOOPBACK_HOSTS
    # A team server is meant to be reached from other machines (through its proxy), and
    # admits only its allowed hosts and people's tokens.
    if remote and not allow_remote and team is None:
        print(_remote_refused(address.host), file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    sockets = _listen(address)
    if sockets is None:
        return 0
    try:
        app = _app(team)
    except Problem:
        for sock in sockets:
            sock.close()
        raise
    gc.enable()  # paused by `ssc serve` while the start made what lives on (cli._serve)
    if remote and team is not None:
        print(
            f"注意：团队服务器在 {address.host} 上监听。请只让 TLS 反向代理访问此端口，"
            f"令牌不可经明文 HTTP 传输。\nNOTE: the team server listens on {address.host}. "
            f"Let only a TLS reverse proxy reach this port: tokens must not cross the network "
            f"as plain HTTP.",
            file=sys.stderr,
        )
    if remote and team is None:
        print(
            f"WARNING: listening on {address.host}; other machines can reach the backend. "
            f"警告：其他电脑也能访问后台。",
            file=sys.stderr,
        )
    _serve(app, sockets)
    return 0


def _remote_refused(host: str) -> str:
    return (
        f"不在 {host} 上监听：这会让其他电脑访问后台。确需如此请加 --allow-remote，否则请删除环境"
        f"变量 SSC_HOST。\nRefusing to listen on {host}: pass --allow-remote to expose the "
        f"backend beyond this machine, or remove the SSC_HOST environment variable."
    )


def _listen(address: Address) -> list[socket.socket] | None:
    """The bound sockets; None (said) when our backend already answers there."""
    try:
        return listening_sockets(address.host, address.port)
    except OSError as exc:
        answer = probe(address)
        if answer is not None and answer.ours:
            print(already_running(address, answer), flush=True)
            return None
        raise bind_problem(address, exc) from exc


def _app(team: dict | None):
    if team is None:
        check_case_log(default_db_path())
    try:
        return create_app({"WATCH_RULES": True, **(team or {})})
    except RulesError as exc:
        raise rules_problem(exc) from exc
    except CaseStoreError as exc:
        if team is not None:
            raise team_database_problem(exc) from exc
        raise case_log_problem(exc) from exc


def _serve(app, sockets: list[socket.socket]) -> None:
    with app.app_context():
        version = engine_holder().engine.rules.version
    limits = {
        **WAITRESS_LIMITS,
        "connection_limit": fit_connection_limit(WAITRESS_LIMITS["connection_limit"]),
    }
    server = Server(app, sockets, ident=SERVER_NAME, **limits)
    urls = " and ".join(Address(h, p).url for h, p in server.addresses)
    print(f"卖家客服助手后台 / Seller Support Companion backend (rules {version}) on {urls}")
    if app.config.get("TEAM"):
        print(f"团队服务器 / Team server: {describe(app.config['CASES_DB'])}")
        hosts = ", ".join(sorted(app.config["ALLOWED_HOSTS"]))
        print(f"允许的主机名 / Allowed hosts: {hosts}", flush=True)
    else:
        print(f"案例记录 / Case log: {app.config['CASES_DB']}")
        # Firefox (and any client whose origin cannot be pinned) pairs once with a code.
        code = new_code(pairing_path(app.config["CASES_DB"]))
        print(f"Pairing code for Firefox / 配对码: {code} (ssc pair gives a new one)", flush=True)
    server.run()


if __name__ == "__main__":
    sys.exit(main())

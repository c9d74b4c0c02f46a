"""What must hold before the backend can serve: a valid address whose port is free, a case
log that can be opened and written, rules that load. `ssc serve` stops at the first
`Problem`; `ssc doctor` and `ssc status` report them. Every problem says, in Chinese and
in English, what is wrong and how to fix it; none is a traceback."""

from __future__ import annotations

import errno
import json
import os
import socket
import sqlite3
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .port_owner import who_listens

if TYPE_CHECKING:  # `ssc status` needs neither the rules' models nor the store
    from .rules import RulesError
    from .store import CaseStoreError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOCK_WAIT_SECONDS = 2.0
PROBE_TIMEOUT_SECONDS = 2.0
SERVER_NAME = "ssc"  # the `Server` header ours sends


class Problem(Exception):
    """Something in the way of the backend, said in each language with its fix: one line
    per language (or a message already in both)."""

    def __init__(self, *lines: str):
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def configured_address(env=os.environ) -> Address:
    """SSC_HOST and SSC_PORT, else 127.0.0.1:8765."""
    raw = env.get("SSC_PORT", str(DEFAULT_PORT))
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise Problem(
            f"SSC_PORT={raw!r} 不是有效的端口号：须为 1 到 65535 之间的整数（默认 "
            f"{DEFAULT_PORT}）。请改正或删除环境变量 SSC_PORT。",
            f"SSC_PORT={raw!r} is not a valid port: it must be a whole number from 1 to 65535 "
            f"(default {DEFAULT_PORT}). Correct or remove the SSC_PORT environment variable.",
        )
    return Address(env.get("SSC_HOST", DEFAULT_HOST), port)


# --- the port ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What answered /api/v1/health on an address: ours (with its health) or another."""

    ours: bool
    health: dict


def probe(address: Address, timeout: float = PROBE_TIMEOUT_SECONDS) -> Answer | None:
    """Ask the address for our health; None when nothing listens there (refused)."""
    # Never through a proxy: a seller's system proxy (a VPN client) must not see loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{address.url}/api/v1/health", timeout=timeout) as response:
            server, body = response.headers.get("Server"), response.read()
    except urllib.error.HTTPError as error:
        return Answer(ours=False, health={"status": error.code})
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError):
            return None
        return Answer(ours=False, health={})
    except OSError:  # it took the connection, then said nothing we understand
        return Answer(ours=False, health={})
    try:
        health = json.loads(body)
    except ValueError:
        return Answer(ours=False, health={})
    ours = server == SERVER_NAME and isinstance(health, dict) and "rules_version" in health
    return Answer(ours=ours, health=health if isinstance(health, dict) else {})


def bind_problem(address: Address, error: OSError) -> Problem:
    """Why `address` cannot be listened on, with the fix."""
    port, host = address.port, address.host
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return Problem(
            f"SSC_HOST={host!r} 不是本机的地址。请删除环境变量 SSC_HOST（默认 {DEFAULT_HOST}）。",
            f"SSC_HOST={host!r} is not an address of this machine. Remove the SSC_HOST "
            f"environment variable (default {DEFAULT_HOST}).",
        )
    other = port + 1 if port < 65535 else port - 1
    move_zh = (
        f"或换一个端口：设置环境变量 SSC_PORT={other}，并在扩展的设置页把后端地址改为 "
        f"http://127.0.0.1:{other}。"
    )
    move_en = (
        f"or use another port: set the environment variable SSC_PORT={other} and the backend "
        f"address on the extension's options page to http://127.0.0.1:{other}."
    )
    if error.errno in (errno.EACCES, getattr(errno, "WSAEACCES", 10013)):
        return Problem(
            f"没有权限使用端口 {port}（{error.strerror}）。Windows 可能保留了这个端口（用 netsh "
            f"interface ipv4 show excludedportrange protocol=tcp 查看）；Linux 和 macOS 上 1024 "
            f"以下的端口需要管理员权限。请{move_zh}",
            f"Port {port} may not be used ({error.strerror}). Windows may reserve it (see "
            f"netsh interface ipv4 show excludedportrange protocol=tcp); on Linux and macOS "
            f"ports below 1024 need administrator rights. Please {move_en}",
        )
    if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", 10048)):
        owner = who_listens(port)
        return Problem(
            f"端口 {port} 已被占用（占用它的程序：{owner or '未知'}）。"
            f"请关闭该程序后重试，{move_zh}",
            f"Port {port} is in use (by {owner or 'an unknown program'}). Close that program "
            f"and try again, {move_en}",
        )
    return Problem(
        f"无法在 {address.url} 监听（{error}）。请{move_zh}",
        f"Cannot listen on {address.url} ({error}). Please {move_en}",
    )


def already_running(address: Address, answer: Answer) -> str:
    version = answer.health.get("rules_version")
    return (
        f"卖家客服助手后台已在 {address.url} 运行（规则版本 {version}），无需再次启动。\n"
        f"The backend is already running at {address.url} (rules {version}); nothing to do."
    )


# --- the case log -----------------------------------------------------------------------


def check_case_log(path: Path, wait: float = LOCK_WAIT_SECONDS) -> None:
    """Raise a Problem when a folder stands where the case log should be, or another
    program holds its write lock for longer than `wait` seconds (the store would wait for
    it on every write). Changes nothing; every other fault (a missing folder, no rights, not
    our file, damage) is left to the store's open, which names it and its fix."""
    if path.is_dir():
        raise Problem(
            f"案例记录的路径 {path} 是一个文件夹，不是文件。请把环境变量 SSC_DB 设为一个文件，"
            f"例如 {path / 'cases.sqlite3'}。",
            f"The case log's path {path} is a folder, not a file. Set the SSC_DB environment "
            f"variable to a file, e.g. {path / 'cases.sqlite3'}.",
        )
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=wait, isolation_level=None
        )
    except sqlite3.Error:
        return
    try:
        conn.execute("BEGIN IMMEDIATE")  # the write lock, taken and given back at once
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise Problem(
                f"案例记录 {path} 被另一个程序锁定（等了 {wait:g} 秒仍无法写入）。请关闭正在使用"
                f"它的程序（例如另一个 ssc 或 DB Browser for SQLite）；如果它在同步文件夹"
                f"（OneDrive、Dropbox、坚果云等）里，请等同步完成或把它移出，然后重试。",
                f"The case log {path} is locked by another program (still not writable after "
                f"{wait:g} s). Close the program using it (another ssc, DB Browser for SQLite, "
                f"...); if it is in a synced folder (OneDrive, Dropbox, ...), wait for the sync "
                f"to finish or move it out, then try again.",
            ) from exc
    except sqlite3.DatabaseError:
        pass
    finally:
        conn.close()


def case_log_problem(exc: CaseStoreError) -> Problem:
    """The store's own message, introduced, with the way out that always works."""
    return Problem(
        f"案例记录无法打开 / The case log cannot be opened:\n  {exc}",
        "如果无法解决：用环境变量 SSC_DB 指定另一个文件，再用 ssc import 导入备份。",
        "If nothing helps: set the SSC_DB environment variable to another file and restore "
        "a backup with `ssc import`.",
    )


def team_database_problem(exc: CaseStoreError) -> Problem:
    """A team's PostgreSQL cannot be opened (`ssc serve --team`, `ssc team`, `ssc import`)."""
    return Problem(
        f"无法打开团队数据库：{exc}\n请检查 SSC_DATABASE_URL、数据库是否可达，"
        f"以及是否安装了 team 扩展（pip install 'seller-support-companion[team]'）。",
        f"Cannot open the team's database: {exc}\nCheck SSC_DATABASE_URL, that the "
        f"database can be reached, and that the `team` extra is installed.",
    )


# --- the rules --------------------------------------------------------------------------


def rules_problem(exc: RulesError, env=os.environ) -> Problem:
    if env.get("SSC_RULES_DIR"):
        where_zh = "或删除环境变量 SSC_RULES_DIR 以使用内置规则"
        where_en = "or remove the SSC_RULES_DIR environment variable to use the built-in rules"
    else:
        where_zh, where_en = (
            "或重新安装以恢复内置规则",
            "or reinstall to restore the built-in rules",
        )
    return Problem(
        f"规则无效 / The rules are invalid:\n  {exc}",
        f"请按上面的提示改正该文件，再用 ssc validate-rules 检查；{where_zh}。",
        f"Correct the file named above and check it with `ssc validate-rules`, {where_en}.",
    )

"""`ssc autostart on|off|status`: start the backend at every login.

- Linux: a systemd user unit (~/.config/systemd/user/ssc.service), enabled and started with
  `systemctl --user` where a user manager answers; else an XDG autostart entry
  (~/.config/autostart/ssc.desktop), which desktop sessions start at login.
- macOS: a LaunchAgent (~/Library/LaunchAgents/<LABEL>.plist), loaded with launchctl.
- Windows: a .cmd in the user's Startup folder, which starts `ssc serve` in a minimised
  window at login. It needs no administrator rights (a Task Scheduler logon task may), and
  the seller sees the backend in the taskbar and can close it.

Each OS's files are data made by one function (`Plan`). `on` writes them and keeps a
manifest of what it made: the files, the folders it had to create, and the commands that
undo what it ran. `off` undoes exactly that, and nothing else; a file that `on` did not
make is never overwritten or removed. The SSC_* settings in force when `on` runs go into
the entry, so the backend starts at login as it would start now."""

from __future__ import annotations

import argparse
import json
import os
import platform
import plistlib
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .preflight import Problem
from .store import APP_NAME

UNIT = "ssc.service"
LABEL = "com.seller-support-companion.ssc"
DESKTOP_FILE = "ssc.desktop"
STARTUP_FILE = "Seller Support Companion.cmd"
MANIFEST = "autostart.json"
SETTINGS = ("SSC_HOST", "SSC_PORT", "SSC_DB", "SSC_RULES_DIR")
PATH_SETTINGS = ("SSC_DB", "SSC_RULES_DIR")  # made absolute: the login starts elsewhere
MADE_BY = "Made by `ssc autostart on`; `ssc autostart off` removes it."
OFF = 3  # `status` exit status when autostart is off

Runner = Callable[[list[str]], subprocess.CompletedProcess]


def run_quietly(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return subprocess.CompletedProcess(command, 127, "", str(exc))


@dataclass(frozen=True)
class Place:
    """Where and for whom the entry is made (tests give a temporary home)."""

    system: str  # platform.system(): Linux, Darwin, Windows
    home: Path
    env: Mapping[str, str]
    command: list[str]  # what starts the backend
    uid: int = 0  # macOS: launchctl's gui/<uid> domain

    @classmethod
    def current(cls) -> Place:
        return cls(
            platform.system(),
            Path.home(),
            dict(os.environ),
            serve_command(),
            os.getuid() if hasattr(os, "getuid") else 0,
        )

    @property
    def settings(self) -> dict[str, str]:
        found = {name: self.env[name] for name in SETTINGS if self.env.get(name)}
        for name in PATH_SETTINGS:
            if name in found:
                found[name] = os.path.abspath(os.path.expanduser(found[name]))
        return found

    @property
    def config_dir(self) -> Path:
        """Where the manifest is kept (the user's configuration folder for the app)."""
        if self.system == "Windows":
            local = self.env.get("LOCALAPPDATA") or self.home / "AppData" / "Local"
            return Path(local) / APP_NAME
        if self.system == "Darwin":
            return self.home / "Library" / "Application Support" / APP_NAME
        return self.xdg_config / APP_NAME

    @property
    def xdg_config(self) -> Path:
        return Path(self.env.get("XDG_CONFIG_HOME") or self.home / ".config")


def serve_command() -> list[str]:
    """This installation's `ssc serve`: the bundle itself, the `ssc` script installed
    beside this Python, or this Python running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "serve"]
    script = Path(sys.executable).with_name("ssc.exe" if os.name == "nt" else "ssc")
    if script.is_file():
        return [str(script), "serve"]
    return [sys.executable, "-m", "seller_support", "serve"]


@dataclass(frozen=True)
class Plan:
    """What `on` writes and runs for one OS, and what `off` runs to undo it."""

    kind: str
    files: dict[Path, bytes]
    start: list[list[str]] = field(default_factory=list)  # run after writing
    stop: list[list[str]] = field(default_factory=list)  # run before removing
    forget: list[list[str]] = field(default_factory=list)  # run after removing
    starts_now: bool = False
    folders: list[Path] = field(default_factory=list)  # needed besides the files' own


# --- one function per OS ------------------------------------------------------------------


def systemd_unit(place: Place) -> Plan:
    environment = "".join(
        f"Environment={_systemd_quote(f'{k}={v}', expands=False)}\n"
        for k, v in place.settings.items()
    )
    unit = (
        f"# {MADE_BY}\n"
        "[Unit]\n"
        "Description=Seller Support Companion backend (卖家客服助手)\n"
        # Another program on the port: a few tries, then stop (`ssc doctor` says why).
        "StartLimitIntervalSec=120\n"
        "StartLimitBurst=5\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={' '.join(_systemd_quote(arg) for arg in place.command)}\n"
        f"{environment}"
        "Restart=on-failure\n"
        "RestartSec=10\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )
    path = place.xdg_config / "systemd" / "user" / UNIT
    systemctl = ["systemctl", "--user"]
    return Plan(
        "systemd",
        {path: unit.encode()},
        start=[[*systemctl, "daemon-reload"], [*systemctl, "enable", "--now", UNIT]],
        stop=[[*systemctl, "disable", "--now", UNIT]],
        forget=[[*systemctl, "daemon-reload"]],
        starts_now=True,
    )


def xdg_entry(place: Place) -> Plan:
    settings = [f"{k}={v}" for k, v in place.settings.items()]
    command = ["env", *settings, *place.command] if settings else place.command
    entry = (
        f"# {MADE_BY}\n"
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Seller Support Companion\n"
        "Name[zh_CN]=卖家客服助手\n"
        "Comment=Starts the Seller Support Companion backend at login\n"
        f"Exec={' '.join(_desktop_quote(arg) for arg in command)}\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
    )
    return Plan("xdg", {place.xdg_config / "autostart" / DESKTOP_FILE: entry.encode()})


def launch_agent(place: Place) -> Plan:
    logs = place.home / "Library" / "Logs" / APP_NAME
    agent = {
        "Label": LABEL,
        "ProgramArguments": place.command,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},  # again after a crash, not after a quit
        "ThrottleInterval": 10,
        "StandardOutPath": str(logs / "ssc.log"),
        "StandardErrorPath": str(logs / "ssc.log"),
    }
    if place.settings:
        agent["EnvironmentVariables"] = place.settings
    path = place.home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    domain = f"gui/{place.uid}"
    return Plan(
        "launchd",
        {path: plistlib.dumps(agent)},
        start=[["launchctl", "bootstrap", domain, str(path)]],
        stop=[["launchctl", "bootout", domain, str(path)]],
        starts_now=True,
        folders=[logs],  # launchd writes the log there but does not make the folder
    )


def startup_script(place: Place) -> Plan:
    appdata = place.env.get("APPDATA") or place.home / "AppData" / "Roaming"
    folder = Path(appdata) / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
    lines = [
        "@echo off",
        "chcp 65001 >nul",  # what follows is UTF-8 (a Chinese user name in a path)
        f"rem {MADE_BY}",
        *(f'set "{k}={_cmd_escape(v)}"' for k, v in place.settings.items()),
        'start "Seller Support Companion" /min '
        + " ".join(f'"{_cmd_escape(arg)}"' for arg in place.command),
    ]
    return Plan("startup-folder", {folder / STARTUP_FILE: "\r\n".join([*lines, ""]).encode()})


def plan_for(place: Place, run: Runner = run_quietly) -> Plan:
    if place.system == "Windows":
        return startup_script(place)
    if place.system == "Darwin":
        return launch_agent(place)
    if _user_systemd(run):
        return systemd_unit(place)
    return xdg_entry(place)


def _user_systemd(run: Runner) -> bool:
    """A systemd user manager answers (not so in most containers, in WSL without systemd,
    or where there is no systemctl at all)."""
    return run(["systemctl", "--user", "show-environment"]).returncode == 0


def _systemd_quote(arg: str, expands: bool = True) -> str:
    # systemd.syntax: C-style escapes inside double quotes; % starts a specifier
    # everywhere, and $ a variable in ExecStart only (Environment= expands none).
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return '"' + (escaped.replace("$", "$$") if expands else escaped) + '"'


def _desktop_quote(arg: str) -> str:
    # Desktop Entry spec, Exec key: an argument with a reserved character is quoted, and
    # escapes " ` $ \ with a backslash; the value itself then escapes backslashes again;
    # % starts a field code.
    if arg and not any(c in _DESKTOP_RESERVED for c in arg):
        return arg.replace("%", "%%")
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return '"' + quoted.replace("\\", "\\\\").replace("%", "%%") + '"'


_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _cmd_escape(text: str) -> str:
    return text.replace("%", "%%")  # a batch file expands %NAME%


# --- on, off, status ----------------------------------------------------------------------


def _refuse_a_passing_location(place: Place) -> None:
    """A program run from a mounted disk image (macOS /Volumes) or from a zip opened
    without extracting it (Windows runs it from its temporary folder) is gone after eject
    or clean-up, and the entry would start nothing at the next login."""
    temporary = place.env.get("TEMP") or place.env.get("TMP")  # the user's, on Windows
    passing = {"Darwin": "/Volumes", "Windows": temporary}.get(place.system)
    program = Path(place.command[0])
    if passing and program.is_relative_to(passing):
        raise Problem(
            f"ssc 正在从临时位置运行（{program}）：请先把 ssc 文件夹复制到个人文件夹"
            "或“应用程序”中，再从那里运行 ssc autostart on。",
            f"ssc is running from a temporary place ({program}): copy the ssc folder to your "
            "home or Applications folder first, and run `ssc autostart on` from there.",
        )


def turn_on(place: Place, run: Runner = run_quietly) -> Plan:
    """Write and start the entry for `place`; raises Problem, having undone its part."""
    _refuse_a_passing_location(place)
    if recorded(place) is not None:
        turn_off(place, run)  # replace ours, e.g. after `ssc` moved
    plan = plan_for(place, run)
    for path in plan.files:
        if path.exists():
            raise Problem(
                f"{path} 已存在，但不是 ssc autostart on 创建的，没有改动它。请先移走它再重试。",
                f"{path} exists but was not made by `ssc autostart on`; it was left as it "
                f"is. Move it away and try again.",
            )
    manifest = _manifest_path(place)
    folders = _missing([manifest.parent, *(p.parent for p in plan.files), *plan.folders])
    record = {
        "kind": plan.kind,
        "command": place.command,
        "files": [str(p) for p in plan.files],
        "folders": [str(p) for p in folders],
        "stop": plan.stop,
        "forget": plan.forget,
    }
    try:
        for folder in folders:
            folder.mkdir()
        # The manifest before the files: whatever happens next, `off` can undo it.
        manifest.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        for path, content in plan.files.items():
            path.write_bytes(content)
    except OSError as exc:
        _undo(record, manifest, run)
        raise Problem(
            f"无法启用开机自动启动：{exc}（已撤销）。",
            f"Could not turn autostart on: {exc} (undone).",
        ) from exc
    for command in plan.start:
        result = run(command)
        if result.returncode != 0:
            _undo(record, manifest, run)
            raise Problem(
                f"无法启用开机自动启动：{' '.join(command)} 失败（{_said(result)}），已撤销。",
                f"Could not turn autostart on: {' '.join(command)} failed ({_said(result)}); "
                f"undone.",
            )
    return plan


def turn_off(place: Place, run: Runner = run_quietly) -> list[Path]:
    """Undo what `turn_on` recorded; the files removed ([] when it was off)."""
    record = recorded(place)
    if record is None:
        return []
    _undo(record, _manifest_path(place), run)
    return [Path(p) for p in record["files"]]


def _undo(record: dict, manifest: Path, run: Runner) -> None:
    for command in record["stop"]:
        run(command)  # best effort: the service may be stopped already
    for path in record["files"]:
        Path(path).unlink(missing_ok=True)
    for command in record["forget"]:
        run(command)
    manifest.unlink(missing_ok=True)
    for folder in reversed(record["folders"]):  # innermost first
        try:
            Path(folder).rmdir()  # only if empty: what others put there stays
        except OSError:
            pass


def recorded(place: Place) -> dict | None:
    manifest = _manifest_path(place)
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))


def _manifest_path(place: Place) -> Path:
    return place.config_dir / MANIFEST


def _missing(folders: list[Path]) -> list[Path]:
    """The folders, and their parents, that do not exist yet; outermost first."""
    missing: set[Path] = set()
    for folder in folders:
        while not folder.exists():
            missing.add(folder)
            folder = folder.parent
    return sorted(missing, key=lambda p: (len(p.parts), str(p)))


def _said(result: subprocess.CompletedProcess) -> str:
    text = (result.stderr or result.stdout or "").strip()
    return text.splitlines()[-1] if text else f"exit {result.returncode}"


# --- the command --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ssc autostart", description="开机自动启动 / Start the backend at every login."
    )
    parser.add_argument("action", choices=("on", "off", "status"))
    action = parser.parse_args(argv).action
    place = Place.current()
    if action == "on":
        try:
            plan = turn_on(place)
        except Problem as problem:
            print(problem, file=sys.stderr)
            return 1
        _say_on(plan)
        return 0
    if action == "off":
        removed = turn_off(place)
        if not removed:
            print("开机自动启动本来就是关闭的 / Autostart was already off.")
        for path in removed:
            print(f"已删除 / Removed: {path}")
        return 0
    record = recorded(place)
    if record is None:
        print("开机自动启动：关闭 / Autostart: off (ssc autostart on)")
        return OFF
    print(f"开机自动启动：开启 / Autostart: on ({record['kind']})")
    for path in record["files"]:
        state = "" if Path(path).exists() else " (已不存在 / missing: ssc autostart on)"
        print(f"  {path}{state}")
    print(f"  {' '.join(record['command'])}")
    return 0


def _say_on(plan: Plan) -> None:
    print("开机自动启动已开启 / Autostart is on:")
    for path in plan.files:
        print(f"  {path}")
    if plan.starts_now:
        print("后台现在也已启动 / The backend has been started now too (ssc status).")
    else:
        print("下次登录时启动；现在就启动请运行 ssc serve。")
        print("It starts at your next login; to start it now, run ssc serve.")
    print("关闭 / To turn it off: ssc autostart off")

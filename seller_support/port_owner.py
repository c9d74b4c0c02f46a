"""Which program listens on a TCP port, as far as the operating system tells us: `ss` or
`lsof` on Linux and macOS, `netstat -ano` and `tasklist` on Windows. Best effort: None when
no tool answers (not installed, not allowed to see other users' processes, a timeout)."""

from __future__ import annotations

import csv
import io
import platform
import re
import subprocess

TOOL_TIMEOUT_SECONDS = 5
_SS_USER = re.compile(r'users:\(\("(?P<name>[^"]+)",pid=(?P<pid>\d+)')


def who_listens(port: int, system: str | None = None) -> str | None:
    """ "name (pid N)" of the process listening on `port`, or None when unknown."""
    if (system or platform.system()) == "Windows":
        pid = parse_netstat(_output(["netstat", "-ano"]), port)
        if pid is None:
            return None
        name = parse_tasklist(_output(["tasklist", "/FI", f"PID eq {pid}", "/FO", "CSV", "/NH"]))
        return _described(name, pid)
    found = parse_ss(_output(["ss", "-ltnpH", f"sport = :{port}"]))
    if found is None:
        found = parse_lsof(_output(["lsof", "-nP", f"-iTCP:{port}", "-sTCP:LISTEN", "-Fpc"]))
    return None if found is None else _described(*found)


def _output(command: list[str]) -> str:
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TOOL_TIMEOUT_SECONDS,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout


def _described(name: str | None, pid: int) -> str:
    return f"{name or '?'} (pid {pid})"


def parse_ss(text: str) -> tuple[str, int] | None:
    """`ss -ltnpH` lines: `LISTEN 0 128 127.0.0.1:8765 0.0.0.0:* users:(("python3",pid=7,fd=3))`
    (the users part only for processes we may see)."""
    match = _SS_USER.search(text)
    return None if match is None else (match["name"], int(match["pid"]))


def parse_lsof(text: str) -> tuple[str, int] | None:
    """`lsof -Fpc`: one field a line, `p<pid>` then `c<command>`."""
    pid = name = None
    for line in text.splitlines():
        if line.startswith("p") and pid is None:
            pid = int(line[1:])
        elif line.startswith("c") and pid is not None:
            name = line[1:]
            break
    return None if pid is None else (name, pid)


def parse_netstat(text: str, port: int) -> int | None:
    """The pid listening on `port` in `netstat -ano`: a TCP line whose local address ends
    in `:port` and whose remote address is a wildcard (`0.0.0.0:0`, `[::]:0`); the state
    column is not read, as Windows translates it."""
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4 or fields[0].upper() != "TCP":
            continue
        local, remote, pid = fields[1], fields[2], fields[-1]
        if local.rsplit(":", 1)[-1] == str(port) and remote.endswith(":0") and pid.isdigit():
            return int(pid)
    return None


def parse_tasklist(text: str) -> str | None:
    """The image name in `tasklist /FO CSV /NH`: `"python.exe","4321","Console",...`."""
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[1].strip().isdigit():
            return row[0]
    return None

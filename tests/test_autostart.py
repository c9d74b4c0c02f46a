"""`ssc autostart`: each OS's entry made into a temporary home and read back as its OS
reads it, and `off` leaving the home exactly as `on` found it. The real home is never
touched: every Place names a temporary one, the commands `on` would run are recorded, not
run, and the one real `ssc autostart` run gets a temporary HOME and no systemctl."""

from __future__ import annotations

import configparser
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from seller_support.autostart import (
    LABEL,
    UNIT,
    Place,
    plan_for,
    recorded,
    serve_command,
    turn_off,
    turn_on,
)
from seller_support.preflight import Problem

SETTINGS = {"SSC_PORT": "9876", "SSC_DB": "/srv/seller data/100%.sqlite3"}


class Recorder:
    """Stands in for subprocess: records each command; `fail` makes those starting with
    it exit 1. Without `systemd`, `systemctl --user show-environment` fails as it does
    where no user manager runs."""

    def __init__(self, systemd: bool = True, fail: tuple[str, ...] = ()):
        self.systemd, self.fail, self.commands = systemd, fail, []

    def __call__(self, command: list[str]) -> subprocess.CompletedProcess:
        self.commands.append(command)
        failed = (bool(self.fail) and command[: len(self.fail)] == list(self.fail)) or (
            command[-1] == "show-environment" and not self.systemd
        )
        return subprocess.CompletedProcess(command, 1 if failed else 0, "", "no" if failed else "")


def _place(tmp_path: Path, system: str, **env: str) -> Place:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return Place(system, home, {**SETTINGS, **env}, serve_command(), uid=501)


def _only_file(place: Place, runner: Recorder) -> tuple[Path, bytes]:
    (path, content), *others = plan_for(place, runner).files.items()
    assert not others
    return path, content


def test_the_systemd_unit_starts_this_ssc_with_the_settings(tmp_path):
    place = _place(tmp_path, "Linux")
    path, content = _only_file(place, Recorder())
    assert path == place.home / ".config" / "systemd" / "user" / UNIT
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read_string(content.decode())
    assert shlex.split(unit["Service"]["ExecStart"]) == serve_command()
    assert Path(serve_command()[0]).name in ("ssc", "python", Path(sys.executable).name)
    assert unit["Install"]["WantedBy"] == "default.target"
    # systemd's quoting: % is doubled (a specifier otherwise), the value with a space quoted
    assert 'Environment="SSC_DB=/srv/seller data/100%%.sqlite3"' in content.decode()


def test_a_dollar_in_a_setting_is_kept_as_it_is(tmp_path):
    # Environment= expands no variables (ExecStart= does, so there $ is doubled).
    place = _place(tmp_path, "Linux", SSC_DB="/srv/a $b.sqlite3")
    _, content = _only_file(place, Recorder())
    assert 'Environment="SSC_DB=/srv/a $b.sqlite3"' in content.decode()


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian: apt-get install systemd)",
)
def test_systemd_accepts_the_unit(tmp_path):
    """`systemd-analyze --user verify` reads the unit as the user manager would: unknown
    keys, bad quoting and an ExecStart that is not an executable file are all reported."""
    place = _place(tmp_path, "Linux")
    path, content = _only_file(place, Recorder())
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {"HOME": str(place.home), "XDG_RUNTIME_DIR": str(runtime), "PATH": os.environ["PATH"]}
    result = subprocess.run(
        ["systemd-analyze", "--user", "verify", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_without_a_user_manager_linux_gets_an_xdg_autostart_entry(tmp_path):
    place = _place(tmp_path, "Linux", XDG_CONFIG_HOME=str(tmp_path / "home" / "cfg"))
    path, content = _only_file(place, Recorder(systemd=False))
    assert path == place.home / "cfg" / "autostart" / "ssc.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read_string(content.decode())
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name[zh_CN]"] == "卖家客服助手"
    command = shlex.split(desktop["Exec"].replace("%%", "%"))
    assert command == ["env", "SSC_PORT=9876", f"SSC_DB={SETTINGS['SSC_DB']}", *serve_command()]


def test_the_macos_launch_agent_runs_at_load_and_after_a_crash(tmp_path):
    place = _place(tmp_path, "Darwin")
    plan = plan_for(place, Recorder())
    path, content = next(iter(plan.files.items()))
    assert path == place.home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    agent = plistlib.loads(content)
    assert agent["Label"] == LABEL and agent["ProgramArguments"] == serve_command()
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    assert agent["EnvironmentVariables"] == SETTINGS
    assert Path(agent["StandardErrorPath"]).parent in plan.folders
    assert plan.start == [["launchctl", "bootstrap", "gui/501", str(path)]]


def test_the_windows_startup_script_starts_ssc_minimised(tmp_path):
    appdata = r"C:\Users\张三\AppData\Roaming"
    place = Place(
        "Windows",
        tmp_path,
        {"APPDATA": appdata, "SSC_PORT": "9876"},
        [r"C:\Program Files\ssc\ssc.exe", "serve"],
    )
    (path, content), *_ = plan_for(place, Recorder()).files.items()
    startup = Path(appdata) / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
    assert path.parent == startup and path.suffix == ".cmd"
    text = content.decode("utf-8")
    lines = text.split("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # cmd.exe wants CRLF
    assert lines[:2] == ["@echo off", "chcp 65001 >nul"]
    assert 'set "SSC_PORT=9876"' in lines
    assert (
        'start "Seller Support Companion" /min "C:\\Program Files\\ssc\\ssc.exe" "serve"' in lines
    )


def _tree(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize(
    ("system", "systemd"),
    [("Linux", True), ("Linux", False), ("Darwin", True), ("Windows", True)],
    ids=["systemd", "xdg", "macos", "windows"],
)
def test_off_removes_exactly_what_on_made(tmp_path, system, systemd):
    place = _place(tmp_path, system, APPDATA=str(tmp_path / "home" / "AppData" / "Roaming"))
    mine = place.home / ".config" / "mine.conf"  # the seller's own, beside ours
    mine.parent.mkdir(parents=True)
    mine.write_text("keep me")
    before = _tree(place.home)
    runner = Recorder(systemd=systemd)

    plan = turn_on(place, runner)
    assert all(path.exists() for path in plan.files)
    assert recorded(place)["files"] == [str(p) for p in plan.files]
    assert _tree(place.home) != before
    turn_on(place, runner)  # again: replaces its own entry, no refusal
    assert turn_off(place, runner) == list(plan.files)

    assert _tree(place.home) == before
    assert turn_off(place, runner) == []  # off twice: nothing more to do
    if system == "Linux" and systemd:
        assert ["systemctl", "--user", "enable", "--now", UNIT] in runner.commands
        assert runner.commands[-2:] == [
            ["systemctl", "--user", "disable", "--now", UNIT],
            ["systemctl", "--user", "daemon-reload"],
        ]


def test_a_file_that_on_did_not_make_is_left_alone(tmp_path):
    place = _place(tmp_path, "Linux")
    theirs = place.home / ".config" / "autostart" / "ssc.desktop"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("[Desktop Entry]\nName=someone else's\n")
    before = _tree(place.home)
    with pytest.raises(Problem, match="was not made by `ssc autostart on`"):
        turn_on(place, Recorder(systemd=False))
    assert _tree(place.home) == before
    assert turn_off(place, Recorder(systemd=False)) == [] and theirs.exists()


@pytest.mark.parametrize(
    ("system", "where"),
    [("Darwin", "/Volumes/ssc-macos/ssc/ssc"), ("Windows", "{tmp}/Temp1_ssc.zip/ssc/ssc.exe")],
)
def test_a_program_on_a_disk_image_or_in_a_temporary_folder_is_refused(tmp_path, system, where):
    home = _place(tmp_path, system).home
    temp = tmp_path / "AppData" / "Local" / "Temp"  # Windows' %TEMP%
    program = where.format(tmp=temp)
    place = Place(system, home, {**SETTINGS, "TEMP": str(temp)}, [program, "serve"], uid=501)
    before = _tree(place.home)
    with pytest.raises(Problem, match="copy the ssc folder"):
        turn_on(place, Recorder())
    assert _tree(place.home) == before


def test_a_failed_enable_is_undone(tmp_path):
    place = _place(tmp_path, "Linux")
    before = _tree(place.home)
    runner = Recorder(fail=("systemctl", "--user", "enable"))
    with pytest.raises(Problem, match="enable --now ssc.service failed"):
        turn_on(place, runner)
    assert _tree(place.home) == before
    assert ["systemctl", "--user", "disable", "--now", UNIT] in runner.commands


def test_the_command_turns_autostart_on_and_off_in_the_home_it_is_given(tmp_path):
    """The real `ssc autostart` with HOME set to a temporary folder and no PATH (so no
    systemctl: the XDG entry)."""
    env = {"HOME": str(tmp_path), "PATH": "", "SSC_PORT": "9876"}

    def ssc(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "seller_support", "autostart", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    assert ssc("status").returncode == 3
    on = ssc("on")
    assert on.returncode == 0, on.stderr
    entry = tmp_path / ".config" / "autostart" / "ssc.desktop"
    assert str(entry) in on.stdout and "SSC_PORT=9876" in entry.read_text()
    status = ssc("status")
    assert status.returncode == 0 and "on (xdg)" in status.stdout
    off = ssc("off")
    assert off.returncode == 0 and str(entry) in off.stdout
    assert list(tmp_path.iterdir()) == []

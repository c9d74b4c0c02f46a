"""`ssc`: the one command a seller uses. Each subcommand is a module with its own
`main(argv)`; this file picks it, imported only when used (`ssc status` answers without
loading Flask or the rules), and makes sure no traceback reaches the seller."""

from __future__ import annotations

import argparse
import gc
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import platformdirs

from .store import APP_NAME

Main = Callable[[list[str]], int]


def _serve() -> Main:
    # The start makes some 300,000 objects (modules, classes, the rules, the model) that all
    # live as long as the process: collecting while they are made finds no garbage and walks
    # them again and again (about 60 ms of a start's 400 ms of imports). `serve` turns
    # collection back on once the app is built.
    gc.disable()
    from .serve import main

    return main


def _status() -> Main:
    from .status import main

    return main


def _pair() -> Main:
    from .pair import main

    return main


def _autostart() -> Main:
    from .autostart import main

    return main


def _validate_rules() -> Main:
    from .validate_rules import main

    return main


def _export() -> Main:
    from .case_files import export_main

    return export_main


def _import() -> Main:
    from .case_files import import_main

    return import_main


def _team() -> Main:
    from .team_admin import main

    return main


def _doctor() -> Main:
    from .doctor import main

    return main


# name: (help, the subcommand's main, imported when chosen)
COMMANDS: dict[str, tuple[str, Callable[[], Main]]] = {
    "serve": ("启动后台 / run the backend", _serve),
    "status": ("后台是否在运行 / is the backend running", _status),
    "pair": ("新的配对码（Firefox）/ a new pairing code (Firefox)", _pair),
    "autostart": ("开机自动启动 on|off|status / start at login", _autostart),
    "validate-rules": ("检查规则文件 / check the rules files", _validate_rules),
    "export": ("导出案例记录 / export the case log (JSON or CSV)", _export),
    "import": ("导入案例记录 / import a JSON or CSV export", _import),
    "doctor": ("检查问题并给出解决办法 / find problems and their fixes", _doctor),
    "team": ("团队服务器的成员与令牌 / a team server's people and tokens", _team),
}


def _parser() -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<15} {text}" for name, (text, _) in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="ssc",
        description="卖家客服助手后台 / Seller Support Companion backend",
        epilog=f"commands / 命令:\n{listing}\n\nssc COMMAND --help: 每个命令的用法 / its usage",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version")
    parser.add_argument("command", choices=COMMANDS, metavar="COMMAND")
    parser.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


class _Version(argparse.Action):
    """--version, looked up only when asked (importlib.metadata is slow to import)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("seller-support-companion")
        except PackageNotFoundError:  # a bundle without the package's metadata
            found = "unknown"
        print(f"ssc {found}")
        parser.exit()


def main(argv: list[str] | None = None) -> int:
    _never_fail_on_output()
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = _parser().parse_args(argv)
        return COMMANDS[args.command][1]()(args.args)
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug: the seller gets a sentence and a file to send, not a traceback
        print(_crash_report(" ".join(argv[:1])), file=sys.stderr)
        return 70


def _never_fail_on_output() -> None:
    """A console or pipe whose encoding lacks Chinese (cp1252 on an English Windows)
    shows `?` instead of raising mid-message."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _crash_report(command: str) -> str:
    details = traceback.format_exc()
    log = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "ssc-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as file:
            file.write(f"--- {datetime.now().isoformat()} ssc {command}\n{details}")
        where_zh, where_en = f"详情已写入 {log}", f"the details are in {log}"
    except OSError:
        last = details.strip().splitlines()[-1]
        where_zh, where_en = f"错误：{last}", f"error: {last}"
    return (
        f"ssc {command} 意外出错（{where_zh}）。请运行 ssc doctor；"
        f"如果问题仍在，请把该文件发给我们。\n"
        f"ssc {command} failed unexpectedly ({where_en}). Run `ssc doctor`; if the problem "
        f"stays, send us that file."
    )


if __name__ == "__main__":
    sys.exit(main())

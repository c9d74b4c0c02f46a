"""`ssc export` and `ssc import`: the case log to a file and back, in the API's export
formats (web.case_transfer), straight from the case log file, so they work with the
backend running or not.

An import checks every case before it stores any, and stores them in one transaction:
a bad file changes nothing, and the message says what was wrong where."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from .domain.cases import followup_due
from .domain.engine import Engine, build_engine
from .domain.errors import DomainError
from .preflight import (
    Problem,
    case_log_problem,
    check_case_log,
    rules_problem,
    team_database_problem,
)
from .rules import RulesError, configured_rules_dir
from .store import CaseStore, CaseStoreError, default_db_path, open_store
from .store.postgres import is_postgres_url
from .web.case_transfer import export_csv, export_json, import_cases
from .web.errors import APIError, describe_validation_error
from .web.schemas import CaseImport, CaseOwner
from .web.team import DATABASE_URL_ENV

STDOUT = "-"


def export_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ssc export",
        description="导出案例记录 / Export the case log (JSON: for `ssc import`; CSV: for Excel).",
    )
    parser.add_argument("file", help="e.g. cases.json or cases.csv; - for standard output")
    parser.add_argument("--format", choices=("json", "csv"), help="default: from the file name")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    target = args.file
    fmt = args.format or ("csv" if target.lower().endswith(".csv") else "json")
    try:
        if target != STDOUT and Path(target).exists() and not args.force:
            raise Problem(
                f"{target} 已存在，没有覆盖。请换一个文件名，或加 --force 覆盖。",
                f"{target} exists and was left as it is. Choose another name, or add --force "
                f"to replace it.",
            )
        _, store = _open_case_log(must_exist=True)
        _, count = store.list(limit=1)
        if fmt == "json":
            text = export_json(store).model_dump_json(indent=2) + "\n"
        else:
            text = export_csv(store)
        _write(target, text)
    except Problem as problem:
        print(problem, file=sys.stderr)
        return 1
    if target != STDOUT:
        print(f"已导出 {count} 个案例到 {target} / Exported {count} cases to {target}")
    return 0


def import_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ssc import",
        description="导入案例记录 / Import a JSON or CSV export; cases already in the log "
        "are skipped.",
    )
    parser.add_argument("file", help="a file made by ssc export or the extension's export")
    parser.add_argument(
        "--encoding", default="utf-8-sig", help="of a CSV not saved as UTF-8, e.g. gb18030"
    )
    team = parser.add_argument_group(
        "moving to a team server / 迁移到团队服务器",
        "into the team's database, with the store and the person attached to the cases that "
        "name none / 导入团队数据库，为没有店铺或提交人的案例补上",
    )
    team.add_argument("--database-url", help=f"the team's postgresql:// URL (${DATABASE_URL_ENV})")
    team.add_argument("--store-id", help="Seller Central's merchant id (mons_sel_mcid)")
    team.add_argument("--store-name", help="the store's name")
    team.add_argument("--person", help="who filed them")
    args = parser.parse_args(argv)
    try:
        body = _read_import(Path(args.file), args.encoding)
        url = _team_url(args)
        defaults = _attached(args, team=url is not None)
        engine, store = _open_case_log(must_exist=False, url=url)
        try:
            result = import_cases(engine, store, body, datetime.now(UTC), defaults=defaults)
        except (APIError, DomainError) as exc:
            raise _refused(args.file, exc.message) from exc
        except ValidationError as exc:
            raise _refused(args.file, describe_validation_error(exc)) from exc
        except CaseStoreError as exc:  # the file went away or turned read-only meanwhile
            raise case_log_problem(exc) from exc
    except Problem as problem:
        print(problem, file=sys.stderr)
        return 1
    print(
        f"已导入 {result.imported} 个案例，跳过 {result.skipped} 个已有的 / Imported "
        f"{result.imported} cases; skipped {result.skipped} already in the log."
    )
    return 0


def _team_url(args: argparse.Namespace) -> str | None:
    url = args.database_url or os.environ.get(DATABASE_URL_ENV) or None
    if url is not None and not is_postgres_url(url):
        raise Problem(
            f"{DATABASE_URL_ENV} / --database-url 须是 postgresql:// 地址。",
            f"{DATABASE_URL_ENV} / --database-url must be a postgresql:// URL.",
        )
    return url


def _attached(args: argparse.Namespace, team: bool) -> dict:
    """--store-id, --store-name and --person, checked as the API checks them. Into a team's
    database the store and the person are required: cases of no store would be every
    store's duplicates, and cases of no one would read "you filed" to every member."""
    if team and (args.store_id is None or args.person is None):
        raise Problem(
            "导入团队数据库时须给出 --store-id 和 --person（这些工单属于哪个店铺、由谁提交）。",
            "Importing into a team's database needs --store-id and --person (whose store "
            "and whose cases these are).",
        )
    if args.store_name is not None and args.store_id is None:
        raise Problem("--store-name 须与 --store-id 一起使用 / --store-name needs --store-id.")
    given = {"store_id": args.store_id, "store_name": args.store_name, "person": args.person}
    try:
        return CaseOwner.model_validate(given).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise Problem(f"参数无效 / Invalid option: {describe_validation_error(exc)}") from exc


def _refused(file: str, reason: str) -> Problem:
    return Problem(
        f"{file} 没有导入，案例记录没有任何改动：{reason}",
        f"{file} was not imported and the case log is unchanged: {reason}",
        "请改正该处后重试 / Correct it there and try again.",
    )


def _read_import(path: Path, encoding: str) -> CaseImport:
    """The file as the import endpoint's body: a JSON export as it is, else CSV text."""
    try:
        text = path.read_bytes().decode(encoding)
    except OSError as exc:
        raise Problem(
            f"无法读取 {path}（{exc.strerror}）。", f"Cannot read {path} ({exc.strerror})."
        ) from exc
    except UnicodeDecodeError as exc:
        raise Problem(
            f"{path} 不是 {_named(encoding)} 编码（第 {exc.start} 字节）。在 Excel 里用"
            f"“另存为 → CSV UTF-8”保存，或加 --encoding gb18030（Excel 中文版的普通 CSV）。",
            f"{path} is not {_named(encoding)} text (byte {exc.start}). In Excel use Save As -> "
            f"CSV UTF-8, or add --encoding gb18030 (a plain CSV from a Chinese Excel).",
        ) from exc
    except LookupError as exc:
        raise Problem(f"未知的编码 / Unknown encoding: {encoding}") from exc
    try:
        if text.lstrip("\ufeff \t\r\n").startswith("{"):
            return CaseImport.model_validate_json(text.removeprefix("\ufeff"))
        return CaseImport(csv=text)
    except ValidationError as exc:
        raise _refused(str(path), describe_validation_error(exc)) from exc


def _open_case_log(must_exist: bool, url: str | None = None) -> tuple[Engine, CaseStore]:
    """The rules (which date the follow-ups of what is imported) and the case log, as the
    backend opens them: the seller's own, or the team's database at `url`."""
    rules_dir = configured_rules_dir()
    try:
        engine = build_engine(rules_dir)
    except RulesError as exc:
        raise rules_problem(exc) from exc
    if url is not None:
        try:
            return engine, open_store(url, partial(followup_due, engine.rules))
        except CaseStoreError as exc:
            raise team_database_problem(exc) from exc
    path = default_db_path()
    if must_exist and not path.exists():
        raise Problem(
            f"{path} 还没有案例记录（如果记录在别处，请设置环境变量 SSC_DB）。",
            f"There is no case log at {path} yet (if yours is elsewhere, set the SSC_DB "
            f"environment variable).",
        )
    check_case_log(path)
    try:
        return engine, open_store(path, partial(followup_due, engine.rules))
    except CaseStoreError as exc:
        raise case_log_problem(exc) from exc


def _write(target: str, text: str) -> None:
    """All of it or nothing: written beside the target, then moved over it."""
    if target == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))  # bytes: CRLF stays CRLF on Windows
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    part: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=path.parent, delete=False, suffix=".part"
        ) as file:
            part = Path(file.name)
            file.write(text)
        os.replace(part, path)
    except OSError as exc:
        if part is not None:
            part.unlink(missing_ok=True)
        raise Problem(
            f"无法写入 {target}（{exc.strerror}）。请换一个文件夹。",
            f"Cannot write {target} ({exc.strerror}). Choose another folder.",
        ) from exc


def _named(encoding: str) -> str:
    return "UTF-8" if encoding == "utf-8-sig" else encoding

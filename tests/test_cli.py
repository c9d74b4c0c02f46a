"""`ssc`: the commands a seller runs, called as `main(argv)` (their start-up errors through
the real process: tests/test_serve.py; the installed command: tests/test_packaging.py)."""

from __future__ import annotations

import json
import socket
import subprocess

import pytest

from seller_support import cli
from seller_support.autostart import Place, turn_on
from seller_support.doctor import CHECKS
from seller_support.web import create_app

from .conftest import free_port, running_backend

CASES = [
    {
        "text": "货件卡在接收中两周了 / shipment stuck in receiving",
        "category": "logistics",
        "marketplace": "US",
        "filed_at": "2026-07-01T12:00:00+08:00",
    },
    {
        "text": "=HYPERLINK() looks like a formula, and a second line\nhere",
        "category": "listing_removed",
        "marketplace": "jp",  # stored in its canonical spelling
        "filed_at": "2026-07-02T09:30:00+09:00",
        "status": "replied",
        "replied_at": "2026-07-03T01:00:00Z",
    },
]


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """A temporary home and settings of the test's own (a free port, a new case log)."""
    for name in ("SSC_HOST", "SSC_RULES_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SSC_PORT", str(free_port()))
    monkeypatch.setenv("SSC_DB", str(tmp_path / "cases.sqlite3"))
    return tmp_path


def _ssc(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_is_listed_and_answers_help(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    listing = capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("ssc 0.")
    for name in cli.COMMANDS:
        assert name in listing
        with pytest.raises(SystemExit) as done:
            cli.main([name, "--help"])
        assert done.value.code == 0 and f"ssc {name}" in capsys.readouterr().out


# --- status -------------------------------------------------------------------------------


def test_status_says_not_running(home, capsys):
    code, out, _ = _ssc(capsys, "status")
    assert code == 3
    assert "not running" in out and "ssc serve" in out and str(home / "cases.sqlite3") in out


def test_status_of_a_running_backend_gives_its_rules_version(home, capsys, monkeypatch, client):
    with running_backend(home / "cases.sqlite3") as (url, _):
        monkeypatch.setenv("SSC_PORT", url.rsplit(":", 1)[1])
        code, out, _ = _ssc(capsys, "status")
    assert code == 0
    version = client.get("/api/v1/health").json["rules_version"]
    assert f"is running at {url}" in out and f"Rules version: {version} (ok)" in out


def test_status_names_another_program_on_the_port(home, capsys, monkeypatch):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        monkeypatch.setenv("SSC_PORT", str(other.getsockname()[1]))
        code, out, _ = _ssc(capsys, "status")
    assert code == 1 and "Another program answers" in out


# --- export and import --------------------------------------------------------------------


def _api(db):
    return create_app({"TESTING": True, "CASES_DB": str(db)}).test_client()


def test_export_writes_the_apis_export_and_import_takes_it_back(home, capsys, monkeypatch):
    api = _api(home / "cases.sqlite3")
    assert api.post("/api/v1/cases/import", json={"cases": CASES}).status_code == 200
    assert _ssc(capsys, "export", str(home / "cases.json"))[0] == 0
    assert _ssc(capsys, "export", str(home / "cases.csv"))[0] == 0
    api_json = api.get("/api/v1/cases/export?format=json").json
    assert json.loads((home / "cases.json").read_text("utf-8")) == api_json
    csv = api.get("/api/v1/cases/export?format=csv").data
    assert (home / "cases.csv").read_bytes() == csv  # BOM, CRLF, formula escape and all

    monkeypatch.setenv("SSC_DB", str(home / "restored.sqlite3"))
    code, out, _ = _ssc(capsys, "import", str(home / "cases.json"))
    assert code == 0 and "Imported 2 cases; skipped 0" in out
    code, out, _ = _ssc(capsys, "import", str(home / "cases.csv"))
    assert code == 0 and "Imported 0 cases; skipped 2" in out
    restored = _api(home / "restored.sqlite3").get("/api/v1/cases/export?format=json").json
    same = ("text", "category", "marketplace", "status", "filed_at", "replied_at")
    assert [{k: c[k] for k in same} for c in restored["cases"]] == [
        {k: c[k] for k in same} for c in api_json["cases"]
    ]


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        (
            "bad.json",
            json.dumps({"cases": [CASES[0], {**CASES[1], "marketplace": "XX"}]}),
            "cases.1",
        ),
        ("bad.json", '{"cases": [', "Invalid JSON"),
        (
            "bad.csv",
            "text,category,marketplace,filed_at\r\nok,logistics,US,2026-07-05T00:00:00Z\r\n"
            "bad,logistics,US,yesterday\r\n",
            "csv line 3",
        ),
    ],
    ids=["unknown-marketplace", "truncated-json", "bad-date"],
)
def test_a_bad_import_changes_nothing_and_says_where(home, capsys, name, content, where):
    api = _api(home / "cases.sqlite3")
    api.post("/api/v1/cases/import", json={"cases": CASES[:1]})
    before = api.get("/api/v1/cases/export?format=json").json
    (home / name).write_text(content, encoding="utf-8")
    code, _, err = _ssc(capsys, "import", str(home / name))
    assert code == 1
    assert where in err and "case log is unchanged" in err and "案例记录没有任何改动" in err
    assert api.get("/api/v1/cases/export?format=json").json == before


def test_a_csv_saved_by_a_chinese_excel_is_explained_then_read(home, capsys):
    path = home / "excel.csv"
    path.write_bytes(
        "text,category,marketplace,filed_at\r\n货件丢失,logistics,US,2026-07-05T00:00:00Z\r\n"
        .encode("gb18030")
    )  # fmt: skip
    code, _, err = _ssc(capsys, "import", str(path))
    assert code == 1 and "CSV UTF-8" in err and "--encoding gb18030" in err
    code, out, _ = _ssc(capsys, "import", str(path), "--encoding", "gb18030")
    assert code == 0 and "Imported 1 cases" in out
    text = _api(home / "cases.sqlite3").get("/api/v1/cases/export?format=json").json
    assert text["cases"][0]["text"] == "货件丢失"


def test_export_keeps_an_existing_file_unless_forced(home, capsys):
    _api(home / "cases.sqlite3").post("/api/v1/cases/import", json={"cases": CASES})
    target = home / "cases.json"
    target.write_text("my notes")
    code, _, err = _ssc(capsys, "export", str(target))
    assert code == 1 and "--force" in err and target.read_text() == "my notes"
    assert _ssc(capsys, "export", str(target), "--force")[0] == 0
    assert json.loads(target.read_text("utf-8"))["total"] == 2


def test_export_without_a_case_log_creates_none(home, capsys):
    code, _, err = _ssc(capsys, "export", str(home / "cases.json"))
    assert code == 1 and "no case log" in err and "SSC_DB" in err
    assert not (home / "cases.sqlite3").exists() and not (home / "cases.json").exists()


# --- doctor -------------------------------------------------------------------------------


def test_doctor_on_a_sound_set_up_says_all_is_well_and_creates_nothing(home, capsys):
    code, out, _ = _ssc(capsys, "doctor")
    assert code == 0, out
    assert out.count("[OK]") == len(CHECKS)
    assert "free for the backend" in out and "made at the first start" in out
    assert not (home / "cases.sqlite3").exists()


def test_doctor_names_each_problem_with_its_fix(home, capsys, monkeypatch):
    monkeypatch.setenv("SSC_PORT", "abc")
    monkeypatch.setenv("SSC_RULES_DIR", str(home))  # no rules files there
    monkeypatch.setenv("SSC_DB", str(home))  # a folder
    gone = Place.current()
    turn_on(
        Place(gone.system, gone.home, {}, [str(home / "uninstalled" / "ssc"), "serve"]),
        run=lambda command: subprocess.CompletedProcess(command, 1),  # no systemd: XDG
    )
    code, out, _ = _ssc(capsys, "doctor")
    assert code == 1
    assert out.count("[!!]") == 4 and "[--] 模型 / model" in out
    for fix in ("SSC_PORT", "ssc validate-rules", "a folder, not a file", "ssc autostart on"):
        assert fix in out


# --- no traceback -------------------------------------------------------------------------


def test_an_unexpected_error_is_a_sentence_and_a_log_file(home, capsys, monkeypatch):
    def broken(argv):
        raise RuntimeError("a bug")

    monkeypatch.setitem(cli.COMMANDS, "status", ("", lambda: broken))
    code, out, err = _ssc(capsys, "status")
    assert code == 70 and "Traceback" not in out + err
    assert "ssc doctor" in err and "意外出错" in err
    log = next(home.rglob("ssc-error.log"))
    assert str(log) in err and "RuntimeError: a bug" in log.read_text()

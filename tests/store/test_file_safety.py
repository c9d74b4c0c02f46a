"""The case log touches only its own file, and never acknowledges a write that is not in it:
application_id marks ours, foreign files are refused before anything changes, an unmarked
log of ours from before the mark is adopted, damaged and read-only files stop the start
with a message that names the file and the fix, and a file deleted or replaced while the
backend runs fails every later call instead of answering 201 for writes that vanish."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from seller_support.domain.cases import followup_due
from seller_support.rules import load_rules
from seller_support.store import (
    APPLICATION_ID,
    CaseLogBusy,
    CaseLogUnavailable,
    CaseStoreError,
    SqliteCaseStore,
    open_store,
)
from seller_support.store import sqlite as sqlite_store
from seller_support.store.migrations import MIGRATIONS, _statements

from ..conftest import call_json, free_port, running_backend

REPO = Path(__file__).resolve().parents[2]
FILED = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
SIDE_FILES = ("-wal", "-shm", "-journal")


def _add(store, **overrides) -> dict:
    fields = {"text": "Shipment stuck", "category": "logistics", "marketplace": "US"}
    return store.add(**{**fields, **overrides})


def _fingerprint(path: Path) -> tuple:
    """The file's bytes and which side files exist next to it."""
    return (
        hashlib.sha256(path.read_bytes()).hexdigest(),
        [s for s in SIDE_FILES if Path(f"{path}{s}").exists()],
    )


def _foreign(path: Path, script: str) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()
    return path


def _version_1_log(path: Path, texts: list[str]) -> Path:
    """A case log as the backend made it before application_id: migration 1, WAL mode."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    for text in texts:
        conn.execute(
            "INSERT INTO cases (text, category, marketplace, contact_method, filed_at,"
            " updated_at) VALUES (?, 'logistics', 'US', 'case', ?, ?)",
            (text, FILED.isoformat(), FILED.isoformat()),
        )
    conn.close()
    return path


# --- ours, and only ours -----------------------------------------------------------------


def test_a_new_file_is_initialised_and_marked_as_ours(tmp_path):
    path = tmp_path / "cases.sqlite3"
    SqliteCaseStore(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert APPLICATION_ID == int.from_bytes(b"SSC1", "big")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()  # an empty file is a new log too
    _add(SqliteCaseStore(empty))


FOREIGN = {
    "another application's id": "PRAGMA application_id = 42; CREATE TABLE notes (body);",
    "foreign tables, no cases table": "CREATE TABLE notes (body); INSERT INTO notes VALUES (1);",
    "a cases table of another shape": "CREATE TABLE cases (id INTEGER PRIMARY KEY, title TEXT);",
    "our old schema with a foreign table": MIGRATIONS[0]
    + "; CREATE TABLE notes (body TEXT); PRAGMA user_version = 1;",
    "another id, our schema": MIGRATIONS[0] + "; PRAGMA application_id = 7;",
}


@pytest.mark.parametrize("script", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_database_that_is_not_ours_is_refused_before_anything_changes(tmp_path, script):
    path = _foreign(tmp_path / "other-app.sqlite3", script)
    before = _fingerprint(path)
    with pytest.raises(CaseStoreError, match="not a Seller Support Companion case log") as error:
        open_store(path)
    assert str(path) in str(error.value) and "SSC_DB" in str(error.value)
    assert _fingerprint(path) == before  # not switched to WAL, no table added, no side file
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database, but someone's notes\n" * 200)
    before = _fingerprint(path)
    with pytest.raises(CaseStoreError, match="not a SQLite database"):
        open_store(path)
    assert _fingerprint(path) == before


def test_an_unmarked_log_of_ours_from_before_is_adopted_and_migrated(tmp_path):
    path = _version_1_log(tmp_path / "cases.sqlite3", ["Ｍｙ ＦＢＡ shipment, stuck!", "第二个"])
    store = SqliteCaseStore(path, partial(followup_due, load_rules()))  # as the app opens it
    assert store.schema_version == len(MIGRATIONS)
    conn = store._conn()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    rows = conn.execute("SELECT text, normalized, words FROM cases ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("Ｍｙ ＦＢＡ shipment, stuck!", "My FBA shipment, stuck!", "my fba shipment stuck"),
        ("第二个", None, "第二个"),  # normalised like the text: kept once
    ]
    assert [c["text"] for c in store.list()[0]] == ["第二个", "Ｍｙ ＦＢＡ shipment, stuck!"]
    store.close()
    SqliteCaseStore(path).close()  # and opens again as ours


def test_new_cases_are_stored_with_their_text_normalised(tmp_path):
    store = SqliteCaseStore(tmp_path / "cases.sqlite3")
    _add(store, text="ＡＳＩＮ Ｂ０ＡＢＣＤ１２３４ removed…")
    store.add_many(
        [{"text": "Order １１４-１１１１１１１-２２２２２２２", "category": "logistics",
          "marketplace": "US", "contact_method": "case", "filed_at": FILED, "status": "open"}]
    )  # fmt: skip
    rows = store._conn().execute("SELECT normalized, words FROM cases ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("ASIN B0ABCD1234 removed...", "asin b0abcd1234 removed"),
        ("Order 114-1111111-2222222", "order 114 1111111 2222222"),
    ]


# --- start-up checks ---------------------------------------------------------------------


def _damaged_log(path: Path) -> Path:
    store = SqliteCaseStore(path)
    store.add_many(
        {"text": f"case {i} " + "x" * 400, "category": "logistics", "marketplace": "US",
         "contact_method": "case", "filed_at": FILED, "status": "open"}
        for i in range(400)
    )  # fmt: skip
    store._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for n in range(3, len(data) // page - 1, 3):  # scribble over every third page's cells
        data[n * page + 200 : n * page + 3000] = os.urandom(2800)
    path.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    return path


def test_a_damaged_file_stops_the_start_with_a_clear_error(tmp_path):
    path = _damaged_log(tmp_path / "cases.sqlite3")
    with pytest.raises(CaseStoreError, match="damaged") as error:
        open_store(path)
    assert str(path) in str(error.value) and "backup" in str(error.value)


def _serve(db: Path, *, unprivileged: bool = False, timeout: float = 20) -> tuple[int | None, str]:
    """Start `make run`'s server on `db`; its exit status and stderr, or None if it was
    still running (serving) after `timeout` seconds."""
    env = {**os.environ, "SSC_HOST": "127.0.0.1", "SSC_PORT": str(free_port()), "SSC_DB": str(db)}
    env["PYTHONPATH"] = str(REPO)
    process = subprocess.Popen(
        [sys.executable, "-m", "seller_support.serve"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_drop_privileges if unprivileged and os.geteuid() == 0 else None,
    )
    try:
        _, err = process.communicate(timeout=timeout)
        return process.returncode, err
    except subprocess.TimeoutExpired:
        process.terminate()
        _, err = process.communicate(timeout=10)
        return None, err


def test_the_server_does_not_start_on_a_damaged_file(tmp_path):
    path = _damaged_log(tmp_path / "cases.sqlite3")
    status, err = _serve(path)
    assert status == 1, err
    assert "damaged" in err and str(path) in err and "quick_check" in err


def _drop_privileges() -> None:
    """Root may write any file: the server runs without CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH (dropped from the bounding set, so lost at exec), so that file
    permissions bind it like any user."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_log_stops_the_start_naming_the_file_and_the_fix(tmp_path, read_only):
    folder = tmp_path / "log"
    path = folder / "cases.sqlite3"
    store = SqliteCaseStore(path)
    _add(store)
    store.close()
    del store  # its last connection closed: no -wal or -shm left
    os.chmod(path, 0o444 if read_only == "file" else 0o644)
    os.chmod(folder, 0o755 if read_only == "file" else 0o555)
    try:
        status, err = _serve(path, unprivileged=True)
    finally:
        os.chmod(folder, 0o755)
    assert status == 1, f"the server started on a read-only log: {err}"
    assert str(path) in err and "read-only" in err
    assert "chmod" in err and "SSC_DB" in err and "restart the backend" in err


# --- the file stays the one we opened -----------------------------------------------------


def _delete(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_a_deleted_file_fails_every_later_call_until_a_restart(tmp_path):
    path = tmp_path / "cases.sqlite3"
    store = SqliteCaseStore(path)
    case = _add(store)
    _delete(path)
    for call in (lambda: _add(store), lambda: store.get(case["id"]), store.list):
        with pytest.raises(CaseLogUnavailable, match="deleted or replaced") as error:
            call()
        assert str(path) in str(error.value) and "Restart the backend" in str(error.value)
        assert "重启后端" in str(error.value)

    failures: list[BaseException] = []

    def other_thread() -> None:  # a worker thread's first connection must not make a new file
        try:
            _add(store)
        except BaseException as exc:  # noqa: BLE001 - checked below
            failures.append(exc)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert [type(e) for e in failures] == [CaseLogUnavailable]
    assert not path.exists()
    SqliteCaseStore(path).close()  # a new file appears at the path: still refused
    with pytest.raises(CaseLogUnavailable):
        _add(store)


def test_a_replaced_file_fails_writes(tmp_path):
    path = tmp_path / "cases.sqlite3"
    store = SqliteCaseStore(path)
    _add(store)
    other = tmp_path / "restored.sqlite3"
    _add(SqliteCaseStore(other), text="from a backup")
    os.replace(other, path)
    with pytest.raises(CaseLogUnavailable, match="deleted or replaced"):
        _add(store)


def test_a_log_another_program_holds_locked_is_busy_and_loses_nothing(tmp_path, monkeypatch):
    """A database browser or a backup holding the write lock past busy_timeout: the write
    is refused as busy (503 case_log_busy, "try again"), not as an internal error, and
    goes through once the lock is gone."""
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "cases.sqlite3"
    store = SqliteCaseStore(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CaseLogBusy, match="locked by another program") as refused:
            _add(store, text="while locked")
        assert "锁定" in str(refused.value) and str(path) in str(refused.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    _add(store, text="while locked")
    assert [case["text"] for case in store.list()[0]] == ["while locked"]


def test_no_201_after_the_file_is_deleted_under_the_running_server(tmp_path):
    path = tmp_path / "cases.sqlite3"
    case = {"text": "Shipment stuck", "category": "logistics", "marketplace": "US"}
    with running_backend(path) as (base_url, _):
        assert call_json(base_url, "POST", "/api/v1/cases", case, timeout=10)[0] == 201
        _delete(path)
        answers = [
            call_json(base_url, "POST", "/api/v1/cases", {**case, "text": f"after {i}"}, timeout=10)
            for i in range(20)
        ]
    assert [status for status, _ in answers] == [503] * 20
    for _, body in answers:
        assert body["code"] == "case_log_unavailable"
        assert str(path) in body["message"] and "Restart the backend" in body["message"]
    with running_backend(path) as (base_url, _):  # the restart starts a new, empty log
        with urllib.request.urlopen(f"{base_url}/api/v1/cases", timeout=10) as response:
            assert json.loads(response.read())["total"] == 0

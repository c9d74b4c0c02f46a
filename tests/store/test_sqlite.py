"""The case log on SQLite: CRUD, migrations, concurrent writers, and durability after a kill."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from seller_support.domain.cases import followup_due
from seller_support.rules import load_rules
from seller_support.store import SqliteCaseStore, default_db_path
from seller_support.store.migrations import MIGRATIONS, _statements, register_functions

FILED = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)


def _add(store: SqliteCaseStore, **overrides) -> dict:
    fields = {"text": "Shipment stuck", "category": "logistics", "marketplace": "US"}
    return store.add(**{**fields, **overrides})


def test_crud(tmp_path):
    store = SqliteCaseStore(tmp_path / "cases.sqlite3")
    case = _add(store, filed_at=FILED, case_id="12345678901")
    assert case["id"] == 1
    assert case["status"] == "open" and case["replied_at"] is None
    assert case["filed_at"] == "2026-07-01T16:00:00+00:00"
    assert store.get(case["id"]) == case

    replied = datetime(2026, 7, 2, 9, 30, tzinfo=UTC)
    updated = store.update(case["id"], {"status": "replied", "replied_at": replied})
    assert updated["status"] == "replied"
    assert updated["replied_at"] == "2026-07-02T09:30:00+00:00"
    assert store.update(999, {"status": "resolved"}) is None
    with pytest.raises(ValueError):
        store.update(case["id"], {"text": "rewritten"})

    assert store.delete(case["id"]) is True
    assert store.delete(case["id"]) is False
    assert store.get(case["id"]) is None


def test_list_filters_pages_and_orders_newest_first(tmp_path):
    store = SqliteCaseStore(tmp_path / "cases.sqlite3")
    for i in range(5):
        _add(store, marketplace="US" if i % 2 == 0 else "UK", filed_at=FILED + timedelta(hours=i))
    rows, total = store.list()
    assert total == 5
    assert [r["filed_at"] for r in rows] == sorted((r["filed_at"] for r in rows), reverse=True)
    rows, total = store.list(marketplace="US", limit=2, offset=1)
    assert total == 3 and len(rows) == 2
    assert all(r["marketplace"] == "US" for r in rows)
    assert store.list(status="resolved") == ([], 0)


def test_naive_times_are_refused(tmp_path):
    store = SqliteCaseStore(tmp_path / "cases.sqlite3")
    with pytest.raises(ValueError, match="offset"):
        _add(store, filed_at=datetime(2026, 7, 1, 12, 0))


def test_wal_and_full_sync(tmp_path):
    store = SqliteCaseStore(tmp_path / "cases.sqlite3")
    conn = store._conn()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrations_are_versioned_and_idempotent_on_reopen(tmp_path):
    path = tmp_path / "cases.sqlite3"
    store = SqliteCaseStore(path)
    assert store.schema_version == len(MIGRATIONS)
    case = _add(store)
    store.close()
    for _ in range(3):
        reopened = SqliteCaseStore(path)
        assert reopened.schema_version == len(MIGRATIONS)
        assert reopened.get(case["id"]) == case
        reopened.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "cases.sqlite3"
    SqliteCaseStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this backend"):
        SqliteCaseStore(path)


def _version_3_log(path: Path, cases: list[tuple[str, str, datetime]]) -> Path:
    """A case log as the backend made it before follow-up times were kept, with `cases`
    (marketplace, contact_method, filed_at)."""
    conn = sqlite3.connect(path, isolation_level=None)
    register_functions(conn)
    for script in MIGRATIONS[:3]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    for marketplace, method, filed_at in cases:
        conn.execute(
            "INSERT INTO cases (text, category, marketplace, contact_method, filed_at,"
            " updated_at) VALUES ('Shipment stuck', 'logistics', ?, ?, ?, ?)",
            (marketplace, method, filed_at.isoformat(), filed_at.isoformat()),
        )
    conn.close()
    return path


OLD_CASES = [
    ("US", "case", datetime(2026, 11, 26, 15, 0, tzinfo=UTC)),  # Thanksgiving: 5 working days
    ("UK", "case", datetime(2026, 7, 1, 9, 0, tzinfo=UTC)),
    ("US", "phone", datetime(2026, 7, 1, 9, 0, tzinfo=UTC)),
]


def test_cases_from_before_get_the_domains_follow_up_time_in_the_migration(tmp_path):
    rules = load_rules()
    path = _version_3_log(tmp_path / "cases.sqlite3", OLD_CASES)
    store = SqliteCaseStore(path, partial(followup_due, rules))
    assert store.schema_version == len(MIGRATIONS)
    stored = [store.get(pk)["followup_due_at"] for pk in (1, 2, 3)]
    expected = [followup_due(rules, *case) for case in OLD_CASES]
    assert stored == [None if e is None else e.isoformat() for e in expected]
    assert stored[2] is None  # phone: no follow-up


def test_without_the_rules_a_log_with_old_cases_is_left_as_it_was(tmp_path):
    path = _version_3_log(tmp_path / "cases.sqlite3", OLD_CASES)
    with pytest.raises(sqlite3.OperationalError):
        SqliteCaseStore(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == len(OLD_CASES)
    store = SqliteCaseStore(path, partial(followup_due, load_rules()))
    assert store.schema_version == len(MIGRATIONS)


def test_due_followups_page_through_the_index_in_due_order(tmp_path):
    store = SqliteCaseStore(tmp_path / "cases.sqlite3")
    due = [FILED + timedelta(hours=h) for h in (5, 1, 3, 3, 2)]
    for i, at in enumerate(due):
        _add(store, filed_at=FILED - timedelta(hours=i), followup_due_at=at)
    _add(store, filed_at=FILED, followup_due_at=None)  # phone or chat: never due
    _add(store, filed_at=FILED, followup_due_at=FILED, status="replied")
    conn = store._conn()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)  # each with its values filled in
    at = FILED + timedelta(hours=4)
    first = store.due_followups(at, limit=2)
    rest = store.due_followups(at, start_after=(first[-1]["followup_due_at"], first[-1]["id"]))
    order = [(c["followup_due_at"], c["id"]) for c in first + rest]
    assert order == sorted(order) and len(order) == 4 == store.count_due_followups(at)
    conn.set_trace_callback(None)
    for sql in statements:
        plan = " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "cases_followup_due" in plan and "TEMP B-TREE" not in plan, plan


def test_ssc_db_overrides_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SSC_DB", str(tmp_path / "elsewhere.sqlite3"))
    assert default_db_path() == tmp_path / "elsewhere.sqlite3"
    monkeypatch.delenv("SSC_DB")
    assert default_db_path().name == "cases.sqlite3"
    assert "seller-support-companion" in str(default_db_path())


def test_concurrent_writers_lose_nothing(tmp_path):
    """8 threads (tabs) × 50 inserts, each thread on its own connection: all 400 are stored."""
    path = tmp_path / "cases.sqlite3"
    store = SqliteCaseStore(path)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(50):
                store.add(text=f"writer {n} case {i}", category="logistics", marketplace="US")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows, total = SqliteCaseStore(path).list(limit=None)
    assert total == 400
    assert {r["text"] for r in rows} == {
        f"writer {n} case {i}" for n in range(8) for i in range(50)
    }


def test_writers_in_separate_processes_lose_nothing(tmp_path):
    """Two backends (or a backend and an import script) on one file."""
    path = tmp_path / "cases.sqlite3"
    script = (
        "import sys; from seller_support.store import SqliteCaseStore\n"
        "s = SqliteCaseStore(sys.argv[1])\n"
        "for i in range(100):\n"
        "    s.add(text=f'{sys.argv[2]} {i}', category='other', marketplace='US')\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), f"p{n}"]) for n in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    assert SqliteCaseStore(path).list(limit=None)[1] == 300


KILL_WRITER = """
import sys
from seller_support.store import SqliteCaseStore
store = SqliteCaseStore(sys.argv[1])
for i in range(100_000):
    case = store.add(text=f"durable {i}", category="logistics", marketplace="US")
    print(case["id"], case["text"], flush=True)  # acknowledged only after the commit
"""


def test_acknowledged_writes_survive_a_kill(tmp_path):
    path = tmp_path / "cases.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    acknowledged: dict[int, str] = {}
    deadline = time.monotonic() + 60
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        pk, text = line.rstrip("\n").split(" ", 1)
        acknowledged[int(pk)] = text
    proc.send_signal(signal.SIGKILL)  # mid-loop: the next write may be half done
    rest, _ = proc.communicate(timeout=10)
    for line in rest.splitlines():  # printed before the kill: acknowledged too
        pk, text = line.split(" ", 1)
        acknowledged[int(pk)] = text
    assert proc.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 200

    reopened = SqliteCaseStore(path)
    integrity = reopened._conn().execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"
    for pk, text in acknowledged.items():
        stored = reopened.get(pk)
        assert stored is not None and stored["text"] == text, pk
    reopened.add(text="after the crash", category="logistics", marketplace="US")

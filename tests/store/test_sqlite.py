"""The case log on SQLite, what only its file has: WAL and full sync, migrations counted in
user_version (old logs migrated with the rules), the follow-up index's plan, and
durability after a kill. The behaviour both stores share is in test_store.py."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from seller_support.domain.cases import followup_due
from seller_support.rules import load_rules
from seller_support.store import SqliteCaseStore
from seller_support.store.migrations import MIGRATIONS, _statements, register_functions

FILED = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)


def _add(store: SqliteCaseStore, **overrides) -> dict:
    fields = {"text": "Shipment stuck", "category": "logistics", "marketplace": "US"}
    return store.add(**{**fields, **overrides})


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


def test_a_version_4_log_gains_stores_and_people_and_keeps_its_cases(tmp_path):
    path = tmp_path / "cases.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    register_functions(conn)
    conn.create_function("ssc_followup_due", 3, lambda *_: None)
    for script in MIGRATIONS[:4]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    conn.execute(
        "INSERT INTO cases (text, category, marketplace, contact_method, filed_at, updated_at,"
        " words) VALUES ('Shipment stuck', 'logistics', 'US', 'case', ?, ?, 'shipment stuck')",
        (FILED.isoformat(), FILED.isoformat()),
    )
    conn.close()
    store = SqliteCaseStore(path)
    assert store.schema_version == len(MIGRATIONS) == 5
    case = store.get(1)
    assert case["text"] == "Shipment stuck" and case["store_id"] is None
    assert store.update(1, {"store_id": "A1", "person": "Li"})["person"] == "Li"
    assert store.people() == []


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

"""The team's case log on PostgreSQL, what only it has: migrations that several processes
starting together run once, writers in several processes, the duplicate candidates found
through the trigram index, tokens kept hashed, the server going away and coming back, and a
personal install that never loads the driver."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from seller_support.store import (
    CaseLogUnavailable,
    CaseStoreError,
    PostgresCaseStore,
    open_store,
)
from seller_support.store.base import SCAN_FACTOR, token_hash
from seller_support.store.postgres import candidate_query
from seller_support.store.postgres_migrations import MIGRATIONS
from seller_support.store.text import similarity
from tests.postgres import with_database

FILED = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)


@pytest.fixture()
def store(postgres_db):
    opened = open_store(postgres_db)
    yield opened
    opened.close()


def _sql(url: str, query: str, args=()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(query, args)
        return cursor.fetchall() if cursor.description else []


OPENER = """
import sys, time
from seller_support.store import open_store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start together
store = open_store(sys.argv[1])
print(store.schema_version)
store.close()
"""


def test_processes_starting_together_migrate_once(postgres_db):
    start_at = str(time.time() + 2)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, postgres_db, start_at],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [err for _, err in results]
    assert {out.strip() for out, _ in results} == {str(len(MIGRATIONS))}
    applied = _sql(postgres_db, "SELECT version FROM ssc_schema_migrations ORDER BY version")
    assert applied == [(v,) for v in range(1, len(MIGRATIONS) + 1)]


def test_a_database_with_a_foreign_cases_table_is_refused(postgres_db):
    _sql(postgres_db, "CREATE TABLE cases (id int, title text)")
    with pytest.raises(CaseStoreError, match="did not make"):
        open_store(postgres_db)
    assert _sql(postgres_db, "SELECT to_regclass('ssc_schema_migrations')") == [(None,)]


def test_a_database_of_the_c_character_type_is_refused(postgres_url):
    """Under the C ctype pg_trgm finds no word in Chinese: no Chinese case would be alike."""
    _sql(postgres_url, "CREATE DATABASE c_ctype TEMPLATE template0 LOCALE 'C'")
    with pytest.raises(CaseStoreError, match="C.UTF-8"):
        open_store(with_database(postgres_url, "c_ctype"))


def test_a_newer_schema_is_refused(store, postgres_db):
    _sql(postgres_db, "INSERT INTO ssc_schema_migrations (version) VALUES (%s)", (99,))
    with pytest.raises(CaseStoreError, match="newer than this backend"):
        open_store(postgres_db)


WRITER = """
import sys
from seller_support.store import open_store
store = open_store(sys.argv[1])
for i in range(200):
    store.add(text=f"{sys.argv[2]} {i}", category="other", marketplace="US", person=sys.argv[2])
store.close()
"""


def test_writers_in_four_processes_lose_nothing(store, postgres_db):
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, postgres_db, f"p{n}"]) for n in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    rows, total = store.list(limit=None)
    assert total == 800 and len({r["id"] for r in rows}) == 800
    assert {r["text"] for r in rows} == {f"p{n} {i}" for n in range(4) for i in range(200)}
    assert store.list(person="p2")[1] == 200


def test_candidates_are_found_through_the_indexes(store, postgres_db):
    """With 100,000 cases in the window (at 20,000 the planner still prefers a scan): an id
    finds its case at any age through the trigram index; alike words are looked for among
    the window's newest `SCAN_FACTOR` × limit (a bounded cost), the most alike first."""
    _sql(
        postgres_db,
        "INSERT INTO cases (text, category, marketplace, contact_method, filed_at, updated_at,"
        " words) SELECT 'case ' || g, 'logistics', 'US', 'case',"
        " %s - g * interval '1 minute', now(), 'filler ' || md5(g::text)"
        " FROM generate_series(1, 100000) AS g",
        (FILED,),
    )
    alike = "Inbound shipment FBA15ABCD stuck at the warehouse"
    recent = store.add(text=alike, category="inventory", marketplace="US", filed_at=FILED)
    too_old = store.add(
        text=alike, category="inventory", marketplace="US", filed_at=FILED - timedelta(days=3)
    )
    by_order = store.add(
        text="Order 113-1234567-7654321 was never delivered",
        category="orders", marketplace="US", filed_at=FILED - timedelta(days=9),
    )  # fmt: skip
    _sql(postgres_db, "ANALYZE cases")
    how = {"words": "inbound shipment stuck in the warehouse", "ids": ["113-1234567-7654321"]}
    found = store.duplicate_candidates(
        "US", "payments", FILED - timedelta(days=30), FILED, 10, **how
    )
    assert [c["id"] for c in found] == [recent["id"], by_order["id"]]
    assert too_old["id"] not in {c["id"] for c in found}  # 100,000 newer: beyond the scan

    query, params = candidate_query(False, True, how["ids"])
    params.update(
        market="US", category="payments", since=FILED - timedelta(days=30), until=FILED,
        limit=10, words=how["words"], ids=how["ids"], scan=SCAN_FACTOR * 10,
    )  # fmt: skip
    with psycopg.connect(postgres_db) as conn:
        plan = "\n".join(r[0] for r in conn.execute(f"EXPLAIN {query}", params))
    assert "cases_open_words" in plan and "Seq Scan" not in plan, plan


def test_the_similarity_of_the_sqlite_log_is_pg_trgms(store, postgres_db):
    pairs = [
        ("inbound shipment stuck", "inbound shipment stuck in the warehouse"),
        ("我的货件卡在仓库三天了", "货件卡在仓库三天"),
        ("refund for order 113 1234567", "order 113 1234567 refund"),
        ("abc", "xyz"),
    ]
    for a, b in pairs:
        (theirs,) = _sql(postgres_db, "SELECT similarity(%s, %s)", (a, b))[0]
        assert similarity(a, b) == pytest.approx(theirs, abs=1e-6), (a, b)


def test_only_the_tokens_hash_is_stored(store, postgres_db):
    token = store.add_person("Li")
    stored = _sql(postgres_db, "SELECT name, token_hash FROM people")
    assert stored == [("Li", token_hash(token))]
    everything = str(_sql(postgres_db, "SELECT * FROM people"))
    assert token not in everything


def test_a_server_that_goes_away_fails_the_call_and_one_that_returns_serves_again(
    postgres_url, postgres_db
):
    store, impatient = PostgresCaseStore(postgres_db), PostgresCaseStore(postgres_db, timeout=1)
    store.add(text="before", category="other", marketplace="US")
    name = postgres_db.rsplit("/", 1)[1]
    kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
    _sql(postgres_url, kill, (name,))  # every pooled connection is cut, as by a restart
    assert store.list()[1] == 1  # a new connection replaces each cut one

    _sql(postgres_url, f'DROP DATABASE "{name}" WITH (FORCE)')
    with pytest.raises(CaseLogUnavailable) as gone:
        impatient.add(text="after", category="other", marketplace="US")
    password = postgres_url.split(":")[2].split("@")[0]
    assert name in str(gone.value) and password not in str(gone.value)
    store.close()
    impatient.close()


def test_a_wrong_password_stops_the_start_without_showing_it(postgres_db):
    wrong = postgres_db.replace("postgres:", "postgres:not-the-password", 1)
    assert wrong != postgres_db
    with pytest.raises(CaseStoreError) as error:
        open_store(wrong)
    assert "password" in str(error.value) and "not-the-password" not in str(error.value)


def test_a_personal_backend_never_loads_the_driver():
    code = (
        "import sys, seller_support.store, seller_support.web, seller_support.cli\n"
        "assert not any(m.startswith(('psycopg', 'psycopg_pool')) for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_without_the_server_binaries_the_tests_say_to_run_make_test(monkeypatch):
    from tests import postgres

    monkeypatch.setattr(postgres.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(postgres.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="make test"):
        postgres.bin_dir()

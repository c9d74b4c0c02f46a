"""The case log's behaviour, the same on SQLite (a seller's own file) and PostgreSQL (a
team's server): CRUD, lists and keyset paging, follow-ups, the duplicate candidates,
stores and people, and concurrent writers. SQLite's own (its file, its migrations, WAL,
durability after a kill) are in test_sqlite.py, PostgreSQL's in test_postgres.py."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

from seller_support.store import PersonExists, default_db_path, open_store

FILED = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
WINDOW = (FILED - timedelta(days=30), FILED + timedelta(days=1))


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path) -> str:
    """Where a new, empty case log is: a file, or a database on the throwaway server."""
    if request.param == "sqlite":
        return str(tmp_path / "cases.sqlite3")
    return request.getfixturevalue("postgres_db")


@pytest.fixture()
def reopen(target):
    """Opens the test's case log (again); every store opened is closed at the end."""
    opened = []

    def open_(followup_due=None):
        opened.append(open_store(target, followup_due))
        return opened[-1]

    yield open_
    for store in opened:
        store.close()


@pytest.fixture()
def store(reopen):
    return reopen()


def _add(store, **overrides) -> dict:
    fields = {"text": "Shipment stuck", "category": "logistics", "marketplace": "US"}
    return store.add(**{**fields, **overrides})


def test_crud(store):
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


def test_times_cross_the_interface_as_utc_text(store):
    beijing = timezone_of(8)
    case = _add(store, filed_at=datetime(2026, 7, 2, 0, 0, 30, 123456, tzinfo=beijing))
    assert case["filed_at"] == "2026-07-01T16:00:30+00:00"  # UTC, whole seconds
    assert len(case["updated_at"]) == len(case["filed_at"])


def timezone_of(hours: int):
    from datetime import timezone

    return timezone(timedelta(hours=hours))


def test_list_filters_pages_and_orders_newest_first(store):
    for i in range(5):
        _add(store, marketplace="US" if i % 2 == 0 else "UK", filed_at=FILED + timedelta(hours=i))
    rows, total = store.list()
    assert total == 5
    assert [r["filed_at"] for r in rows] == sorted((r["filed_at"] for r in rows), reverse=True)
    rows, total = store.list(marketplace="US", limit=2, offset=1)
    assert total == 3 and len(rows) == 2
    assert all(r["marketplace"] == "US" for r in rows)
    assert store.list(status="resolved") == ([], 0)
    assert store.list(limit=None, count=False)[1] is None


def test_keyset_pages_cover_every_case_once(store):
    for i in range(7):  # two cases per filing time: the id breaks the tie
        _add(store, filed_at=FILED + timedelta(hours=i // 2))
    seen, before = [], None
    while True:
        rows, total = store.list(limit=3, before=before)
        assert total == 7  # the total ignores the page's start
        if not rows:
            break
        seen += rows
        before = (rows[-1]["filed_at"], rows[-1]["id"])
    assert [r["id"] for r in seen] == [r["id"] for r in store.list(limit=None)[0]]
    assert len({r["id"] for r in seen}) == 7


def test_naive_times_are_refused(store):
    with pytest.raises(ValueError, match="offset"):
        _add(store, filed_at=datetime(2026, 7, 1, 12, 0))


def test_a_reopened_log_keeps_its_cases_and_schema(reopen):
    store = reopen()
    case = _add(store)
    for _ in range(3):
        again = reopen()
        assert again.schema_version == store.schema_version
        assert again.get(case["id"]) == case


def test_due_followups_page_in_due_order_per_store(store):
    due = [FILED + timedelta(hours=h) for h in (5, 1, 3, 3, 2)]
    for i, at in enumerate(due):
        _add(store, filed_at=FILED - timedelta(hours=i), followup_due_at=at, store_id=f"S{i % 2}")
    _add(store, filed_at=FILED, followup_due_at=None)  # phone or chat: never due
    _add(store, filed_at=FILED, followup_due_at=FILED, status="replied")
    at = FILED + timedelta(hours=4)
    first = store.due_followups(at, limit=2)
    rest = store.due_followups(at, start_after=(first[-1]["followup_due_at"], first[-1]["id"]))
    order = [(c["followup_due_at"], c["id"]) for c in first + rest]
    assert order == sorted(order) and len(order) == 4 == store.count_due_followups(at)
    s0 = store.due_followups(at, store_id="S0")
    assert {c["store_id"] for c in s0} == {"S0"} and len(s0) == 2
    assert store.count_due_followups(at, store_id="S0") == 2
    assert store.count_due_followups(at, store_id="nobody") == 0


def test_the_follow_up_time_is_worked_out_when_not_given(reopen):
    def followup_due(marketplace, method, filed_at):
        return None if method == "phone" else filed_at + timedelta(hours=72)

    store = reopen(followup_due)
    assert _add(store, filed_at=FILED)["followup_due_at"] == "2026-07-04T16:00:00+00:00"
    assert _add(store, filed_at=FILED, contact_method="phone")["followup_due_at"] is None
    assert _add(store, filed_at=FILED, followup_due_at=None)["followup_due_at"] is None
    given = _add(store, filed_at=FILED, followup_due_at=FILED + timedelta(hours=1))
    assert given["followup_due_at"] == "2026-07-01T17:00:00+00:00"
    assert _add(reopen(), filed_at=FILED)["followup_due_at"] is None  # no rules: none


def test_stores_and_people_are_kept_and_filtered(store):
    personal = _add(store)
    assert personal["store_id"] is None and personal["person"] is None
    li = _add(store, store_id="A1B2C3", store_name="Store A", person="Li", filed_at=FILED)
    assert (li["store_id"], li["store_name"], li["person"]) == ("A1B2C3", "Store A", "Li")
    _add(store, store_id="A1B2C3", store_name="Store A", person="Wang", filed_at=FILED)
    _add(store, store_id="Z9", person="Li", filed_at=FILED)
    assert store.list(store_id="A1B2C3")[1] == 2
    assert store.list(person="Li")[1] == 2
    assert [c["id"] for c in store.list(store_id="A1B2C3", person="Li")[0]] == [li["id"]]
    moved = store.update(personal["id"], {"store_id": "Z9", "person": "Zhao"})
    assert (moved["store_id"], moved["person"]) == ("Z9", "Zhao")
    assert store.list(store_id="Z9")[1] == 2


def test_an_import_skips_cases_already_stored(store):
    cases = [
        {"text": f"case {i}", "category": "logistics", "marketplace": "US", "filed_at": FILED,
         "contact_method": "case", "status": "open", "store_id": "A1", "person": "Li"}
        for i in range(3)
    ]  # fmt: skip
    added, skipped = store.add_many(cases)
    assert len(added) == 3 and skipped == 0 and added[0]["person"] == "Li"
    added, skipped = store.add_many(cases)
    assert added == [] and skipped == 3
    assert store.list()[1] == 3


def test_corrections_are_counted_and_forgotten(store):
    _add(store, suggested="logistics")
    wrong = _add(store, text="Ｒｅｆｕｎｄ late", category="reimbursement", suggested="logistics")
    assert store.corrections(10) == [(wrong["id"], "Refund late", "reimbursement")]
    assert store.count_corrections() == 1
    assert store.forget_corrections() == 1
    assert store.count_corrections() == 0 and store.list()[1] == 2


# --- the duplicate check's candidates -------------------------------------------------------


def test_candidates_without_words_or_ids_are_the_newest_of_each_kind(store):
    for i in range(4):
        _add(store, text=f"stuck {i}", filed_at=FILED - timedelta(days=i))
        _add(
            store, text=f"refund {i}", category="reimbursement", filed_at=FILED - timedelta(days=i)
        )
    _add(store, text="elsewhere", marketplace="UK", filed_at=FILED)
    _add(store, text="answered", status="resolved", filed_at=FILED)
    _add(store, text="too old", filed_at=FILED - timedelta(days=40))
    found = store.duplicate_candidates("US", "logistics", *WINDOW, 2)
    # newest first; a tie on the filing time goes to the later id
    assert [c["words"] for c in found] == ["refund 0", "stuck 0", "refund 1", "stuck 1"]
    assert [c["normalized"] for c in found] == ["refund 0", "stuck 0", "refund 1", "stuck 1"]
    assert set(found[0]) == {
        "id", "case_id", "category", "filed_at", "words", "normalized", "person", "store_name",
    }  # fmt: skip
    assert found[0]["filed_at"] == FILED.isoformat()


def test_candidates_by_similar_words_ids_and_store(store):
    def add(text, category="logistics", days=0, **more):
        return _add(store, text=text, category=category, filed_at=FILED - timedelta(days=days),
                    **more)  # fmt: skip

    same = add("Inbound shipment FBA15ABCD stuck at the warehouse", days=3, store_id="A")
    similar = add("Inbound shipment stuck at warehouse", "inventory", days=2, store_id="A")
    by_id = add("Please look at order 113-1234567-7654321", "orders", days=5, store_id="A")
    by_case = add("Follow up", "orders", days=6, store_id="A", case_id="12345678901")
    add("Listing suppressed for a missing image", "listings", days=1, store_id="A")
    add("Inbound shipment stuck at the warehouse", "inventory", days=1, store_id="B")
    add("我的货件卡在仓库三天了", "inventory", days=4, store_id="A")

    found = store.duplicate_candidates(
        "US", "logistics", *WINDOW, 10, store_id="A",
        words="inbound shipment stuck in the warehouse",
        ids=["113-1234567-7654321", "12345678901"],
    )  # fmt: skip
    assert [c["id"] for c in found] == [similar["id"], same["id"], by_id["id"], by_case["id"]]
    chinese = store.duplicate_candidates(
        "US", "x", *WINDOW, 10, store_id="A", words="货件卡在仓库三天"
    )
    assert [c["category"] for c in chinese] == ["inventory"]
    only_one = store.duplicate_candidates(
        "US", "x", *WINDOW, 1, store_id="A", words="inbound shipment stuck"
    )
    assert [c["id"] for c in only_one] == [similar["id"]]  # the limit keeps the newest
    part_of_an_id = store.duplicate_candidates("US", "x", *WINDOW, 10, ids=["12345"])
    assert part_of_an_id == []  # whole words only: 12345 is not 1234567


def test_a_case_of_no_known_store_may_be_any_stores_duplicate(store):
    """Cases stored before stores were known, or filed on a page that did not show one."""
    alike = "Inbound shipment stuck at the warehouse"
    no_store = _add(store, text=alike, filed_at=FILED - timedelta(days=1))
    _add(store, text=alike, store_id="B", filed_at=FILED - timedelta(days=1))
    for how in ({}, {"words": "inbound shipment stuck at the warehouse"}):
        found = store.duplicate_candidates("US", "logistics", *WINDOW, 10, store_id="A", **how)
        assert [c["id"] for c in found] == [no_store["id"]], how


def test_two_imports_of_one_file_at_once_store_it_once(reopen):
    cases = [
        {"text": f"imported {i}", "category": "logistics", "marketplace": "US", "filed_at": FILED}
        for i in range(40)
    ]
    stores, start, results = [reopen(), reopen()], threading.Barrier(2), []

    def importer(store) -> None:
        start.wait()
        results.append(store.add_many(cases))

    threads = [threading.Thread(target=importer, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(len(added) for added, _ in results) == [0, 40]
    assert stores[0].list(limit=None)[1] == 40


# --- people ---------------------------------------------------------------------------------


def test_people_get_tokens_that_can_be_revoked(store):
    token = store.add_person("  Li   Wei ")
    assert len(token) >= 40
    li = store.person_for_token(token)
    assert li["name"] == "Li Wei" and li["revoked_at"] is None
    assert store.person_for_token(token + "x") is None
    with pytest.raises(PersonExists):
        store.add_person("Li Wei")
    wang = store.add_person("Wang")
    assert wang != token
    assert [p["name"] for p in store.people()] == ["Li Wei", "Wang"]
    assert all("token_hash" not in p for p in store.people())

    assert store.revoke_person("Li Wei") is True
    assert store.revoke_person("Li Wei") is False
    assert store.revoke_person("nobody") is False
    assert store.person_for_token(token) is None
    assert store.person_for_token(wang)["name"] == "Wang"
    assert store.people()[0]["revoked_at"] is not None

    again = store.add_person("Li Wei")  # a revoked name comes back with a new token
    assert store.person_for_token(again)["name"] == "Li Wei"
    assert store.person_for_token(token) is None
    with pytest.raises(ValueError):
        store.add_person("   ")


# --- concurrent writers ---------------------------------------------------------------------


def test_concurrent_writers_lose_nothing(store, target):
    """8 threads (tabs, or a server's request threads) × 50 inserts: all 400 are stored."""
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
            if hasattr(store, "path"):
                store.close()  # SQLite: this thread's connection

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows, total = store.list(limit=None)
    assert total == 400
    assert {r["text"] for r in rows} == {
        f"writer {n} case {i}" for n in range(8) for i in range(50)
    }


WRITER = """
import sys
from seller_support.store import open_store
store = open_store(sys.argv[1])
for i in range(int(sys.argv[3])):
    store.add(text=f"{sys.argv[2]} {i}", category="other", marketplace="US")
store.close()
"""


def test_writers_in_separate_processes_lose_nothing(store, target):
    """Two backends (or a backend and an import script) on one log."""
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, target, f"p{n}", "100"]) for n in range(3)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    rows, total = store.list(limit=None)
    assert total == 300 and len({r["id"] for r in rows}) == 300


def test_ssc_db_overrides_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SSC_DB", str(tmp_path / "elsewhere.sqlite3"))
    assert default_db_path() == tmp_path / "elsewhere.sqlite3"
    monkeypatch.delenv("SSC_DB")
    assert default_db_path().name == "cases.sqlite3"
    assert "seller-support-companion" in str(default_db_path())

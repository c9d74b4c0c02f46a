"""Team mode for real: `ssc serve --team` processes (waitress) on one throwaway PostgreSQL
database, people and tokens made with `ssc team`, and requests with the Host a reverse
proxy passes on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from tests.conftest import free_port
from tests.team import HOST, add_person, call, ssc, team_env, team_server

STORE_A, STORE_B = "A1B2C3D4E5F6G7", "Z9Y8X7W6V5U4T3"
STUCK = "My FBA inbound shipment FBA17ABCDEF has been stuck in receiving for two weeks."
STUCK_AGAIN = "FBA17ABCDEF 入库两周了还卡在接收中，请帮忙查一下"


@pytest.fixture()
def team(postgres_db) -> Iterator[tuple[str, str]]:
    """One team server on a new database; (its URL, the database URL)."""
    with team_server(postgres_db) as base:
        yield base, postgres_db


def _case(text: str, store: str = STORE_A, **extra) -> dict:
    return {
        "text": text,
        "category": "logistics",
        "marketplace": "UK",
        "store_id": store,
        "store_name": "Store A" if store == STORE_A else "Store B",
        **extra,
    }


def test_every_request_but_health_needs_a_persons_token(team):
    base, database = team
    status, health = call(base, "GET", "/api/v1/health")
    assert (status, health["mode"]) == (200, "team")
    assert call(base, "GET", "/api/v1/cases")[1]["code"] == "token_required"
    status, answer = call(base, "GET", "/api/v1/whoami", token="not-a-token")
    assert (status, answer["code"]) == (401, "token_invalid")
    assert "令牌" in answer["message"] and "token" in answer["message"]
    token = add_person(database, "李雷")
    assert call(base, "GET", "/api/v1/whoami", token=token) == (
        200,
        {"mode": "team", "person": "李雷"},
    )
    assert call(base, "GET", "/api/v1/cases", token=token)[0] == 200


def test_a_revoked_token_stops_working_at_once(team):
    base, database = team
    token = add_person(database, "Li")
    assert call(base, "GET", "/api/v1/cases", token=token)[0] == 200
    assert ssc(database, "team", "revoke", "Li").returncode == 0
    status, answer = call(base, "GET", "/api/v1/cases", token=token)
    assert (status, answer["code"]) == (401, "token_invalid")
    again = add_person(database, "Li")  # a new token for the same person
    assert again != token and call(base, "GET", "/api/v1/cases", token=again)[0] == 200
    assert call(base, "GET", "/api/v1/cases", token=token)[0] == 401


def test_only_the_allowed_hosts_and_no_web_page_get_in(team):
    base, database = team
    token = add_person(database, "Li")
    for host in ("evil.example", "127.0.0.1", f"{HOST}.evil.example"):
        status, answer = call(base, "GET", "/api/v1/cases", token=token, host=host)
        assert (status, answer["code"]) == (403, "forbidden_host"), host
    assert call(base, "GET", "/api/v1/cases", token=token, host="backup.example.test")[0] == 200
    status, answer = call(base, "GET", "/api/v1/cases", token=token, origin="https://evil.example")
    assert (status, answer["code"]) == (403, "forbidden_origin")
    extension = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    assert call(base, "GET", "/api/v1/cases", token=token, origin=extension)[0] == 200
    # Pairing is for a seller's own backend; a team server's people have tokens.
    status, answer = call(base, "POST", "/api/v1/pair", token=token, body={"code": "x"})
    assert (status, answer["code"]) == (409, "team_server")


def test_a_duplicate_is_caught_across_people_and_servers_for_the_same_store(postgres_db):
    li, wang = add_person(postgres_db, "Li"), add_person(postgres_db, "Wang")
    with team_server(postgres_db) as one, team_server(postgres_db) as two:
        status, filed = call(one, "POST", "/api/v1/cases", token=li, body=_case(STUCK))
        assert status == 201 and (filed["person"], filed["store_id"]) == ("Li", STORE_A)

        def precheck(store: str, token: str = wang) -> dict | None:
            body = {"text": STUCK_AGAIN, "category": "logistics", "marketplace": "UK"}
            status, answer = call(two, "POST", "/api/v1/precheck", token=token,
                                  body={**body, "store_id": store})  # fmt: skip
            assert status == 200
            found = [f for f in answer["findings"] if f["code"] == "duplicate_case"]
            return found[0] if found else None

        finding = precheck(STORE_A)
        assert finding is not None
        assert (finding["data"]["filed_by"], finding["data"]["store_name"]) == ("Li", "Store A")
        assert finding["message"]["en"].startswith("Li filed a similar case for store Store A")
        assert finding["message"]["zh"].startswith("Li在")
        assert precheck(STORE_A, token=li)["message"]["en"].startswith("You filed")
        assert precheck(STORE_B) is None  # another store's case is no duplicate


def test_two_servers_writing_at_once_lose_no_case(postgres_db):
    token = add_person(postgres_db, "Li")
    with team_server(postgres_db) as one, team_server(postgres_db) as two:

        def post(i: int) -> int:
            body = _case(f"Shipment {i} of a batch is missing units, please investigate.")
            return call((one, two)[i % 2], "POST", "/api/v1/cases", token=token, body=body)[0]

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(post, range(200))) == {201}
        status, listed = call(one, "GET", "/api/v1/cases?limit=500", token=token)
        assert status == 200 and listed["total"] == 200
        assert len({c["id"] for c in listed["cases"]}) == 200


def test_the_list_filters_by_store_and_person_and_names_both(team):
    base, database = team
    li, wang = add_person(database, "Li"), add_person(database, "Wang")
    call(base, "POST", "/api/v1/cases", token=li, body=_case("Stranded inventory in UK"))
    call(base, "POST", "/api/v1/cases", token=wang, body=_case("Label error", store=STORE_B))
    call(base, "POST", "/api/v1/cases", token=wang, body=_case("Removal order stuck"))

    def listed(query: str) -> list[tuple[str, str]]:
        status, page = call(base, "GET", f"/api/v1/cases?{query}", token=li)
        assert status == 200
        return sorted((c["person"], c["store_id"]) for c in page["cases"])

    assert listed(f"store_id={STORE_A}") == [("Li", STORE_A), ("Wang", STORE_A)]
    assert listed("person=Wang") == [("Wang", STORE_A), ("Wang", STORE_B)]
    assert listed(f"person=Wang&store_id={STORE_B}") == [("Wang", STORE_B)]
    status, facets = call(base, "GET", "/api/v1/cases/facets", token=li)
    assert status == 200
    assert facets == {
        "stores": [
            {"store_id": STORE_A, "store_name": "Store A"},
            {"store_id": STORE_B, "store_name": "Store B"},
        ],
        "people": ["Li", "Wang"],
    }


def test_a_person_changes_and_deletes_only_their_own_cases(team):
    base, database = team
    li, wang = add_person(database, "Li"), add_person(database, "Wang")
    status, case = call(base, "POST", "/api/v1/cases", token=li, body=_case(STUCK))
    assert status == 201
    path = f"/api/v1/cases/{case['id']}"
    for method, body in (("PATCH", {"status": "resolved"}), ("DELETE", None)):
        status, answer = call(base, method, path, token=wang, body=body)
        assert (status, answer["code"]) == (403, "not_your_case"), method
        assert "只有" in answer["message"]
    assert call(base, "PATCH", path, token=li, body={"status": "resolved"})[0] == 200
    # What the team's classifier learned is everyone's: no one person forgets it.
    status, answer = call(base, "DELETE", "/api/v1/corrections", token=li)
    assert (status, answer["code"]) == (403, "team_server")
    assert call(base, "DELETE", path, token=li)[0] == 204


def test_an_import_fills_in_the_store_only_where_none_is_named(team):
    base, database = team
    token = add_person(database, "Li")
    at = "2026-11-30T10:00:00+00:00"
    body = {
        "cases": [
            {**_case("Case of store B, no name"), "store_id": STORE_B, "store_name": None,
             "filed_at": at},
            {"text": "Case of no store", "category": "logistics", "marketplace": "UK",
             "filed_at": at},
        ],
        "store_id": STORE_A,
        "store_name": "Store A",
    }  # fmt: skip
    status, result = call(base, "POST", "/api/v1/cases/import", token=token, body=body)
    assert status == 200
    assert [(c["store_id"], c["store_name"]) for c in result["cases"]] == [
        (STORE_B, None),  # its own store, not given another store's name
        (STORE_A, "Store A"),
    ]


def test_a_person_files_as_themselves_whatever_the_body_says(team):
    base, database = team
    token = add_person(database, "Li")
    status, answer = call(
        base, "POST", "/api/v1/cases", token=token, body={**_case(STUCK), "person": "Boss"}
    )
    assert (status, answer["code"]) == (422, "invalid_input")  # not a field one may send
    exported = {"cases": [{**_case(STUCK), "filed_at": "2026-11-30T10:00:00+00:00",
                           "person": "Boss"}]}  # fmt: skip
    status, result = call(base, "POST", "/api/v1/cases/import", token=token, body=exported)
    assert status == 200 and result["cases"][0]["person"] == "Li"


def test_a_sellers_own_export_moves_to_the_team_with_store_and_person(postgres_db, tmp_path):
    personal = tmp_path / "personal.sqlite3"
    export = tmp_path / "cases.json"
    env = {**os.environ, "SSC_DB": str(personal)}
    for text in (STUCK, "Buyer opened an A-to-z claim on order 114-1111111-2222222"):
        subprocess.run([sys.executable, "-c", _ADD_PERSONAL, text], env=env, check=True, timeout=60)
    done = subprocess.run(
        [sys.executable, "-m", "seller_support.cli", "export", str(export)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    moved = ssc(postgres_db, "import", str(export), "--store-id", STORE_A,
                "--store-name", "Store A", "--person", "Li")  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    assert "Imported 2 cases" in moved.stdout
    token = add_person(postgres_db, "Wang")
    with team_server(postgres_db) as base:
        status, page = call(base, "GET", "/api/v1/cases", token=token)
    assert status == 200 and page["total"] == 2
    assert {(c["store_id"], c["store_name"], c["person"]) for c in page["cases"]} == {
        (STORE_A, "Store A", "Li")
    }
    no_person = ssc(postgres_db, "import", str(export), "--store-id", STORE_A)
    assert no_person.returncode == 1 and "--person" in no_person.stderr
    wrong = ssc(postgres_db, "import", str(export), "--store-id", "not a store", "--person", "Li")
    assert wrong.returncode == 1 and "store_id" in wrong.stderr


_ADD_PERSONAL = """
import sys
from datetime import UTC, datetime
from seller_support.store import default_db_path, open_store
open_store(default_db_path()).add(text=sys.argv[1], category="logistics", marketplace="UK",
                                  filed_at=datetime(2026, 11, 30, 10, tzinfo=UTC))
"""


def test_ssc_team_manages_people_and_never_shows_a_token_twice(postgres_db):
    token = add_person(postgres_db, "Li")
    assert len(token) >= 40
    twice = ssc(postgres_db, "team", "add-person", "Li")
    assert twice.returncode == 1 and "revoke" in twice.stderr and token not in twice.stderr
    people = ssc(postgres_db, "team", "people")
    assert people.returncode == 0 and "Li" in people.stdout and token not in people.stdout
    assert ssc(postgres_db, "team", "revoke", "Nobody").returncode == 1
    no_database = subprocess.run(
        [sys.executable, "-m", "seller_support.cli", "team", "people"],
        env={k: v for k, v in os.environ.items() if k != "SSC_DATABASE_URL"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert no_database.returncode == 1 and "SSC_DATABASE_URL" in no_database.stderr


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"SSC_DATABASE_URL": ""}, "SSC_DATABASE_URL"),
        ({"SSC_DATABASE_URL": "/tmp/cases.sqlite3"}, "PostgreSQL"),
        ({"SSC_ALLOWED_HOSTS": ""}, "SSC_ALLOWED_HOSTS"),
        ({"SSC_ALLOWED_HOSTS": "*"}, "wildcard"),
        ({"SSC_ALLOWED_HOSTS": "https://cases.example.test"}, "no port, scheme"),
    ],
)
def test_team_mode_without_its_settings_does_not_start(postgres_db, settings, said):
    env = {**team_env(postgres_db), "SSC_PORT": str(free_port()), **settings}
    done = subprocess.run(
        [sys.executable, "-m", "seller_support.cli", "serve", "--team"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert said in done.stderr and "Traceback" not in done.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in done.stderr)  # and in Chinese


def test_the_wsgi_app_is_for_team_mode_only():
    done = subprocess.run(
        [sys.executable, "-c", "import seller_support.wsgi"],
        env={k: v for k, v in os.environ.items() if k != "SSC_TEAM"},
        capture_output=True, text=True, timeout=60, check=False, cwd=Path(__file__).parent,
    )  # fmt: skip
    assert done.returncode == 1 and "ssc serve" in done.stderr


def test_a_request_the_database_refuses_for_now_is_busy_not_down(postgres_db):
    """A lock held elsewhere past the database's lock_timeout (as a long migration or a
    deadlock would) fails a filing with 503 `case_log_busy`, "try again", in both
    languages, not as a database that cannot be reached; once the lock is gone the same
    filing is stored."""
    name = postgres_db.rsplit("/", 1)[1]
    with psycopg.connect(postgres_db, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE \"{name}\" SET lock_timeout = '300ms'")
    with team_server(postgres_db) as base:
        token = add_person(postgres_db, "Li")
        with psycopg.connect(postgres_db) as holder:  # a transaction: the lock is held
            holder.execute("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
            status, answer = call(base, "POST", "/api/v1/cases", token=token, body=_case(STUCK))
        assert (status, answer["code"]) == (503, "case_log_busy")
        assert "正忙" in answer["message"] and "try again" in answer["message"]
        assert "cannot be reached" not in answer["message"]
        assert call(base, "POST", "/api/v1/cases", token=token, body=_case(STUCK))[0] == 201
        with psycopg.connect(postgres_db) as holder:  # the people table: the token check
            holder.execute("LOCK TABLE people IN ACCESS EXCLUSIVE MODE")
            status, answer = call(base, "GET", "/api/v1/cases", token=token)
        assert (status, answer["code"]) == (503, "case_log_busy")
        assert "正忙" in answer["message"] and "try again" in answer["message"]
        assert name not in answer["message"]  # the caller is not known yet

"""The case log API: create, list, update, delete, follow-ups, export and import, bad inputs."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from seller_support.rules import load_rules

CASE = {
    "text": "My FBA inbound shipment has been stuck in receiving for two weeks.",
    "category": "logistics",
    "marketplace": "US",
    "contact_method": "case",
}
FILED = "2026-07-01T12:00:00+08:00"  # 04:00 UTC


def _file(client, **overrides) -> dict:
    response = client.post("/api/v1/cases", json={**CASE, **overrides})
    assert response.status_code == 201, response.json
    return response.json


def test_create_returns_201_with_the_stored_case(client, cases):
    case = _file(client, marketplace="uk", case_id="12345678901", filed_at=FILED)
    assert case["id"] >= 1
    assert case["status"] == "open" and case["replied_at"] is None
    assert case["marketplace"] == "UK"
    assert case["case_id"] == "12345678901"
    assert case["filed_at"] == "2026-07-01T04:00:00+00:00"
    assert client.get(f"/api/v1/cases/{case['id']}").json == case


def test_filed_at_defaults_to_now(client, cases):
    from datetime import UTC, datetime

    case = _file(client)
    age = datetime.now(UTC) - datetime.fromisoformat(case["filed_at"])
    assert abs(age.total_seconds()) < 5


def test_list_filters_and_paginates_newest_first(client, cases):
    for day in range(1, 6):
        _file(
            client, filed_at=f"2026-07-0{day}T10:00:00+00:00", marketplace="US" if day % 2 else "DE"
        )
    body = client.get("/api/v1/cases").json
    assert body["total"] == 5
    assert [c["filed_at"][:10] for c in body["cases"]] == [f"2026-07-0{d}" for d in range(5, 0, -1)]
    page = client.get("/api/v1/cases?marketplace=us&limit=2&offset=1").json
    assert page["total"] is None  # counted on the first page only
    assert [c["filed_at"][:10] for c in page["cases"]] == ["2026-07-03", "2026-07-01"]
    assert page["next_cursor"] is None
    assert client.get("/api/v1/cases?status=replied").json == {
        "cases": [],
        "total": 0,
        "next_cursor": None,
    }


def _statements(cases) -> list[str]:
    """The SQL the store runs on this thread's connection from now on (the test client
    serves requests on the test's own thread)."""
    seen: list[str] = []
    cases._conn().set_trace_callback(seen.append)
    return seen


def test_list_pages_by_cursor_and_counts_only_the_first_page(client, cases):
    filed = [_file(client, filed_at=f"2026-07-01T10:00:0{i}+00:00") for i in range(3)]
    filed += [_file(client, filed_at="2026-07-02T10:00:00+00:00") for _ in range(4)]  # ties
    newest_first = sorted(filed, key=lambda c: (c["filed_at"], c["id"]), reverse=True)
    statements = _statements(cases)
    first = client.get("/api/v1/cases?limit=3").json
    assert first["total"] == 7 and first["next_cursor"]
    assert any("count(" in s for s in statements)
    seen, cursor = [c["id"] for c in first["cases"]], first["next_cursor"]
    while cursor:
        statements.clear()
        body = client.get("/api/v1/cases", query_string={"limit": 3, "cursor": cursor}).json
        assert body["total"] is None
        assert not any("count(" in s for s in statements), statements
        seen += [c["id"] for c in body["cases"]]
        cursor = body["next_cursor"]
    assert seen == [c["id"] for c in newest_first]
    open_only = client.get("/api/v1/cases?status=open&limit=7").json
    assert len(open_only["cases"]) == 7 and open_only["next_cursor"] is None


@pytest.mark.parametrize("cursor", ["x", "bm90IGEga2V5", "MjAyNi0wNy0wMXwx", "_" * 200])
def test_a_forged_cursor_is_a_422(client, cases, cursor):
    for url in ("/api/v1/cases", "/api/v1/cases/followups"):
        response = client.get(url, query_string={"cursor": cursor})
        assert response.status_code == 422, response.json
        assert response.json["code"] == "invalid_input" and "cursor" in response.json["message"]


def test_patch_records_reply_status_and_case_id(client, cases):
    case = _file(client)
    url = f"/api/v1/cases/{case['id']}"
    assert client.patch(url, json={"case_id": "98765432101"}).json["case_id"] == "98765432101"
    replied = client.patch(url, json={"replied_at": "2026-07-03T08:00:00+00:00"}).json
    assert replied["status"] == "replied"  # a reply on an open case
    assert replied["replied_at"] == "2026-07-03T08:00:00+00:00"
    resolved = client.patch(url, json={"status": "resolved"}).json
    assert resolved["status"] == "resolved"
    assert resolved["replied_at"] == "2026-07-03T08:00:00+00:00"


def test_marking_replied_without_a_time_records_now(client, cases):
    case = _file(client)
    body = client.patch(f"/api/v1/cases/{case['id']}", json={"status": "replied"}).json
    assert body["status"] == "replied" and body["replied_at"] is not None


def test_delete(client, cases):
    case = _file(client)
    response = client.delete(f"/api/v1/cases/{case['id']}")
    assert response.status_code == 204 and response.data == b""
    assert client.get(f"/api/v1/cases/{case['id']}").status_code == 404
    assert client.delete(f"/api/v1/cases/{case['id']}").json["code"] == "case_not_found"


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "code", "mentions"),
    [
        ("post", "/api/v1/cases", {**CASE, "category": "nope"}, 422, "unknown_category", "nope"),
        ("post", "/api/v1/cases", {**CASE, "marketplace": "XX"}, 422, "unknown_marketplace", "XX"),
        (
            "post",
            "/api/v1/cases",
            {**CASE, "contact_method": "fax"},
            422,
            "invalid_input",
            "contact_method",
        ),
        ("post", "/api/v1/cases", {**CASE, "text": ""}, 422, "invalid_input", "text"),
        (
            "post",
            "/api/v1/cases",
            {**CASE, "filed_at": "2026-07-01T12:00"},
            422,
            "invalid_input",
            "filed_at",
        ),
        (
            "post",
            "/api/v1/cases",
            {**CASE, "case_id": "12 34; DROP"},
            422,
            "invalid_input",
            "case_id",
        ),
        ("post", "/api/v1/cases", {**CASE, "id": 5}, 422, "invalid_input", "id"),
        ("post", "/api/v1/cases", {"text": "hi"}, 422, "invalid_input", "category"),
        ("get", "/api/v1/cases?limit=0", None, 422, "invalid_input", "limit"),
        ("get", "/api/v1/cases?status=lost", None, 422, "invalid_input", "status"),
        ("get", "/api/v1/cases?marketplace=XX", None, 422, "unknown_marketplace", "XX"),
        ("get", "/api/v1/cases/999", None, 404, "case_not_found", "999"),
        ("patch", "/api/v1/cases/999", {"status": "resolved"}, 404, "case_not_found", "999"),
        ("patch", "/api/v1/cases/1", {}, 422, "invalid_input", "status"),
        ("patch", "/api/v1/cases/1", {"status": "closed"}, 422, "invalid_input", "status"),
        ("patch", "/api/v1/cases/1", {"text": "x"}, 422, "invalid_input", "text"),
        ("delete", "/api/v1/cases/999", None, 404, "case_not_found", "999"),
        ("get", "/api/v1/cases/followups?at=yesterday", None, 422, "invalid_input", "at"),
        ("get", "/api/v1/cases/export?format=xml", None, 422, "invalid_input", "format"),
        ("post", "/api/v1/cases/import", {}, 422, "invalid_input", "cases"),
        ("post", "/api/v1/cases/import", {"cases": [{**CASE}]}, 422, "invalid_input", "filed_at"),
        ("post", "/api/v1/cases/import", {"csv": "a,b\n1,2\n"}, 422, "invalid_input", "header"),
    ],
)
def test_bad_inputs_are_json_errors(client, cases, method, url, body, status, code, mentions):
    _file(client)  # case 1 exists
    kwargs = {} if body is None else {"json": body}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.json
    assert response.json["code"] == code
    assert mentions in response.json["message"]


def test_non_json_and_malformed_bodies(client, cases):
    response = client.post("/api/v1/cases", data="text=hi", content_type="text/plain")
    assert response.status_code == 415
    response = client.post("/api/v1/cases", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400 and response.json["code"] == "malformed_json"
    response = client.post("/api/v1/cases", data="{", content_type="application/json")
    assert response.status_code == 400


def test_concurrent_posts_through_the_api_lose_nothing(app, cases):
    errors = []

    def tab(n: int) -> None:
        client = app.test_client()
        for i in range(50):
            response = client.post("/api/v1/cases", json={**CASE, "text": f"tab {n} #{i}"})
            if response.status_code != 201:
                errors.append(response.json)
        cases.close()

    threads = [threading.Thread(target=tab, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert app.test_client().get("/api/v1/cases").json["total"] == 400


# --- follow-ups -----------------------------------------------------------------------


def _due(client, at: str) -> list[int]:
    body = client.get("/api/v1/cases/followups", query_string={"at": at}).json
    return [f["case"]["id"] for f in body["followups"]]


def test_followups_at_the_72_hour_boundary_outside_peaks(client, cases):
    case = _file(client, filed_at="2026-07-01T04:00:00+00:00")
    assert _due(client, "2026-07-04T03:59:00+00:00") == []  # 71 h 59 min
    assert _due(client, "2026-07-04T03:59:59+00:00") == []
    assert _due(client, "2026-07-04T04:00:00+00:00") == [case["id"]]  # exactly 72 h
    assert _due(client, "2026-07-04T12:00:00+08:00") == [case["id"]]  # same moment, Beijing
    assert _due(client, "2026-07-04T11:59:00") == []  # no offset: seller's zone (Beijing)


def test_followups_give_the_checklist_and_the_ads_route_for_account_cases(client, cases):
    logistics = _file(client, filed_at="2026-07-01T04:00:00+00:00")
    account = _file(
        client,
        text="My account was deactivated for a high order defect rate.",
        category="account_deactivation",
        filed_at="2026-07-01T05:00:00+00:00",
    )
    body = client.get("/api/v1/cases/followups?at=2026-07-10T00:00:00Z").json
    by_id = {f["case"]["id"]: f for f in body["followups"]}
    steps = [s["id"] for s in body["checklist"]]  # once for all cases, not per case
    assert steps == load_rules().facts.followup.steps
    first = body["checklist"][0]
    assert "垃圾箱" in first["text"]["zh"] and "spam" in first["text"]["en"]
    facts = load_rules().fact_by_id  # each with its kind, so a statistic is labelled as one
    assert all(s["kind"] == facts[s["id"]].kind for s in body["checklist"])
    assert by_id[logistics["id"]]["account_route"] is False
    assert by_id[account["id"]]["account_route"] is True
    route = body["account_route"]
    assert route["id"] == "ads_manager_route" and "Amazon Ads" in route["text"]["en"]
    assert all(set(f) == {"case", "due_at", "hours_open", "account_route"} for f in by_id.values())
    assert by_id[logistics["id"]]["due_at"] == "2026-07-04T04:00:00+00:00"
    assert by_id[logistics["id"]]["hours_open"] == 212.0


def _reply_by(client, marketplace: str, at: str) -> str:
    """The case channel's reply_by in the hours report for `at` (UTC)."""
    query = {"marketplace": marketplace, "at": at, "tz": "UTC"}
    report = client.get("/api/v1/hours", query_string=query).json
    return next(c for c in report["channels"] if c["channel"] == "case")["reply_by"]


@pytest.mark.parametrize(
    ("marketplace", "filed_at"),
    [
        ("US", "2026-11-26T15:00:00+00:00"),  # the issue's: 26 November 10:00 Eastern
        ("US", "2026-11-26T04:59:00+00:00"),  # 25 November 23:59 Eastern: the peak's eve
        ("UK", "2026-12-23T23:59:00+00:00"),  # the eve of the Christmas peak
        ("DE", "2026-11-28T09:00:00+00:00"),  # the peak-time DE case
        ("JP", "2026-07-01T00:00:00+00:00"),  # no peak: 72 h
    ],
)
def test_a_case_is_due_at_the_reply_by_the_hours_report_promised(
    client, cases, marketplace, filed_at
):
    promised = _reply_by(client, marketplace, filed_at)
    case = _file(client, marketplace=marketplace, filed_at=filed_at)
    assert case["followup_due_at"] == promised
    just_before = (datetime.fromisoformat(promised) - timedelta(seconds=1)).isoformat()
    assert _due(client, just_before) == []
    assert _due(client, promised) == [case["id"]]
    due_at = client.get("/api/v1/cases/followups", query_string={"at": promised}).json
    assert due_at["followups"][0]["due_at"] == promised


def test_phone_and_chat_cases_get_no_followups(client, cases):
    filed_at = "2026-07-01T04:00:00+00:00"
    for method in ("phone", "chat"):
        assert _file(client, contact_method=method, filed_at=filed_at)["followup_due_at"] is None
    case = _file(client, contact_method="case", filed_at=filed_at)
    body = client.get("/api/v1/cases/followups?at=2026-08-01T00:00:00Z").json
    assert [f["case"]["id"] for f in body["followups"]] == [case["id"]] and body["total"] == 1


def test_followups_come_in_due_order_across_pages(client, cases):
    """A case filed in the Thanksgiving peak can be due after one filed later elsewhere:
    business days count in each marketplace's own zone (on one marketplace a later case is
    never due earlier)."""
    # US, Friday 10:00 Eastern: 5 business days → Friday 4 December 10:00 Eastern.
    in_peak = _file(client, filed_at="2026-11-27T15:00:00+00:00")
    # JP an hour later, already Saturday 01:00 in Tokyo → Friday 4 December 01:00 Tokyo.
    after_peak = _file(client, marketplace="JP", filed_at="2026-11-27T16:00:00+00:00")
    plain = _file(client, filed_at="2026-07-01T04:00:00+00:00")
    assert after_peak["followup_due_at"] < in_peak["followup_due_at"]
    at = "2026-12-10T00:00:00Z"
    seen, cursor = [], None
    while True:
        query = {"at": at, "limit": 1, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/cases/followups", query_string=query).json
        seen += [f["case"]["id"] for f in body["followups"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [plain["id"], after_peak["id"], in_peak["id"]]


def test_followups_are_paged_oldest_first_with_the_advice_once(client, cases):
    filed = [_file(client, filed_at=f"2026-07-01T0{h}:00:00+00:00") for h in range(5)]
    _file(client, filed_at="2026-07-09T00:00:00+00:00")  # not due yet
    at = "2026-07-10T00:00:00Z"
    statements = _statements(cases)
    first = client.get("/api/v1/cases/followups", query_string={"at": at, "limit": 2}).json
    assert first["total"] == 5 and len(first["followups"]) == 2 and first["checklist"]
    seen, cursor = [f["case"]["id"] for f in first["followups"]], first["next_cursor"]
    while cursor:
        statements.clear()
        query = {"at": at, "limit": 2, "cursor": cursor}
        body = client.get("/api/v1/cases/followups", query_string=query).json
        assert body["total"] is None and not any("count(" in s for s in statements)
        assert [s["id"] for s in body["checklist"]] == [s["id"] for s in first["checklist"]]
        seen += [f["case"]["id"] for f in body["followups"]]
        cursor = body["next_cursor"]
    assert seen == [c["id"] for c in filed]
    assert (
        len(client.get("/api/v1/cases/followups", query_string={"at": at}).json["followups"]) == 5
    )


def test_followups_skip_replied_and_resolved_cases(client, cases):
    replied = _file(client, filed_at="2026-07-01T04:00:00+00:00")
    resolved = _file(client, filed_at="2026-07-01T04:00:00+00:00")
    still_open = _file(client, filed_at="2026-07-01T04:00:00+00:00")
    client.patch(f"/api/v1/cases/{replied['id']}", json={"replied_at": "2026-07-02T00:00:00Z"})
    client.patch(f"/api/v1/cases/{resolved['id']}", json={"status": "resolved"})
    assert _due(client, "2026-07-10T00:00:00Z") == [still_open["id"]]


# --- export and import ----------------------------------------------------------------


def _sample(client) -> None:
    _file(client, filed_at=FILED, case_id="12345678901")
    second = _file(
        client,
        text='商品被下架，"ASIN B0ABCD1234"，\n第二行, with comma',
        category="listing_removed",
        marketplace="JP",
        filed_at="2026-07-02T09:00:00+09:00",
    )
    client.patch(f"/api/v1/cases/{second['id']}", json={"replied_at": "2026-07-03T01:00:00Z"})


def _comparable(cases_list: list[dict]) -> list[dict]:
    return [{k: v for k, v in c.items() if k not in ("id", "updated_at")} for c in cases_list]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_round_trip_loses_nothing(client, app, cases, tmp_path, monkeypatch, fmt):
    from seller_support.store import SqliteCaseStore
    from seller_support.web.extensions import STORE_KEY

    _sample(client)
    original = client.get("/api/v1/cases/export?format=json").json["cases"]
    exported = client.get(f"/api/v1/cases/export?format={fmt}")
    assert exported.status_code == 200
    if fmt == "csv":
        assert exported.mimetype == "text/csv"
        assert exported.data.decode("utf-8").startswith("\ufeffid,case_id,text")
        payload = {"csv": exported.data.decode("utf-8")}
    else:
        payload = {"cases": exported.json["cases"]}

    monkeypatch.setitem(app.extensions, STORE_KEY, SqliteCaseStore(tmp_path / "other.sqlite3"))
    result = client.post("/api/v1/cases/import", json=payload).json
    assert result["imported"] == 2 and result["skipped"] == 0
    restored = client.get("/api/v1/cases/export?format=json").json["cases"]
    assert _comparable(restored) == _comparable(original)

    again = client.post("/api/v1/cases/import", json=payload).json
    assert again["imported"] == 0 and again["skipped"] == 2


def test_import_validates_every_row(client, cases):
    rows = [
        {**CASE, "filed_at": FILED},
        {**CASE, "filed_at": FILED, "marketplace": "XX"},
    ]
    response = client.post("/api/v1/cases/import", json={"cases": rows})
    assert response.status_code == 422 and response.json["code"] == "unknown_marketplace"
    assert client.get("/api/v1/cases").json["total"] == 0  # nothing half-imported

    bad_csv = "text,category,marketplace,filed_at\nhi,logistics,US,not-a-date\n"
    response = client.post("/api/v1/cases/import", json={"csv": bad_csv})
    assert response.status_code == 422 and "line 2" in response.json["message"]


def test_import_accepts_more_than_the_usual_body_limit(client, cases):
    rows = [{**CASE, "text": f"{i} " + "x" * 600, "filed_at": FILED} for i in range(200)]
    response = client.post("/api/v1/cases/import", json={"cases": rows})
    assert response.status_code == 200 and response.json["imported"] == 200
    assert client.post("/api/v1/cases", json={**CASE, "text": "x" * 70_000}).status_code == 413


@pytest.mark.parametrize(
    ("case_id", "accepted"),
    [
        ("12345678", True),  # 8 digits
        ("22153077391", True),  # today's 11
        ("12345678901234", True),  # 14
        ("1234567", False),
        ("123456789012345", False),
        ("ABC-12345678", False),
        ("２２１５３０７７３９１", False),  # full-width digits: not what Amazon's links carry
    ],
)
def test_amazon_case_ids_are_8_to_14_ascii_digits(client, cases, case_id, accepted):
    """The same format as the contract's amazon_case_id, on create, update and import."""
    created = client.post("/api/v1/cases", json={**CASE, "case_id": case_id})
    assert (created.status_code == 201) is accepted, created.json
    pk = _file(client)["id"]
    patched = client.patch(f"/api/v1/cases/{pk}", json={"case_id": case_id})
    assert (patched.status_code == 200) is accepted, patched.json
    item = {**CASE, "case_id": case_id, "filed_at": FILED}
    imported = client.post("/api/v1/cases/import", json={"cases": [item]})
    assert (imported.status_code == 200) is accepted, imported.json
    if not accepted:
        assert "case_id" in patched.json["message"]

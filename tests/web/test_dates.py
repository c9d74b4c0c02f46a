"""Every date-time the API accepts is answered without a 500: the supported range (years
2008–2035 as written: every marketplace's public holidays are known for them) at every
endpoint that takes one, and a clear bilingual 422 for any other date the parser reads,
the same at every endpoint."""

from __future__ import annotations

import json
import tempfile
import warnings
from datetime import datetime, timedelta, timezone

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_support.domain.moments import FIRST_YEAR, LAST_YEAR
from seller_support.rules import load_rules
from seller_support.web import create_app

from ..conftest import call_json

APP = create_app({"TESTING": True, "CASES_DB": tempfile.mkdtemp() + "/dates.sqlite3"})
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
RANGE = f"between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31"
MARKETPLACES = ["US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "JP", "IN", "AU"]
ZONES = ["Asia/Shanghai", "Pacific/Kiritimati", "Etc/GMT+12", "America/Los_Angeles", "UTC"]

OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
SUPPORTED = st.datetimes(
    datetime(FIRST_YEAR, 1, 1), datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999999)
)
UNSUPPORTED = st.datetimes(datetime(1, 1, 1), datetime(FIRST_YEAR - 1, 12, 31, 23, 59, 59)) | (
    st.datetimes(datetime(LAST_YEAR + 1, 1, 1), datetime(9999, 12, 31, 23, 59, 59, 999999))
)
EDGES = [
    datetime(FIRST_YEAR, 1, 1),
    datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999999),
]
EDGE_OFFSETS = [
    timezone(timedelta(hours=23, minutes=59)),
    timezone(-timedelta(hours=23, minutes=59)),
]


def iso(moment: datetime) -> str:
    return moment.isoformat()


def aware(moments, offsets=OFFSETS):
    return st.builds(lambda m, tz: m.replace(tzinfo=tz), moments, offsets)


def new_case(filed_at: str | None = None) -> int:
    body = {"text": "账号被封了", "category": "account_deactivation", "marketplace": "US"}
    if filed_at is not None:
        body["filed_at"] = filed_at
    response = APP.test_client().post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


CASE_PK = new_case()


def answers(moment: str, aware_only: bool, zone: str, market: str) -> list[tuple[str, object]]:
    """Each endpoint's answer to `moment`: (what, response)."""
    client = APP.test_client()
    found = [
        (
            "hours",
            client.get(
                "/api/v1/hours", query_string={"marketplace": market, "at": moment, "tz": zone}
            ),
        ),
        (
            "followups",
            client.get("/api/v1/cases/followups", query_string={"at": moment, "tz": zone}),
        ),
        ("precheck", client.post("/api/v1/precheck", json={"text": "x", "at": moment, "tz": zone})),
    ]
    if aware_only:
        body = {
            "text": f"x {moment}",
            "category": "other",
            "marketplace": market,
            "filed_at": moment,
        }
        found.append(("create", client.post("/api/v1/cases", json=body)))
        found.append(
            ("patch", client.patch(f"/api/v1/cases/{CASE_PK}", json={"replied_at": moment}))
        )
    return found


@given(
    moment=SUPPORTED | aware(SUPPORTED),
    zone=st.sampled_from(ZONES),
    market=st.sampled_from(MARKETPLACES),
)
@SETTINGS
def test_every_supported_moment_is_answered(moment, zone, market):
    for what, response in answers(iso(moment), moment.tzinfo is not None, zone, market):
        assert response.status_code in (200, 201), (what, response.json)


@pytest.mark.parametrize("moment", EDGES)
@pytest.mark.parametrize("offset", [None, *EDGE_OFFSETS])
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_ends_of_the_range_are_answered_everywhere(moment, offset, zone):
    text = iso(moment.replace(tzinfo=offset))
    for market in MARKETPLACES:
        for what, response in answers(text, offset is not None, zone, market):
            assert response.status_code in (200, 201), (what, market, response.json)
    response = APP.test_client().get("/api/v1/hours/all", query_string={"at": text, "tz": zone})
    assert response.status_code == 200, response.json


@given(moment=UNSUPPORTED | aware(UNSUPPORTED), zone=st.sampled_from(ZONES))
@SETTINGS
def test_other_dates_get_the_same_clear_422_everywhere(moment, zone):
    for what, response in answers(iso(moment), moment.tzinfo is not None, zone, "US"):
        assert response.status_code == 422, (what, response.json)
        assert response.json["code"] == "invalid_input"
        message = response.json["message"]
        assert RANGE in message and "日期须在" in message, message
    response = APP.test_client().get("/api/v1/hours/all", query_string={"at": iso(moment)})
    assert response.status_code == 422


def test_every_marketplace_knows_its_holidays_in_the_supported_years():
    """The range is where the answers are right: a holiday calendar that is empty or
    warns (the holidays library lacks the year) would give wrong open hours."""
    for market in load_rules().marketplaces.marketplaces:
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                calendar = holidays.country_holidays(market.holiday_country, years=year)
            assert len(calendar) > 0, (market.code, year)


def test_openapi_document_states_the_range():
    document = json.dumps(APP.test_client().get("/api/v1/openapi.json").json)
    assert document.count(RANGE) >= 6  # every date-time field


def test_csv_import_refuses_a_date_out_of_range_by_line():
    csv_text = (
        "text,category,marketplace,filed_at\r\n"
        "ok,other,US,2026-01-01T00:00:00+00:00\r\n"
        "old,other,US,0001-01-01T00:00:00+14:00\r\n"
    )
    response = APP.test_client().post("/api/v1/cases/import", json={"csv": csv_text})
    assert response.status_code == 422
    assert "line 3" in response.json["message"] and RANGE in response.json["message"]


ISSUE_REQUESTS = [
    ("GET", "/api/v1/hours?marketplace=US&at=9999-12-31T23:59:59Z", None),
    ("GET", "/api/v1/hours/all?at=9999-12-31T23:59:59Z", None),
    ("GET", "/api/v1/cases/followups?at=0001-01-01T00:00:00Z", None),
    ("POST", "/api/v1/precheck", {"text": "x", "at": "0001-01-01T00:00:00Z"}),
    (
        "POST",
        "/api/v1/cases",
        {
            "text": "x",
            "category": "other",
            "marketplace": "US",
            "filed_at": "9999-12-31T23:59:59-12:00",
        },
    ),
    ("PATCH", "/api/v1/cases/{pk}", {"replied_at": "0001-01-01T00:00:00+14:00"}),
]


def test_the_issues_dates_get_422_from_the_real_server(live_backend):
    status, case = call_json(
        live_backend,
        "POST",
        "/api/v1/cases",
        {"text": "dates test", "category": "other", "marketplace": "US"},
    )
    assert status == 201
    for method, path, body in ISSUE_REQUESTS:
        status, answer = call_json(live_backend, method, path.format(pk=case["id"]), body)
        assert status == 422, (path, answer)
        assert set(answer) == {"code", "message"} and RANGE in answer["message"]

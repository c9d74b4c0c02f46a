"""Fuzzing: every endpoint answers every input with a documented status and a JSON
body, never a 500. Schemathesis drives the served OpenAPI document; hypothesis drives
free text and arbitrary JSON at the endpoints that take it. Example counts are bounded
so that `make test` stays fast."""

from __future__ import annotations

import os
import tempfile

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from seller_support.web import create_app

# `make test` explores the same examples every run, so CI is repeatable; set
# SSC_FUZZ_RANDOM=1 to explore new ones (and keep whatever they find as a regression).
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("SSC_FUZZ_RANDOM"),
    database=None,
)


APP = create_app({"CASES_DB": tempfile.mkdtemp() + "/fuzz.sqlite3"})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
# An oversized body is refused before it is parsed: 413 is a rejection too.
schema.config.checks.negative_data_rejection.expected_statuses.append("413")


@schema.parametrize()
@FUZZ
def test_every_endpoint_conforms_to_its_schema(case):
    # A schema-valid request may still be refused for its meaning (an unknown
    # marketplace code is a string, yet not a marketplace): that answer is a clear 422.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.sampled_from(
    ["账号被封了 POA", "A-to-z 索赔 113-1234567-1234567", "listing 被 suppressed 了", "\x00\ud7ff"]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _json_error_or_ok(response, ok: int = 200) -> None:
    assert response.status_code == ok or 400 <= response.status_code < 500, response.data
    body = response.get_json()
    if response.status_code != ok:
        assert set(body) == {"code", "message"}


@given(text=TEXT)
@FUZZ
def test_classify_never_fails_on_any_text(text):
    response = APP.test_client().post("/api/v1/classify", json={"text": text})
    assert response.status_code == 200
    suggestions = response.get_json()["suggestions"]
    assert 1 <= len(suggestions) <= 3 and all(0 <= s["score"] <= 1 for s in suggestions)


@given(
    text=TEXT, method=st.sampled_from(["case", "phone", "chat"]), files=st.lists(TEXT, max_size=3)
)
@FUZZ
def test_precheck_never_fails_on_any_text(text, method, files):
    body = {"text": text, "contact_method": method, "attachments": files}
    _json_error_or_ok(APP.test_client().post("/api/v1/precheck", json=body))


@given(payload=JSON)
@FUZZ
def test_any_json_body_gets_a_clear_answer(payload):
    client = APP.test_client()
    for path in ("/api/v1/classify", "/api/v1/precheck", "/api/v1/cases"):
        _json_error_or_ok(
            client.post(path, json=payload), ok=201 if path.endswith("cases") else 200
        )


@given(marketplace=TEXT, at=TEXT, tz=TEXT)
@FUZZ
def test_hours_query_strings_get_a_clear_answer(marketplace, at, tz):
    query = {"marketplace": marketplace, "at": at, "tz": tz}
    _json_error_or_ok(APP.test_client().get("/api/v1/hours", query_string=query))

"""Every rules file carries its own fixtures; this one test module collects them all
(like semgrep-rules and sqlfluff): texts a category must win and must not be
suggested for, precheck requests a check must and must not fire on, and moments
at which a channel must be open or closed."""

from __future__ import annotations

from datetime import datetime

import pytest

from seller_support.domain.schedules import channel_state
from seller_support.rules import load_rules

RULES = load_rules()
BASE_REQUEST = {
    "marketplace": "US",
    "contact_method": "case",
    "attachments": [],
    "seller": {"plan": "professional", "video_verified": True, "two_factor": True},
    "at": "2026-07-01T12:00:00-04:00",
}


def _cases(kind: str):
    for category in RULES.categories.categories:
        for text in getattr(category.examples, kind):
            yield pytest.param(category.id, text, id=f"{category.id}:{text[:30]}")


@pytest.mark.parametrize(("category", "text"), list(_cases("fire")))
def test_category_fires(client, category, text):
    suggestions = client.post("/api/v1/classify", json={"text": text}).json["suggestions"]
    assert suggestions[0]["category"] == category, suggestions


@pytest.mark.parametrize(("category", "text"), list(_cases("silent")))
def test_category_stays_silent(client, category, text):
    suggestions = client.post("/api/v1/classify", json={"text": text}).json["suggestions"]
    assert category not in [s["category"] for s in suggestions], suggestions


def _check_cases(kind: str):
    for check in RULES.checks.checks:
        for i, example in enumerate(getattr(check.examples, kind)):
            yield pytest.param(
                check.code, {**BASE_REQUEST, **example}, id=f"{check.code}:{kind}{i}"
            )


def _codes(client, request: dict) -> list[str]:
    """Precheck findings; the fixture's `existing_cases` are imported first (the `cases`
    fixture gives each test an empty case log)."""
    request = dict(request)
    existing = request.pop("existing_cases", [])
    if existing:
        imported = client.post("/api/v1/cases/import", json={"cases": existing})
        assert imported.status_code == 200 and imported.json["imported"] == len(existing)
    response = client.post("/api/v1/precheck", json=request)
    assert response.status_code == 200, response.json
    return [f["code"] for f in response.json["findings"]]


@pytest.mark.parametrize(("code", "request_body"), list(_check_cases("fire")))
def test_check_fires(client, cases, code, request_body):
    assert code in _codes(client, request_body)


@pytest.mark.parametrize(("code", "request_body"), list(_check_cases("silent")))
def test_check_stays_silent(client, cases, code, request_body):
    assert code not in _codes(client, request_body)


def _hours_cases():
    for schedule in RULES.hours.schedules:
        for example in schedule.examples:
            for code in schedule.marketplaces:
                label = f"{code}-{schedule.channel}@{example.at}"
                yield pytest.param(schedule, code, example, id=label)


@pytest.mark.parametrize(("schedule", "code", "example"), list(_hours_cases()))
def test_hours_example(schedule, code, example):
    market = RULES.marketplace_by_code[code]
    state = channel_state(schedule, market.holiday_country, datetime.fromisoformat(example.at))
    assert state.status == example.status
    if example.next_change is not None:
        assert state.next_change == datetime.fromisoformat(example.next_change)


def test_every_category_and_check_has_fixtures():
    assert all(c.examples.fire for c in RULES.categories.categories)
    assert all(c.examples.fire and c.examples.silent for c in RULES.checks.checks)
    assert all(s.examples for s in RULES.hours.schedules)

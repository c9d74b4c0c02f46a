"""GET /api/v1/hours and /hours/all with the seller's settings, on the real server: each
channel says whether this seller may use it, and why not."""

from __future__ import annotations

from urllib.parse import urlencode

from ..conftest import call_json

NOON_EASTERN = "2026-07-01T12:00:00-04:00"  # US phone open


def hours(base_url: str, path: str = "/api/v1/hours", **params) -> tuple[int, dict]:
    query = {"at": NOON_EASTERN, **params}
    if path == "/api/v1/hours":
        query.setdefault("marketplace", "US")
    return call_json(base_url, "GET", f"{path}?{urlencode(query)}")


def eligibility(report: dict) -> dict:
    return {c["channel"]: c["eligibility"] for c in report["channels"]}


def test_without_settings_nothing_is_judged(live_backend):
    status, report = hours(live_backend)
    assert status == 200
    assert set(eligibility(report).values()) == {None}


def test_an_individual_seller_may_only_write(live_backend):
    status, report = hours(
        live_backend, plan="individual", video_verified="true", two_factor="true"
    )
    assert status == 200
    found = eligibility(report)
    assert {c: e["usable"] for c, e in found.items()} == {
        "phone": False,
        "chat": False,
        "case": True,
    }
    assert [r["code"] for r in found["chat"]["reasons"]] == ["individual_plan"]
    reason = found["chat"]["reasons"][0]
    assert "个人卖家" in reason["message"]["zh"] and reason["source"]["quote"]
    # The schedule is still reported as it is: the badge shows both.
    assert next(c for c in report["channels"] if c["channel"] == "phone")["status"] == "open"


def test_phone_needs_good_standing_and_the_rest_default_as_the_options_page(live_backend):
    status, report = hours(
        live_backend, account_status="deactivated", video_verified="true", two_factor="true"
    )
    assert status == 200
    phone = eligibility(report)["phone"]
    assert phone["usable"] is False
    assert [r["code"] for r in phone["reasons"]] == ["account_deactivated"]
    assert eligibility(report)["chat"]["usable"] is True
    # Only one setting given: the others take the options page's defaults, and checks
    # not set are asked for (usable null, `unset`) rather than taken as "no".
    _, report = hours(live_backend, plan="professional")
    phone = eligibility(report)["phone"]
    assert phone == {"usable": None, "reasons": [], "unset": ["video_verified", "two_factor"]}
    _, report = hours(live_backend, video_verified="false", two_factor="true")
    codes = [r["code"] for r in eligibility(report)["phone"]["reasons"]]
    assert codes == ["video_verification"]


def test_the_world_clock_judges_every_marketplace(live_backend):
    status, body = hours(live_backend, "/api/v1/hours/all", plan="individual")
    assert status == 200
    for market in body["marketplaces"]:
        assert eligibility(market)["chat"]["usable"] is False, market["marketplace"]


def test_a_bad_setting_is_a_clear_422(live_backend):
    status, body = hours(live_backend, account_status="suspended")
    assert status == 422
    assert "account_status" in body["message"] and "good_standing" in body["message"]
    status, body = hours(live_backend, video_verified="maybe")
    assert status == 422 and "video_verified" in body["message"]

"""Which channels a seller may use, from their settings and hours.yaml's channel_barriers."""

from __future__ import annotations

import pytest

from seller_support.domain.eligibility import Seller, barriers, channel_eligibility, usable_channels
from seller_support.rules import load_rules

RULES = load_rules()
VERIFIED = {"video_verified": True, "two_factor": True}
NOT_VERIFIED = {"video_verified": False, "two_factor": False}


@pytest.mark.parametrize(
    ("seller", "usable"),
    [
        (Seller(**VERIFIED), ["phone", "chat", "case"]),
        # The article: individual sellers cannot call and rely on e-mail only.
        (Seller(plan="individual", **VERIFIED), ["case"]),
        # Phone needs an account in good standing, video verification and two-factor.
        (Seller(account_status="at_risk", **VERIFIED), ["chat", "case"]),
        (Seller(account_status="deactivated", **VERIFIED), ["chat", "case"]),
        (Seller(video_verified=False, two_factor=True), ["chat", "case"]),
        (Seller(video_verified=True, two_factor=False), ["chat", "case"]),
        # The options page's defaults: the checks not set yet, so phone is not offered.
        (Seller(), ["chat", "case"]),
    ],
)
def test_usable_channels(seller, usable):
    assert usable_channels(RULES, seller) == usable


def test_every_reason_is_given_with_its_source():
    seller = Seller(plan="individual", account_status="deactivated", **NOT_VERIFIED)
    report = channel_eligibility(RULES, seller, "phone")
    assert report["usable"] is False
    assert [r["code"] for r in report["reasons"]] == [
        "individual_plan",
        "account_deactivated",
        "video_verification",
        "two_factor",
    ]
    assert all(r["message"].zh and r["message"].en and r["source"].quote for r in report["reasons"])


@pytest.mark.parametrize(
    ("status", "code"), [("at_risk", "account_at_risk"), ("deactivated", "account_deactivated")]
)
def test_phone_needs_good_standing_and_says_which_status_keeps_it(status, code):
    seller = Seller(account_status=status, **VERIFIED)
    assert [b.id for b in barriers(RULES, seller, "phone")] == [code]
    assert barriers(RULES, seller, "chat") == []


def test_no_barrier_ever_closes_cases():
    worst = Seller(plan="individual", account_status="deactivated")
    assert barriers(RULES, worst, "case") == []
    assert channel_eligibility(RULES, worst, "case") == {"usable": True, "reasons": [], "unset": []}


def test_checks_not_set_are_asked_for_not_taken_as_no():
    """A fresh install has not said whether video verification and two-factor are done:
    phone is neither ruled out nor offered, and the report names what to fill in."""
    report = channel_eligibility(RULES, Seller(), "phone")
    assert report == {"usable": None, "reasons": [], "unset": ["video_verified", "two_factor"]}
    assert barriers(RULES, Seller(), "phone") == []
    half = channel_eligibility(RULES, Seller(video_verified=True), "phone")
    assert (half["usable"], half["unset"]) == (None, ["two_factor"])
    # A barrier that surely applies is said as such, whatever is not set.
    deactivated = channel_eligibility(RULES, Seller(account_status="deactivated"), "phone")
    assert deactivated["usable"] is False and deactivated["unset"] == []
    assert [r["code"] for r in deactivated["reasons"]] == ["account_deactivated"]
    assert channel_eligibility(RULES, Seller(), "chat")["usable"] is True


def test_a_deactivated_seller_is_pointed_to_account_health_support():
    """Seller Support's phone is closed to them; Account Health's own line is not (the
    Account Health page's "Call Me Now")."""
    (reason,) = barriers(RULES, Seller(account_status="deactivated", **VERIFIED), "phone")
    assert "Call Me Now" in reason.reason.zh and "Call Me Now" in reason.reason.en
    assert "Account Health" in reason.reason.en

"""Case rules: what a stored case may hold, how a change moves its status, and when an
unanswered case is due for a follow-up (its reply_by, worked out when it is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .errors import InvalidChange
from .schedules import plain_reply_by, reply_promise

if TYPE_CHECKING:
    from ..rules import Rules
    from ..rules.models import Fact
    from .engine import Engine


def checked_case(engine: Engine, fields: dict, now: datetime) -> dict:
    """The case's fields with its category and marketplace checked against the rules
    (the marketplace in its canonical spelling), its filing time (`now` if not given) and
    when it is due for a follow-up (`followup_due`)."""
    suggested = fields.get("suggested")
    marketplace = engine.marketplace(fields["marketplace"]).code
    filed_at = fields.get("filed_at") or now
    return {
        **fields,
        "category": engine.category(fields["category"]).id,
        # Advisory: a category since renamed in the rules (an old export) teaches nothing,
        # and must not cost the case itself.
        "suggested": suggested if suggested in engine.rules.category_by_id else None,
        "marketplace": marketplace,
        "filed_at": filed_at,
        "followup_due_at": followup_due(
            engine.rules, marketplace, fields["contact_method"], filed_at
        ),
    }


def followup_due(
    rules: Rules, marketplace: str, contact_method: str, filed_at: datetime
) -> datetime | None:
    """When a case, if still unanswered, is due for a follow-up: the reply_by promised when
    it was filed (`reply_promise`, holiday peaks included). None for a contact method that
    gets no follow-up (phone, chat). The case log stores it with the case, so follow-ups
    are read in due order through an index."""
    if contact_method not in rules.facts.followup.contact_methods:
        return None
    market = rules.marketplace_by_code.get(marketplace)
    if market is None:  # an old case of a marketplace since dropped: no calendar to ask
        return plain_reply_by(rules, filed_at)
    return reply_promise(rules, market, filed_at).at


def requested_change(patch: dict) -> dict:
    """A patch of status, case_id and replied_at must change something."""
    if not patch:
        raise InvalidChange("body: give at least one of status, case_id, replied_at")
    return patch


def status_change(current: dict, changes: dict, now: datetime) -> dict:
    """The columns to write for a `requested_change` to the case `current`.

    A reply recorded on an open case moves it to `replied`; a case marked `replied`
    without a time was answered now (or when its reply was first recorded)."""
    changes = dict(changes)
    if changes.get("status") is None:
        changes.pop("status", None)
        if changes.get("replied_at") is not None and current["status"] == "open":
            changes["status"] = "replied"
    if changes.get("status") == "replied" and "replied_at" not in changes:
        if current["replied_at"] is None:
            changes["replied_at"] = now
    return changes


@dataclass(frozen=True)
class FollowupAdvice:
    """What every follow-up shares: the checklist, and where account cases go."""

    checklist: list[Fact]
    account_route: Fact | None


@dataclass(frozen=True)
class Followup:
    case: dict
    due_at: datetime
    hours_open: float
    account_route: bool  # the advice's account_route is for this case


def followup_advice(rules: Rules) -> FollowupAdvice:
    rule = rules.facts.followup
    return FollowupAdvice(
        checklist=[rules.fact_by_id[i] for i in rule.steps],
        account_route=rules.fact_by_id[rule.account_route] if rule.account_route else None,
    )


def followups(rules: Rules, unanswered: list[dict], at: datetime) -> list[Followup]:
    """Each open case without a reply that is past its `followup_due_at` (the store picks
    them with `due_followups(at)`, a page at a time); the advice they share is
    `followup_advice`."""
    rule = rules.facts.followup
    routed = rule.account_route is not None
    found = []
    for case in unanswered:
        filed = datetime.fromisoformat(case["filed_at"])
        found.append(
            Followup(
                case=case,
                due_at=datetime.fromisoformat(case["followup_due_at"]),
                hours_open=round((at - filed).total_seconds() / 3600, 1),
                account_route=routed and case["category"] in rule.account_categories,
            )
        )
    return found

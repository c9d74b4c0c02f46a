"""Which contact channels a seller may use, from their own settings (selling plan, video
verification, two-factor, account status) and hours.yaml's `channel_barriers`. One source
of truth for the hours report's badges and the precheck's channel_ineligible."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..rules.models import Localized

if TYPE_CHECKING:
    from ..rules import Rules
    from ..rules.models import ChannelBarrier, SellerCondition


# The yes/no settings a fresh install has not set yet (None): a barrier that depends on
# one is neither ruled in nor out, and the seller is asked to fill it in.
CHECKS = ("video_verified", "two_factor")


@dataclass(frozen=True)
class Seller:
    """The seller's settings; the defaults are the options page's (the checks not set)."""

    plan: str = "professional"
    video_verified: bool | None = None
    two_factor: bool | None = None
    account_status: str = "good_standing"


def _applies(condition: SellerCondition, seller: Seller) -> bool | None:
    """True or False; None when it turns on a check the seller has not set."""
    if condition.plan not in (None, seller.plan):
        return False
    if condition.account_status and seller.account_status not in condition.account_status:
        return False
    asked = [name for name in CHECKS if getattr(condition, name) is not None]
    if any(getattr(seller, name) is None for name in asked):
        return None
    return all(getattr(condition, name) == getattr(seller, name) for name in asked)


def _barriers(rules: Rules, channel: str) -> list[ChannelBarrier]:
    return [b for b in rules.hours.channel_barriers if channel in b.channels]


def barriers(rules: Rules, seller: Seller, channel: str) -> list[ChannelBarrier]:
    """What surely keeps this seller from this channel, in the rules' order; empty: usable
    as far as the settings given say."""
    return [b for b in _barriers(rules, channel) if _applies(b.when, seller)]


def unset_checks(rules: Rules, seller: Seller, channel: str) -> list[str]:
    """The settings not set yet on which this channel depends (CHECKS' order)."""
    pending = [b.when for b in _barriers(rules, channel) if _applies(b.when, seller) is None]
    return [
        name
        for name in CHECKS
        if getattr(seller, name) is None and any(getattr(c, name) is not None for c in pending)
    ]


def usable_channels(rules: Rules, seller: Seller) -> list[str]:
    """The channels this seller surely may use, in the rules' label order (never empty:
    cases); one that turns on a setting not set yet is not offered."""
    return [
        c
        for c in rules.hours.channel_labels
        if not barriers(rules, seller, c) and not unset_checks(rules, seller, c)
    ]


def joined(texts: list[Localized], zh: str, en: str) -> Localized:
    """Several texts as one, each language with its own separator."""
    return Localized(zh=zh.join(t.zh for t in texts), en=en.join(t.en for t in texts))


def channel_eligibility(rules: Rules, seller: Seller, channel: str) -> dict:
    """Whether the seller may use the channel (None: it turns on settings not set yet,
    named in `unset`) and, if not, why (each reason with its source), as the hours report
    gives it."""
    found = barriers(rules, seller, channel)
    unset = [] if found else unset_checks(rules, seller, channel)
    return {
        "usable": False if found else (None if unset else True),
        "reasons": [{"code": b.id, "message": b.reason, "source": b.source} for b in found],
        "unset": unset,
    }

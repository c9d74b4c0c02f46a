"""The open-hours report of one marketplace at one minute: each channel's status, next
change, 7-day intervals and reply_by, and the notices, every time in the seller's zone
and the marketplace's; with the seller's settings, whether they may use each channel.
Plain data; the web layer shapes it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..rules.models import Localized
from .eligibility import Seller, channel_eligibility
from .schedules import (
    HORIZON,
    ActivePeak,
    channel_state,
    find_schedule,
    public_holiday_today,
    reply_promise,
)

if TYPE_CHECKING:
    from ..rules import Rules
    from ..rules.models import Marketplace


def zone_name(rules: Rules, zone: str) -> Localized:
    """A time zone as a seller names it (marketplaces.yaml `zones`, under its id or one of
    its aliases: Asia/Chongqing is 北京时间 too), else its city."""
    named = next(
        (z.name for z in rules.marketplaces.zones if zone == z.id or zone in z.aliases), None
    )
    if named is not None:
        return named
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return Localized(zh=city, en=city)


def report_minute(at: datetime) -> datetime:
    """Schedules change state only on whole minutes, so a report is for its minute."""
    return at.replace(second=0, microsecond=0)


class _Zones:
    """Formats one instant in both the seller's and the marketplace's zone."""

    def __init__(self, seller: ZoneInfo, marketplace: ZoneInfo):
        self.seller, self.marketplace = seller, marketplace

    def pair(self, name: str, moment: datetime | None) -> dict:
        if moment is None:
            return {name: None, f"{name}_marketplace": None}
        return {
            name: moment.astimezone(self.seller).isoformat(timespec="seconds"),
            f"{name}_marketplace": moment.astimezone(self.marketplace).isoformat(
                timespec="seconds"
            ),
        }


class _Report:
    """One report's inputs, with the peak and reply_by worked out once."""

    def __init__(
        self,
        rules: Rules,
        market: Marketplace,
        at: datetime,
        seller_zone: str,
        seller: Seller | None,
    ):
        self.rules, self.market, self.at, self.seller = rules, market, at, seller
        self.zones = _Zones(ZoneInfo(seller_zone), ZoneInfo(market.timezone))
        promise = reply_promise(rules, market, at)
        # The peak that pushes reply_by back: the one we are in, or one the 72 h reach.
        self.peak: ActivePeak | None = promise.peak
        self.reply_by = promise.at

    def phone_or_chat(self, channel: str) -> dict:
        hours, market, zones = self.rules.hours, self.market, self.zones
        schedule = find_schedule(self.rules, market.code, channel)
        state = channel_state(schedule, market.holiday_country, self.at)
        return {
            "channel": channel,
            "label": hours.channel_labels[channel],
            "status": state.status,
            "scope": schedule.scope if schedule else "high_priority",
            "note": schedule.note if schedule else hours.unknown_note,
            **zones.pair("next_change", state.next_change),
            "open_intervals": [
                zones.pair("start", s) | zones.pair("end", e) for s, e in state.intervals
            ],
            "help_url": None if schedule else market.contact_us_url,
            "source": schedule.source if schedule else market.source,
            "eligibility": self.eligibility(channel),
        }

    def eligibility(self, channel: str) -> dict | None:
        """None when the seller's settings are not known."""
        if self.seller is None:
            return None
        return channel_eligibility(self.rules, self.seller, channel)

    def case(self) -> dict:
        hours, zones = self.rules.hours, self.zones
        return {
            "channel": "case",
            "label": hours.channel_labels["case"],
            "status": "open",
            "scope": "all",
            "note": hours.case.note,
            **zones.pair("next_change", None),
            "open_intervals": [zones.pair("start", self.at) | zones.pair("end", self.at + HORIZON)],
            **zones.pair("reply_by", self.reply_by),
            "source": hours.case.source,
            "eligibility": self.eligibility("case"),
        }

    def notices(self) -> list[dict]:
        notices = []
        if self.peak is not None:
            notices.append(self._holiday_delay(self.peak))
        holiday = public_holiday_today(self.rules, self.market, self.at)
        if holiday is not None:
            template = self.rules.hours.public_holiday_notice
            notices.append(
                {
                    "code": "public_holiday",
                    "severity": "warning",
                    "message": {
                        "zh": template.zh.format(holiday=holiday),
                        "en": template.en.format(holiday=holiday),
                    },
                    "data": {"holiday": holiday},
                }
            )
        notices += [
            {"code": n.code, "severity": n.severity, "message": n.message, "source": n.source}
            for n in self.rules.hours.notices
            if self.market.code in n.marketplaces
        ]
        return notices

    def _holiday_delay(self, peak: ActivePeak) -> dict:
        # The seller's zone first, the marketplace's in parentheses: the same deadline as
        # the case badge's reply_by, which the seller reads in their own zone.
        due = self.reply_by.astimezone(self.zones.marketplace).strftime("%Y-%m-%d %H:%M")
        due_seller = self.reply_by.astimezone(self.zones.seller).strftime("%Y-%m-%d %H:%M")
        seller_zone = zone_name(self.rules, str(self.zones.seller))
        market_zone = zone_name(self.rules, self.market.timezone)
        name = peak.peak.name

        def worded(lang: str) -> str:
            return getattr(peak.peak.message, lang).format(
                peak=getattr(name, lang),
                reply_by=due_seller,
                seller_zone=getattr(seller_zone, lang),
                reply_by_marketplace=due,
                marketplace_zone=getattr(market_zone, lang),
            )

        return {
            "code": "holiday_delay",
            "severity": "warning",
            "message": {"zh": worded("zh"), "en": worded("en")},
            "data": {
                "peak": peak.peak.id,
                "first_day": peak.first_day.isoformat(),
                "last_day": peak.last_day.isoformat(),
                "reply_by": due,
            },
            "source": peak.peak.source,
        }


def hours_report(
    rules: Rules,
    market: Marketplace,
    at: datetime,
    seller_zone: str,
    seller: Seller | None = None,
) -> dict:
    """The report for the minute of `at`; with `seller`, each channel says whether that
    seller may use it."""
    at = report_minute(at)
    report = _Report(rules, market, at, seller_zone, seller)
    return {
        "marketplace": market.code,
        **report.zones.pair("at", at),
        "seller_timezone": seller_zone,
        "marketplace_timezone": market.timezone,
        "channels": [report.phone_or_chat("phone"), report.phone_or_chat("chat"), report.case()],
        "notices": report.notices(),
    }

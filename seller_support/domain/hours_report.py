"""The open-hours report of one marketplace at one minute: each channel's status, next
change, 7-day intervals and reply_by, and the notices, every time in the seller's zone
and the marketplace's. Plain data; the web layer shapes it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .schedules import (
    HORIZON,
    ActivePeak,
    active_peak,
    channel_state,
    find_schedule,
    public_holiday_today,
    reply_by,
)

if TYPE_CHECKING:
    from ..rules import Rules
    from ..rules.models import Marketplace


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

    def __init__(self, rules: Rules, market: Marketplace, at: datetime, seller_zone: str):
        self.rules, self.market, self.at = rules, market, at
        self.zones = _Zones(ZoneInfo(seller_zone), ZoneInfo(market.timezone))
        self.peak: ActivePeak | None = active_peak(
            rules, at.astimezone(self.zones.marketplace).date()
        )
        self.reply_by = reply_by(rules, market, at, self.peak)

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
        }

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
        due = self.reply_by.astimezone(self.zones.marketplace).strftime("%Y-%m-%d %H:%M")
        name = peak.peak.name
        return {
            "code": "holiday_delay",
            "severity": "warning",
            "message": {
                "zh": peak.peak.message.zh.format(peak=name.zh, reply_by=due),
                "en": peak.peak.message.en.format(peak=name.en, reply_by=due),
            },
            "data": {
                "peak": peak.peak.id,
                "first_day": peak.first_day.isoformat(),
                "last_day": peak.last_day.isoformat(),
                "reply_by": due,
            },
            "source": peak.peak.source,
        }


def hours_report(rules: Rules, market: Marketplace, at: datetime, seller_zone: str) -> dict:
    """The report for the minute of `at`."""
    at = report_minute(at)
    report = _Report(rules, market, at, seller_zone)
    return {
        "marketplace": market.code,
        **report.zones.pair("at", at),
        "seller_timezone": seller_zone,
        "marketplace_timezone": market.timezone,
        "channels": [report.phone_or_chat("phone"), report.phone_or_chat("chat"), report.case()],
        "notices": report.notices(),
    }

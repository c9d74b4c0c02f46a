"""Open-hours reports: per marketplace, and the world clock of all of them."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Blueprint

from ..engine import Engine, current_engine
from ..hours import (
    HORIZON,
    active_peak,
    channel_state,
    find_schedule,
    public_holiday_today,
    reply_by,
)
from ..rules.models import Marketplace
from ..schemas import HoursQuery, HoursResponse, MomentQuery, WorldClockResponse, resolve_at
from .registry import API_PREFIX, endpoint

bp = Blueprint("hours", __name__, url_prefix=API_PREFIX)


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


def _phone_or_chat(engine: Engine, market: Marketplace, channel: str, at: datetime, zones: _Zones):
    hours = engine.rules.hours
    schedule = find_schedule(engine.rules, market.code, channel)
    state = channel_state(schedule, market.holiday_country, at)
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


def _case(engine: Engine, market: Marketplace, at: datetime, zones: _Zones):
    hours = engine.rules.hours
    week = at + HORIZON
    return {
        "channel": "case",
        "label": hours.channel_labels["case"],
        "status": "open",
        "scope": "all",
        "note": hours.case.note,
        **zones.pair("next_change", None),
        "open_intervals": [zones.pair("start", at) | zones.pair("end", week)],
        **zones.pair("reply_by", reply_by(engine.rules, market, at)),
        "source": hours.case.source,
    }


def _notices(engine: Engine, market: Marketplace, at: datetime, zones: _Zones) -> list[dict]:
    rules = engine.rules
    notices = []
    peak = active_peak(rules, at.astimezone(zones.marketplace).date())
    if peak is not None:
        due = reply_by(rules, market, at).astimezone(zones.marketplace).strftime("%Y-%m-%d %H:%M")
        name = peak.peak.name
        notices.append(
            {
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
        )
    holiday = public_holiday_today(rules, market, at)
    if holiday is not None:
        template = rules.hours.public_holiday_notice
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
        for n in rules.hours.notices
        if market.code in n.marketplaces
    ]
    return notices


def hours_report(
    engine: Engine, market: Marketplace, at: datetime, seller_zone: str
) -> HoursResponse:
    """The report for the minute of `at`. Schedules change state only on whole minutes,
    so one computation serves every request in that minute (the badges of every open
    Seller Central tab ask about now)."""
    return _report_for_minute(engine, market.code, _minute(at), seller_zone)


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


# Room for every marketplace in a few seller zones. Bounded, so a client asking about
# ever new minutes cannot grow it; an engine replaced by a rules reload ages out of it.
@lru_cache(maxsize=64)
def _report_for_minute(
    engine: Engine, market_code: str, at: datetime, seller_zone: str
) -> HoursResponse:
    market = engine.marketplace(market_code)
    zones = _Zones(ZoneInfo(seller_zone), ZoneInfo(market.timezone))
    channels = [_phone_or_chat(engine, market, c, at, zones) for c in ("phone", "chat")]
    channels.append(_case(engine, market, at, zones))
    return HoursResponse.model_validate(
        {
            "marketplace": market.code,
            **zones.pair("at", at),
            "seller_timezone": seller_zone,
            "marketplace_timezone": market.timezone,
            "channels": channels,
            "notices": _notices(engine, market, at, zones),
        }
    )


@endpoint(
    bp,
    "/hours",
    summary="Channel status, next change, 7-day intervals and notices",
    query=HoursQuery,
    response=HoursResponse,
)
def hours(query: HoursQuery):
    engine = current_engine()
    market = engine.marketplace(query.marketplace)
    return hours_report(engine, market, resolve_at(query.at, ZoneInfo(query.tz)), query.tz)


@endpoint(
    bp,
    "/hours/all",
    summary="World clock: every marketplace's channels",
    query=MomentQuery,
    response=WorldClockResponse,
)
def world_clock(query: MomentQuery):
    engine = current_engine()
    at = _minute(resolve_at(query.at, ZoneInfo(query.tz)))
    reports = [
        hours_report(engine, m, at, query.tz) for m in engine.rules.marketplaces.marketplaces
    ]
    return WorldClockResponse(
        at=at.astimezone(ZoneInfo(query.tz)).isoformat(timespec="seconds"),
        seller_timezone=query.tz,
        marketplaces=reports,
    )

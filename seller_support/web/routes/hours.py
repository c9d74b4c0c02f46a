"""Open-hours reports: per marketplace, and the world clock of all of them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint

from ...domain.hours_report import hours_report, report_minute
from ...domain.moments import resolve_at
from ..extensions import current_engine
from ..openapi import API_PREFIX, endpoint
from ..schemas import HoursQuery, HoursResponse, MomentQuery, WorldClockResponse

bp = Blueprint("hours", __name__, url_prefix=API_PREFIX)


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
    at = resolve_at(query.at, ZoneInfo(query.tz))
    return HoursResponse.model_validate(hours_report(engine.rules, market, at, query.tz))


@endpoint(
    bp,
    "/hours/all",
    summary="World clock: every marketplace's channels",
    query=MomentQuery,
    response=WorldClockResponse,
)
def world_clock(query: MomentQuery):
    rules = current_engine().rules
    at = report_minute(resolve_at(query.at, ZoneInfo(query.tz)))
    return WorldClockResponse.model_validate(
        {
            "at": at.astimezone(ZoneInfo(query.tz)).isoformat(timespec="seconds"),
            "seller_timezone": query.tz,
            "marketplaces": [
                hours_report(rules, m, at, query.tz) for m in rules.marketplaces.marketplaces
            ],
        }
    )

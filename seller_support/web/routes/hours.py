"""Open-hours reports: per marketplace, and the world clock of all of them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint

from ...domain.eligibility import Seller
from ...domain.hours_report import hours_report, report_minute
from ...domain.moments import resolve_at
from ..extensions import current_engine
from ..openapi import API_PREFIX, endpoint
from ..schemas import (
    HoursQuery,
    HoursResponse,
    SellerSettingsQuery,
    WorldClockQuery,
    WorldClockResponse,
)

bp = Blueprint("hours", __name__, url_prefix=API_PREFIX)


def _seller(query: SellerSettingsQuery) -> Seller | None:
    """The seller's settings when any is given, the others at their defaults."""
    given = query.model_dump(include=set(SellerSettingsQuery.model_fields), exclude_none=True)
    return Seller(**given) if given else None


@endpoint(
    bp,
    "/hours",
    summary="Channel status, next change, 7-day intervals and notices; with the seller's "
    "settings, whether they may use each channel",
    query=HoursQuery,
    response=HoursResponse,
)
def hours(query: HoursQuery):
    engine = current_engine()
    market = engine.marketplace(query.marketplace)
    at = resolve_at(query.at, ZoneInfo(query.tz))
    return HoursResponse.model_validate(
        hours_report(engine.rules, market, at, query.tz, _seller(query))
    )


@endpoint(
    bp,
    "/hours/all",
    summary="World clock: every marketplace's channels",
    query=WorldClockQuery,
    response=WorldClockResponse,
)
def world_clock(query: WorldClockQuery):
    rules = current_engine().rules
    at = report_minute(resolve_at(query.at, ZoneInfo(query.tz)))
    seller = _seller(query)
    return WorldClockResponse.model_validate(
        {
            "at": at.astimezone(ZoneInfo(query.tz)).isoformat(timespec="seconds"),
            "seller_timezone": query.tz,
            "marketplaces": [
                hours_report(rules, m, at, query.tz, seller)
                for m in rules.marketplaces.marketplaces
            ],
        }
    )

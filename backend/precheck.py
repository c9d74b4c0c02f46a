"""Pre-submit checks. Each check code maps to a function; severities, messages and
thresholds come from checks.yaml. A check returns None (silent) or the values of
its message placeholders, each either plain text or a {zh, en} pair."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .cases.duplicates import identifiers, similarity
from .hours import channel_state, find_schedule
from .rules.models import Localized

if TYPE_CHECKING:
    from .cases import CaseStore
    from .classify import Suggestion
    from .engine import Engine
    from .rules.models import Category, Check
    from .schemas import PrecheckRequest

Placeholders = dict[str, "str | Localized"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Context:
    engine: Engine
    request: PrecheckRequest
    category: Category
    at: datetime
    seller_tz: ZoneInfo
    check: Check | None = None
    cases: CaseStore | None = None  # the case log, for duplicate warnings

    @cached_property
    def suggestions(self) -> tuple[Suggestion, ...]:
        return self.engine.classifier.score_all(self.request.text)

    def param(self, name: str):
        return self.check.params[name]

    def localized_param(self, name: str) -> Localized:
        zh, en = self.param(name)
        return Localized(zh=zh, en=en)


@dataclass
class Fired:
    """A check result with machine-readable `data` for the finding besides its placeholders."""

    values: Placeholders
    data: dict[str, str] = field(default_factory=dict)


CheckFunction = Callable[[Context], "Placeholders | Fired | None"]
CHECKS: dict[str, CheckFunction] = {}


def check(code: str):
    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[code] = function
        return function

    return register


def _missing_material(material_id: str) -> CheckFunction:
    def run(ctx: Context) -> Placeholders | None:
        if material_id not in ctx.category.materials:
            return None
        pattern = ctx.engine.rules.material_by_id[material_id].detect
        if re.search(pattern, ctx.request.text):
            return None
        return {"category": ctx.category.label}

    return run


CHECKS["missing_order_id"] = _missing_material("order_id")
CHECKS["missing_asin"] = _missing_material("asin")


@check("missing_evidence")
def _missing_evidence(ctx: Context):
    if "evidence" in ctx.category.materials and not ctx.request.attachments:
        return {"category": ctx.category.label}
    return None


@check("non_english")
def _non_english(ctx: Context):
    return {} if ctx.engine.zh_share(ctx.request.text) >= ctx.param("min_zh_share") else None


@check("special_channel")
def _special_channel(ctx: Context):
    special = ctx.category.special_channel
    if special is None:
        return None
    return {"category": ctx.category.label, "channel": special.name, "url": special.url}


@check("phone_ineligible")
def _phone_ineligible(ctx: Context):
    seller = ctx.request.seller
    if ctx.request.contact_method != "phone" or seller is None:
        return None
    reasons = [
        ctx.localized_param(name)
        for name, applies in (
            ("reason_individual", seller.plan == "individual"),
            ("reason_video", not seller.video_verified),
            ("reason_two_factor", not seller.two_factor),
        )
        if applies
    ]
    if not reasons:
        return None
    return {
        "reasons": Localized(
            zh="；".join(r.zh for r in reasons), en="; ".join(r.en for r in reasons)
        )
    }


@check("category_mismatch")
def _category_mismatch(ctx: Context):
    if ctx.request.category is None or not ctx.suggestions:
        return None
    top = ctx.suggestions[0]
    if top.category.id == ctx.category.id or top.score < ctx.param("min_score"):
        return None
    chosen_raw = next((s.raw for s in ctx.suggestions if s.category.id == ctx.category.id), 0.0)
    if chosen_raw > ctx.param("max_chosen_share") * top.raw:
        return None
    return {
        "suggested": top.category.label,
        "category": ctx.category.label,
        "reasons": ", ".join(top.reasons[:4]),
    }


@check("checklist")
def _checklist(ctx: Context):
    if "three_piece" not in ctx.category.materials:
        return None
    parts = ctx.engine.rules.material_by_id["three_piece"].parts
    return {
        "parts": Localized(zh="、".join(p.zh for p in parts), en="; ".join(p.en for p in parts))
    }


@check("channel_closed")
def _channel_closed(ctx: Context):
    method = ctx.request.contact_method
    if method == "case":
        return None
    marketplace = ctx.engine.marketplace(ctx.request.marketplace)
    schedule = find_schedule(ctx.engine.rules, marketplace.code, method)
    state = channel_state(schedule, marketplace.holiday_country, ctx.at)
    if state.status == "open":
        return None
    if state.next_change is None:
        follow_up = ctx.localized_param("next_none")
    else:
        when = state.next_change.astimezone(ctx.seller_tz).strftime("%Y-%m-%d %H:%M")
        template = ctx.localized_param("next_open")
        follow_up = Localized(zh=template.zh.format(time=when), en=template.en.format(time=when))
    return {
        "channel": ctx.engine.rules.hours.channel_labels[method],
        "status": ctx.localized_param(f"status_{state.status}"),
        "next": follow_up,
    }


@check("channel_scope")
def _channel_scope(ctx: Context):
    if ctx.request.contact_method == "case" or ctx.category.priority != "normal":
        return None
    return {"category": ctx.category.label}


@check("duplicate_case")
def _duplicate_case(ctx: Context):
    if ctx.cases is None:
        return None
    request = ctx.request
    market = ctx.engine.marketplace(request.marketplace).code
    since = ctx.at - timedelta(days=ctx.param("window_days"))
    for earlier in ctx.cases.open_cases_since(market, since, ctx.at):
        score = similarity(request.text, earlier["text"], ctx.param("min_length_ratio"))
        if score >= ctx.param("min_similarity"):
            match, reason = "text", ctx.localized_param("reason_text")
        elif earlier["category"] == ctx.category.id:
            found = _shared_identifier(ctx, earlier["text"])
            if found is None:
                continue
            match, reason = found
        else:
            continue
        return _duplicate_finding(ctx, earlier, match, reason, score)
    return None


def _shared_identifier(ctx: Context, earlier_text: str) -> tuple[str, Localized] | None:
    """The first id material (order id, ASIN) whose values the two texts share."""
    for material in ctx.param("id_materials"):
        detect = ctx.engine.rules.material_by_id[material].detect
        ids = sorted(identifiers(ctx.request.text, detect) & identifiers(earlier_text, detect))
        if ids:
            label = ctx.engine.rules.material_by_id[material].label
            template = ctx.localized_param("reason_id")
            return material, Localized(
                zh=template.zh.format(label=label.zh, value=", ".join(ids)),
                en=template.en.format(label=label.en, value=", ".join(ids)),
            )
    return None


def _duplicate_finding(ctx: Context, earlier: dict, match: str, reason: Localized, score: float):
    filed = datetime.fromisoformat(earlier["filed_at"])
    hours = max(0, int((ctx.at - filed).total_seconds() // 3600))
    days_from = ctx.engine.rules.checks.case_age_days_from_hours
    unit, n = ("age_hours", hours) if hours < days_from else ("age_days", hours // 24)
    if n == 1:
        unit = unit.removesuffix("s")
    elif n == 0:
        unit = "age_now"
    age = ctx.localized_param(unit)
    names = ctx.localized_param("case_with_id" if earlier["case_id"] else "case_without_id")
    ids = {"pk": earlier["id"], "case_id": earlier["case_id"] or ""}
    return Fired(
        {
            "case": Localized(zh=names.zh.format(**ids), en=names.en.format(**ids)),
            "age": Localized(zh=age.zh.format(n=n), en=age.en.format(n=n)),
            "filed": filed.astimezone(ctx.seller_tz).strftime("%Y-%m-%d %H:%M"),
            "reason": reason,
        },
        {
            "case_pk": str(earlier["id"]),
            "case_id": earlier["case_id"] or "",
            "filed_at": earlier["filed_at"],
            "age_hours": str(hours),
            "match": match,
            "similarity": str(round(score)),
        },
    )


def _render(template: Localized, values: Placeholders) -> Localized:
    def pick(language: str) -> dict[str, str]:
        return {
            k: getattr(v, language) if isinstance(v, Localized) else v for k, v in values.items()
        }

    return Localized(zh=template.zh.format(**pick("zh")), en=template.en.format(**pick("en")))


def run_checks(ctx: Context) -> list[dict]:
    findings = []
    for rule in ctx.engine.rules.checks.checks:
        ctx.check = rule
        result = CHECKS[rule.code](ctx)
        if result is None:
            continue
        fired = result if isinstance(result, Fired) else Fired(result)
        findings.append(
            {
                "code": rule.code,
                "severity": rule.severity,
                "message": _render(rule.message, fired.values),
                "source": rule.source,
                "data": fired.data,
            }
        )
    findings.sort(key=lambda f: SEVERITY_ORDER[f["severity"]])
    return findings

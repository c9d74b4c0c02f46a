"""Pre-submit checks. Each check code maps to a function registered here with `@check`;
severities, messages and thresholds come from checks.yaml. A check returns None (silent)
or the values of its message placeholders, each either plain text or a {zh, en} pair.

A check runs at the stages checks.yaml gives it: `describe` (the seller leaves Amazon's
describe step, before any contact channel is chosen) and `send`. A check registered with
`channel=True` reads the chosen channel, so checks.yaml may run it at `send` only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..rules import RulesError
from ..rules.models import Localized
from ..rules.patterns import compile_pattern
from ..store.text import words_of
from .advice import advice_of
from .composer import placeholders_left, templates_for
from .eligibility import Seller, barriers, joined, usable_channels
from .schedules import channel_state, find_schedule
from .similarity import (
    Comparable,
    Lexicon,
    Thresholds,
    Verdict,
    compare,
    judge,
    lexicon_of,
    profile,
    scores,
)
from .text import normalize

if TYPE_CHECKING:
    from ..rules import Rules
    from ..rules.models import Category, Check, Marketplace
    from ..store import CaseStore
    from .analysis import TextAnalysis

Placeholders = dict[str, "str | Localized"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Draft:
    """The case as the seller is about to send it."""

    analysis: TextAnalysis
    category: Category  # the one chosen, else the best suggestion
    category_chosen: bool
    marketplace: Marketplace
    contact_method: str
    attachments: list[str]
    seller: Seller | None  # None: the settings that decide eligibility are unknown
    at: datetime
    seller_tz: ZoneInfo
    # What the seller typed in the page's own reference-number, order-id, ASIN, SKU and
    # steps-taken fields: ids found there count as given.
    reference_numbers: tuple[str, ...] = ()
    upload_offered: bool = True  # False: the page has no upload control
    stage: str = "send"  # "describe" or "send"
    # The store (Seller Central's merchant id) the case is for, when known: another store's
    # cases are no duplicates. On a team server, who is filing it.
    store_id: str | None = None
    person: str | None = None

    @cached_property
    def id_texts(self) -> tuple[str, ...]:
        """Where the seller may have given an id: the text, then each reference field, each
        normalised like the text (full-width digits fold to ASCII)."""
        return (self.analysis.normalized, *(normalize(r) for r in self.reference_numbers))


@dataclass
class Context:
    rules: Rules
    draft: Draft
    cases: CaseStore | None = None  # the case log, for duplicate warnings
    check: Check | None = None

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
# Checks that read the chosen contact channel: meaningless before one is chosen.
CHANNEL_CHECKS: set[str] = set()


def check(code: str, *, channel: bool = False):
    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[code] = function
        if channel:
            CHANNEL_CHECKS.add(code)
        return function

    return register


def check_codes_are_implemented(rules: Rules, rules_dir) -> None:
    """Every check in checks.yaml has a function here, and none that reads the contact
    channel runs at the describe stage; raises RulesError otherwise."""
    unimplemented = sorted({c.code for c in rules.checks.checks} - set(CHECKS))
    if unimplemented:
        raise RulesError(
            f"{rules_dir}/checks.yaml: checks: no code implements {unimplemented}; "
            f"implemented: {sorted(CHECKS)}"
        )
    for i, rule in enumerate(rules.checks.checks):
        if rule.code in CHANNEL_CHECKS and "describe" in rule.stages:
            raise RulesError(
                f"{rules_dir}/checks.yaml: checks.{i}.stages: {rule.code} reads the chosen "
                f"contact channel, which the describe stage does not have yet; "
                f"give it `stages: [send]`"
            )


def _missing_material(material_id: str) -> CheckFunction:
    def run(ctx: Context) -> Placeholders | None:
        category = ctx.draft.category
        if material_id not in category.materials:
            return None
        pattern = ctx.rules.material_by_id[material_id].detect
        if any(compile_pattern(pattern).search(text) for text in ctx.draft.id_texts):
            return None
        return {"category": category.label}

    return run


check("missing_order_id")(_missing_material("order_id"))
check("missing_asin")(_missing_material("asin"))


@check("missing_evidence")
def _missing_evidence(ctx: Context):
    """Names what this category needs attached (proof of delivery for a delivery dispute,
    screenshots elsewhere) when nothing is."""
    draft = ctx.draft
    if not draft.upload_offered or draft.attachments:  # nothing to attach here, or done
        return None
    materials = [ctx.rules.material_by_id[m] for m in draft.category.materials]
    needed = [m.label for m in materials if m.attached]
    if not needed:
        return None
    return {"category": draft.category.label, "evidence": joined(needed, "、", "; ")}


@check("non_english")
def _non_english(ctx: Context):
    """Judges what the seller wrote: a composed English template around a Chinese
    paragraph would otherwise make the text look "mixed" and hide it. Points to the
    composer only where it has a template for the category."""
    if ctx.draft.analysis.written_zh_share < ctx.param("min_zh_share"):
        return None
    composable = templates_for(ctx.rules, ctx.draft.category)
    return {"compose": ctx.localized_param("compose") if composable else ""}


@check("unfilled_placeholder")
def _unfilled_placeholder(ctx: Context):
    """Each template gap still in the text ([ORDER_ID], [DATE], …), by name and, when it is
    one of ours, by what goes there."""
    templates = ctx.rules.templates
    left = placeholders_left(templates, ctx.draft.analysis.normalized, ctx.param("old_gaps"))
    if not left:
        return None

    def named(name: str) -> Localized:
        declared = templates.declaration(name)
        if declared is None:
            return Localized(zh=f"[{name}]", en=f"[{name}]")
        return Localized(
            zh=f"[{name}]（{declared.label.zh}）", en=f"[{name}] ({declared.label.en})"
        )

    return Fired(
        {"placeholders": joined([named(name) for name in left], "、", ", ")},
        {"placeholders": ", ".join(left)},
    )


@check("special_channel")
def _special_channel(ctx: Context):
    draft = ctx.draft
    special = draft.category.special_channel
    if special is None:
        return None
    return {
        "category": draft.category.label,
        "channel": special.name,
        "url": special.routes[draft.marketplace.code],
        "also": special.also,
    }


@check("channel_ineligible", channel=True)
def _channel_ineligible(ctx: Context):
    """The seller's own settings rule out the chosen channel (eligibility.py, the same
    barriers the hours badges show): why, and the channels they may use instead."""
    draft = ctx.draft
    if draft.seller is None:
        return None
    found = barriers(ctx.rules, draft.seller, draft.contact_method)
    if not found:
        return None
    labels = ctx.rules.hours.channel_labels
    usable = [labels[c] for c in usable_channels(ctx.rules, draft.seller)]
    return Fired(
        {
            "channel": labels[draft.contact_method],
            "reasons": joined([b.reason for b in found], "；", "; "),
            "alternatives": joined(usable, "或", " or "),
        },
        {"barriers": ",".join(b.id for b in found)},
    )


@check("category_mismatch")
def _category_mismatch(ctx: Context):
    draft = ctx.draft
    if not draft.category_chosen:
        return None
    ranked = draft.analysis.ranked
    top = draft.analysis.suggestions[0]  # ranked[0] with its reasons
    if top.category.id == draft.category.id or top.probability < ctx.param("min_probability"):
        return None
    chosen = next((r.probability for r in ranked if r.category.id == draft.category.id), 0.0)
    if chosen > ctx.param("max_chosen_share") * top.probability:
        return None
    return {
        "suggested": top.category.label,
        "category": draft.category.label,
        "reasons": ", ".join(top.reasons[:4]),
    }


@check("checklist")
def _checklist(ctx: Context):
    if "three_piece" not in ctx.draft.category.materials:
        return None
    parts = ctx.rules.material_by_id["three_piece"].parts
    return {"parts": joined(parts, "、", "; ")}


@check("channel_closed", channel=True)
def _channel_closed(ctx: Context):
    draft = ctx.draft
    method = draft.contact_method
    if method == "case":
        return None
    schedule = find_schedule(ctx.rules, draft.marketplace.code, method)
    state = channel_state(schedule, draft.marketplace.holiday_country, draft.at)
    if state.status == "open":
        return None
    if state.next_change is None:
        follow_up = ctx.localized_param("next_none")
    else:
        when = state.next_change.astimezone(draft.seller_tz).strftime("%Y-%m-%d %H:%M")
        template = ctx.localized_param("next_open")
        follow_up = Localized(zh=template.zh.format(time=when), en=template.en.format(time=when))
    return {
        "channel": ctx.rules.hours.channel_labels[method],
        "status": ctx.localized_param(f"status_{state.status}"),
        "next": follow_up,
    }


@check("channel_scope", channel=True)
def _channel_scope(ctx: Context):
    if ctx.draft.contact_method == "case" or ctx.draft.category.priority != "normal":
        return None
    return {"category": ctx.draft.category.label}


@check("duplicate_case")
def _duplicate_case(ctx: Context):
    """The newest open case in the window that is a duplicate of the draft
    (`similarity.judge`: near-identical text, or in the same category or with an id in
    common a shared id or the same concepts or figures, in Chinese or English, never two
    different ids, figures or concepts of one kind).
    Its cost is bounded: the draft is compared with at most `max_candidates` of the newest
    cases of its marketplace and category and as many of the marketplace in any category
    that are alike in words or name one of its ids (another category's only when
    near-identical, or when it names one of the draft's order ids, ASINs or shipment ids
    or the draft names its Amazon case id), each read through an index with
    its text normalised when it was written (checks.yaml). The draft's own forms are worked
    out once; a stored case costs one batched rapidfuzz score and, when it is compared
    further, one pass for its concepts and one per id kind, both kept for the next
    precheck (`similarity.Lexicon.read`)."""
    if ctx.cases is None:
        return None
    draft = ctx.draft
    since = draft.at - timedelta(days=ctx.param("window_days"))
    ours = Comparable.of(draft.analysis.normalized)
    lexicon = lexicon_of(ctx.rules.checks.duplicates)
    patterns = _id_patterns(ctx)
    draft_profile = profile(ours.words, lexicon, patterns, normalized=draft.analysis.normalized)
    draft_ids = {value for values in draft_profile.ids.values() for value in values}
    # Besides the newest of its category, the store finds (through an index, on a team's
    # PostgreSQL) earlier cases of any age in the window whose words are alike or that
    # name one of the draft's ids.
    candidates = ctx.cases.duplicate_candidates(
        draft.marketplace.code,
        draft.category.id,
        since,
        draft.at,
        int(ctx.param("max_candidates")),
        store_id=draft.store_id,
        words=ours.words,
        ids=sorted(draft_ids),
    )
    if not candidates:
        return None
    limits = Thresholds(
        min_similarity=ctx.param("min_similarity"),
        min_similarity_other_category=ctx.param("min_similarity_other_category"),
        min_shared_weight=ctx.param("min_shared_weight"),
        min_concept_overlap=ctx.param("min_concept_overlap"),
        slot_min_similarity=ctx.param("slot_min_similarity"),
        max_short_size=ctx.param("max_short_size"),
        evidence_only_ids=frozenset(ctx.param("evidence_only_ids")),
    )
    same_category = [c["category"] == draft.category.id for c in candidates]
    text_scores = scores(
        ours,
        [c["words"] for c in candidates],
        same_category,
        ctx.param("min_length_ratio"),
        min(limits.slot_min_similarity, limits.min_similarity),
    )
    # Another category's case counts when its text is the same, all but, or when it names
    # one of the draft's ids: an order id, an ASIN, a shipment id, or the Amazon case id it
    # was given. Not any digits the draft has that look like a case id (a UPC, a phone).
    id_words = [
        f" {words_of(value)} "
        for kind, values in draft_profile.ids.items()
        if kind not in limits.evidence_only_ids
        for value in values
    ]
    for i, earlier in enumerate(candidates):
        its_case_named = (earlier["case_id"] or "").upper() in draft_ids
        if (
            not same_category[i]
            and text_scores[i] < limits.min_similarity_other_category
            and not its_case_named
            and not any(w in f" {earlier['words']} " for w in id_words)
        ):
            continue  # another category: only the same text, or one of the draft's ids
        known = {"amazon_case_id": earlier["case_id"]}
        verdict = judge(
            draft_profile,
            profile(earlier["words"], lexicon, patterns, known, earlier["normalized"]),
            lexicon,
            limits,
            text_score=text_scores[i],
            same_category=same_category[i] or its_case_named,
        )
        if verdict is not None:
            score = text_scores[i]
            if verdict.match != "text":  # the real score, which the cutoff may have zeroed
                score = compare(ours, Comparable(earlier["words"]), ctx.param("min_length_ratio"))
            return _duplicate_finding(ctx, earlier, verdict, lexicon, score)
    return None


def _id_patterns(ctx: Context) -> dict[str, str]:
    """Id kind -> `detect` pattern: the id materials' (order id, ASIN), then materials.yaml's
    `identifiers` named by `id_formats` (FBA shipment id, Amazon case id)."""
    patterns = {m: ctx.rules.material_by_id[m].detect for m in ctx.param("id_materials")}
    identifiers = ctx.rules.materials.identifiers
    patterns.update({name: identifiers[name].detect for name in ctx.param("id_formats")})
    return patterns


def _id_label(ctx: Context, kind: str) -> Localized:
    material = ctx.rules.material_by_id.get(kind)
    return material.label if material is not None else ctx.localized_param(f"label_{kind}")


def _reason(ctx: Context, verdict: Verdict, lexicon: Lexicon) -> Localized:
    """What the warning says matched: the text, or the shared ids and concepts by name."""
    if verdict.match == "text":
        return ctx.localized_param("reason_text")
    shown = verdict.concepts[: int(ctx.param("max_concepts_shown"))]
    zh, en = lexicon.labels(shown, "zh"), lexicon.labels(shown, "en")
    names = [Localized(zh=z, en=e) for z, e in zip(zh, en, strict=True)]
    concepts = joined(names, "、", ", ") if names else Localized(zh="—", en="—")
    if verdict.match == "concepts":
        template = ctx.localized_param("reason_concepts")
        return Localized(
            zh=template.zh.format(concepts=concepts.zh), en=template.en.format(concepts=concepts.en)
        )
    label = _id_label(ctx, verdict.match)
    value = ", ".join(verdict.ids[verdict.match])
    template = ctx.localized_param("reason_id")
    return Localized(
        zh=template.zh.format(label=label.zh, value=value, concepts=concepts.zh),
        en=template.en.format(label=label.en, value=value, concepts=concepts.en),
    )


def _duplicate_finding(
    ctx: Context, earlier: dict, verdict: Verdict, lexicon: Lexicon, score: float
):
    filed = datetime.fromisoformat(earlier["filed_at"])
    hours = max(0, int((ctx.draft.at - filed).total_seconds() // 3600))
    days_from = ctx.rules.checks.case_age_days_from_hours
    unit, n = ("age_hours", hours) if hours < days_from else ("age_days", hours // 24)
    if n == 1:
        unit = unit.removesuffix("s")
    elif n == 0:
        unit = "age_now"
    # Amazon's case id when known; never our case log's own number (read as Amazon's).
    case = _formatted(ctx, "case_with_id", case_id=earlier["case_id"]) if earlier["case_id"] else ""
    data = {
        "case_pk": str(earlier["id"]),
        "case_id": earlier["case_id"] or "",
        "filed_at": earlier["filed_at"],
        "age_hours": str(hours),
        "match": verdict.match,
        "similarity": str(round(score)),
    }
    if verdict.match != "text":  # what matched, for the seller and for us
        data["ids"] = ", ".join(v for values in verdict.ids.values() for v in values)
        data["concepts"] = ", ".join(lexicon.concepts[i].id for i in verdict.concepts)
    data["filed_by"] = earlier.get("person") or ""
    data["store_name"] = earlier.get("store_name") or ""
    return Fired(
        {
            "case": case,
            "age": _formatted(ctx, unit, n=str(n)),
            "reason": _reason(ctx, verdict, lexicon),
            "who": _filer(ctx, earlier.get("person")),
            "store": _formatted(ctx, "for_store", store=data["store_name"])
            if data["store_name"]
            else "",
        },
        data,
    )


def _formatted(ctx: Context, name: str, **values: str) -> Localized:
    template = ctx.localized_param(name)
    return Localized(zh=template.zh.format(**values), en=template.en.format(**values))


def _filer(ctx: Context, person: str | None) -> Localized:
    """ "You" for the seller's own case (and a team member's own); another member by name."""
    if person is None or person == ctx.draft.person:
        return ctx.localized_param("filer_you")
    return _formatted(ctx, "filer_person", person=person)


def _render(template: Localized, values: Placeholders) -> Localized:
    def pick(language: str) -> dict[str, str]:
        return {
            k: getattr(v, language) if isinstance(v, Localized) else v for k, v in values.items()
        }

    return Localized(zh=template.zh.format(**pick("zh")), en=template.en.format(**pick("en")))


def run_checks(rules: Rules, draft: Draft, cases: CaseStore | None = None) -> list[dict]:
    """The findings for a draft, errors first."""
    ctx = Context(rules, draft, cases)
    findings = []
    for rule in rules.checks.checks:
        if draft.stage not in rule.stages:
            continue
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
                "advice": [advice_of(rules.fact_by_id[i]) for i in rule.see_also],
            }
        )
    findings.sort(key=lambda f: SEVERITY_ORDER[f["severity"]])
    return findings

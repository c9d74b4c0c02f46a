"""Pydantic models of the rules files in shared-rules/.

Every model forbids unknown fields, so a typo in a rules file is an error with a
location rather than a silently ignored key. The JSON Schemas published in
shared-rules/schema/ are generated from these models (`make generate`).
"""

from __future__ import annotations

import collections
import functools
import re
import zoneinfo
from datetime import UTC, datetime, time
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .library_cache import holiday_country_codes
from .patterns import compile_pattern

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ChannelId = Literal["phone", "chat", "case"]
Severity = Literal["info", "warning", "error"]
Priority = Literal["high", "normal", "special"]
ContactRoute = Literal[
    "phone_chat", "case", "account_health", "brand_registry", "account_verification"
]
MaterialId = Literal["order_id", "asin", "screenshots", "proof_of_delivery", "three_piece"]
# The seller's own settings (options page) that decide which channels they may use.
Plan = Literal["professional", "individual"]
AccountStatus = Literal["good_standing", "at_risk", "deactivated"]
Stage = Literal["describe", "send"]
STAGES: tuple[Stage, ...] = ("describe", "send")


def _known_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:  # "US" is a folder
        raise ValueError(f"unknown IANA time zone {name!r}") from exc
    return name


@functools.cache
def _holiday_countries() -> frozenset[str]:
    return frozenset(holiday_country_codes())


def _known_holiday_country(code: str) -> str:
    if code not in _holiday_countries():
        raise ValueError(f"the holidays library has no country {code!r}")
    return code


def _linear_regex(pattern: str) -> str:
    """A pattern the backend can run in linear time (patterns.py says how)."""
    compile_pattern(pattern)
    return pattern


def _browser_regex(pattern: str) -> str:
    """A pattern the extension runs too: its backtracking must be bounded."""
    compile_pattern(pattern, browser=True)
    return pattern


TimeZoneName = Annotated[str, AfterValidator(_known_zone)]
HolidayCountry = Annotated[str, AfterValidator(_known_holiday_country)]
Regex = Annotated[str, AfterValidator(_linear_regex)]
BrowserRegex = Annotated[str, AfterValidator(_browser_regex)]
MarketplaceCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
MarketplaceId = Annotated[
    str,
    Field(
        pattern=r"^A[0-9A-Z]{8,15}$",
        description="Amazon's marketplace id (SP-API), e.g. ATVPDKIKX0DER; "
        "developer-docs.amazon.com/sp-api/docs/marketplace-ids",
    ),
]
CategoryId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
FactId = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class Strict(BaseModel):
    # defer_build: a class's validator is built when first used, as part of the file model
    # that holds it, not once per class at import (a tenth of the backend's start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Localized(Strict):
    """A user-visible text in both UI languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


SourceKind = Literal["article", "amazon"]


class Source(Strict):
    """Where a rule comes from: the seed article (an SEO encyclopedia page, not Amazon) or
    Amazon's own guidance (a first-party page, named by its title and URL or path).

    The article's statistics appear in no Amazon source, so nothing from the article is
    `verified`; the seller sees which kind each piece of advice is."""

    kind: SourceKind = Field(
        "article",
        description="`article`: the seed article (shared-rules/source/article-zh.txt); "
        "`amazon`: a first-party Amazon page (`title` required, `url` when known).",
    )
    quote: str = Field(
        min_length=4,
        description="article: a verbatim excerpt of the source article (zh); "
        "amazon: Amazon's words as the first-party page gives them.",
    )
    cites: str | None = Field(None, description="The publication the article itself cites, if any.")
    note: str | None = Field(None, description="How the excerpt was interpreted, if not literal.")
    title: str | None = Field(None, description="amazon: the first-party page's title.")
    url: str | None = Field(
        None,
        pattern=r"^(https://|/)",
        description="amazon: the page's https URL, or its Seller Central path (/…).",
    )
    verified: bool = Field(
        False,
        description="Stated by a first-party Amazon source (only `kind: amazon`): the "
        "article's figures are not.",
    )
    paraphrase: bool = Field(
        False,
        description="amazon: `quote` is Amazon's guidance as publicly quoted (a mirror, a "
        "summary), not words read on Amazon's own page; the label says so.",
    )

    @model_validator(mode="after")
    def _first_party_named(self) -> Source:
        amazon = self.kind == "amazon"
        if amazon and not self.title:
            raise ValueError("an `amazon` source needs the page's `title` (and `url` when known)")
        if not amazon and (self.title or self.url or self.verified or self.paraphrase):
            raise ValueError(
                "`title`, `url`, `verified` and `paraphrase` are for `kind: amazon`; the "
                "article is not Amazon (name the publication it cites in `cites`)"
            )
        return self


# --- marketplaces.yaml -------------------------------------------------------


class Marketplace(Strict):
    code: MarketplaceCode = Field(description="Amazon's own marketplace code (UK, not GB).")
    name: Localized
    marketplace_id: MarketplaceId
    timezone: TimeZoneName
    holiday_country: HolidayCountry = Field(description="Country code in the holidays library.")
    domains: list[str] = Field(min_length=1)
    header_words: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1,
        description="Words (matched case-insensitively) that name this marketplace in the "
        "Seller Central header's marketplace switcher.",
    )
    contact_us_url: str = Field(pattern=r"^https://")
    source: Source | None = None


class UncoveredMarketplace(Strict):
    """A marketplace Amazon has and the rules do not cover, so that it can be named."""

    code: MarketplaceCode
    marketplace_id: MarketplaceId
    name: Localized


def _listed_twice(values: list[str]) -> list[str]:
    return sorted({v for v in values if values.count(v) > 1})


class Zone(Strict):
    """A time zone as a seller names it (北京时间, US Eastern time)."""

    id: TimeZoneName
    name: Localized
    aliases: list[TimeZoneName] = Field(
        default_factory=list,
        description="Other IANA names of the same zone (links such as Asia/Chongqing, PRC), "
        "named as this one.",
    )
    seller_common: bool = Field(
        False, description="Listed first, in this order, by the options page's zone picker."
    )

    @model_validator(mode="after")
    def _aliases_keep_the_same_time(self) -> Zone:
        # An alias names the zone only if its clocks agree with it (checked each January
        # and July of some recent and coming years, so summer time counts too).
        moments = [datetime(y, m, 1, tzinfo=UTC) for y in range(2015, 2036) for m in (1, 7)]
        own = zoneinfo.ZoneInfo(self.id)
        for alias in self.aliases:
            other = zoneinfo.ZoneInfo(alias)
            offsets = [
                (t.astimezone(own).utcoffset(), t.astimezone(other).utcoffset()) for t in moments
            ]
            if any(mine != theirs for mine, theirs in offsets):
                raise ValueError(f"alias {alias!r} does not keep the same time as {self.id!r}")
        return self


class MarketplacesFile(Strict):
    marketplaces: list[Marketplace] = Field(min_length=1)
    uncovered_marketplace_ids: list[UncoveredMarketplace] = Field(
        default_factory=list,
        description="Marketplaces without rules, so that a page on one can be recognised.",
    )
    zones: list[Zone] = Field(
        min_length=1, description="Display names of time zones; every marketplace's is here."
    )

    @model_validator(mode="after")
    def _every_marketplace_zone_named(self) -> MarketplacesFile:
        ids = [z.id for z in self.zones]
        names = ids + [a for z in self.zones for a in z.aliases]
        if _listed_twice(names):
            raise ValueError(
                f"zones (ids and aliases) listed twice: {', '.join(_listed_twice(names))}"
            )
        unnamed = sorted({m.timezone for m in self.marketplaces} - set(ids))
        if unnamed:
            raise ValueError(f"marketplace time zones without a name in zones: {unnamed}")
        return self

    @model_validator(mode="after")
    def _unique_codes(self) -> MarketplacesFile:
        everything = [*self.marketplaces, *self.uncovered_marketplace_ids]
        duplicates = _listed_twice([m.code for m in everything])
        if duplicates:
            raise ValueError(
                f"marketplace codes listed twice (marketplaces and uncovered_marketplace_ids "
                f"together): {', '.join(duplicates)}"
            )
        duplicates = _listed_twice([m.marketplace_id for m in everything])
        if duplicates:
            raise ValueError(f"marketplace_id listed twice: {', '.join(duplicates)}")
        return self


# --- hours.yaml --------------------------------------------------------------


class WeeklyWindow(Strict):
    days: list[Weekday] = Field(min_length=1)
    open: time
    close: time = Field(description="If not after `open`, the window ends on the next day.")


class HoursExample(Strict):
    """A fixture: at this moment the channel must have this status."""

    at: str = Field(description="ISO 8601 with offset")
    status: Literal["open", "closed"]
    next_change: str | None = None


class ChannelSchedule(Strict):
    marketplaces: list[MarketplaceCode] = Field(min_length=1)
    channel: Literal["phone", "chat"]
    availability: Literal["always", "weekly"]
    timezone: TimeZoneName | None = Field(None, description="Zone the weekly windows are in.")
    windows: list[WeeklyWindow] = Field(default_factory=list)
    closed_on_public_holidays: bool = False
    scope: Literal["high_priority", "all"]
    note: Localized
    source: Source
    examples: list[HoursExample] = Field(default_factory=list)

    @model_validator(mode="after")
    def _weekly_needs_windows(self) -> ChannelSchedule:
        if self.availability == "weekly" and not (self.windows and self.timezone):
            raise ValueError("a weekly schedule needs `timezone` and at least one window")
        if self.availability == "always" and self.windows:
            raise ValueError("an `always` schedule must not list windows")
        return self


class CaseChannel(Strict):
    reply_hours_min: int = Field(gt=0)
    reply_hours_max: int = Field(gt=0)
    note: Localized
    source: Source


class DateAnchor(Strict):
    """A yearly date: a fixed month/day, or a named holiday of a country plus an offset."""

    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)
    holiday: str | None = Field(None, description="Holiday name as the holidays library spells it.")
    country: HolidayCountry | None = None
    offset_days: int = 0

    @model_validator(mode="after")
    def _one_kind(self) -> DateAnchor:
        fixed = self.month is not None and self.day is not None
        named = self.holiday is not None and self.country is not None
        if fixed == named:
            raise ValueError("give either month+day or holiday+country")
        return self


class HolidayPeak(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: Localized
    start: DateAnchor
    end: DateAnchor = Field(description="Last day of the peak (inclusive).")
    reply_business_days: int = Field(gt=0)
    message: Localized = Field(description="May use {reply_by} and {peak}.")
    source: Source


class MarketplaceNotice(Strict):
    code: str = Field(pattern=r"^[a-z_]+$")
    marketplaces: list[MarketplaceCode] = Field(min_length=1)
    severity: Severity
    message: Localized
    source: Source


class SellerCondition(Strict):
    """The seller settings a barrier applies to: every field given must match."""

    plan: Plan | None = None
    account_status: list[AccountStatus] = Field(
        default_factory=list, description="Any of these statuses; empty: any status."
    )
    video_verified: bool | None = None
    two_factor: bool | None = None

    @model_validator(mode="after")
    def _says_something(self) -> SellerCondition:
        if self.model_dump(exclude_defaults=True) == {}:
            raise ValueError("a condition needs at least one setting to match")
        return self


class ChannelBarrier(Strict):
    """Why a seller with these settings cannot use these channels."""

    id: str = Field(pattern=r"^[a-z_]+$")
    channels: list[Literal["phone", "chat"]] = Field(
        min_length=1,
        description="Never `case`: the e-mail channel is open to every seller (the article: "
        "individual sellers rely on e-mail), so a seller always has somewhere to go.",
    )
    when: SellerCondition
    reason: Localized = Field(description="Shown after the channel's name: why not.")
    source: Source


class HoursFile(Strict):
    schedules: list[ChannelSchedule]
    case: CaseChannel
    holiday_peaks: list[HolidayPeak]
    notices: list[MarketplaceNotice] = Field(default_factory=list)
    public_holiday_notice: Localized = Field(description="May use {holiday}.")
    unknown_note: Localized
    channel_labels: dict[ChannelId, Localized]
    channel_barriers: list[ChannelBarrier] = Field(
        default_factory=list,
        description="Who may not use which channel (plan, verification, account status).",
    )

    @model_validator(mode="after")
    def _barrier_ids_once(self) -> HoursFile:
        twice = _listed_twice([b.id for b in self.channel_barriers])
        if twice:
            raise ValueError(f"channel_barriers: ids listed twice: {', '.join(twice)}")
        return self


# --- categories.yaml ---------------------------------------------------------


class Signal(Strict):
    """Phrases or regular expressions that point to a category, with one weight.

    A phrase without CJK characters matches whole words, case-insensitively;
    a trailing `*` lets it match as a prefix (`suspend*` → suspended, suspension).
    """

    weight: float = Field(gt=0)
    phrases: list[str] = Field(default_factory=list)
    patterns: list[Regex] = Field(default_factory=list)


HttpsUrl = Annotated[str, Field(pattern=r"^https://")]


class SpecialChannel(Strict):
    name: Localized
    routes: dict[MarketplaceCode, HttpsUrl] = Field(
        min_length=1,
        description="Each covered marketplace's address of the channel (validate-rules "
        "wants every marketplace of marketplaces.yaml here).",
    )
    also: Localized = Field(description="What else the source advises, said after the address.")
    comment: str = Field(
        min_length=1, description="Where each address was seen; what is not confirmed."
    )


class CategoryExamples(Strict):
    fire: list[str] = Field(min_length=1, description="Texts whose top suggestion must be this.")
    silent: list[str] = Field(
        default_factory=list, description="Texts whose suggestions must not include this."
    )


class Category(Strict):
    id: CategoryId
    label: Localized
    priority: Priority
    channel: ContactRoute
    channel_note: Localized
    special_channel: SpecialChannel | None = None
    materials: list[MaterialId] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)
    source: Source
    examples: CategoryExamples

    @model_validator(mode="after")
    def _special_has_channel(self) -> Category:
        if (self.priority == "special") != (self.special_channel is not None):
            raise ValueError("priority `special` and `special_channel` go together")
        return self


class Scoring(Strict):
    saturation: float = Field(gt=0, description="Raw weight at which the score reaches 0.5.")
    fallback: CategoryId
    max_suggestions: int = Field(ge=1, le=10)


class CategoriesFile(Strict):
    scoring: Scoring
    categories: list[Category] = Field(min_length=1)

    @model_validator(mode="after")
    def _fallback_exists(self) -> CategoriesFile:
        ids = [c.id for c in self.categories]
        if self.scoring.fallback not in ids:
            raise ValueError(f"scoring.fallback {self.scoring.fallback!r} is not a category id")
        if len(set(ids)) != len(ids):
            raise ValueError("category ids must be unique")
        return self


# --- materials.yaml ----------------------------------------------------------


class Material(Strict):
    id: MaterialId
    label: Localized
    how_to: Localized
    detect: BrowserRegex | None = Field(
        None, description="Pattern that finds it in the case text (the extension runs it too)."
    )
    parts: list[Localized] = Field(default_factory=list)
    attached: bool = Field(
        False,
        description="Given as an attachment, not in the text: missing_evidence asks for it "
        "when nothing is attached.",
    )
    source: Source


class Identifier(Strict):
    """An id format found in case texts that is not a material of its own."""

    detect: BrowserRegex = Field(description="Pattern that finds it (the extension runs it too).")
    comment: str = Field(min_length=1, description="Where the format was seen; how sure it is.")


class MaterialsFile(Strict):
    materials: list[Material]
    identifiers: dict[str, Identifier] = Field(default_factory=dict)


# --- checks.yaml -------------------------------------------------------------


class CheckExamples(Strict):
    """Partial precheck requests: `fire` must produce the finding, `silent` must not."""

    fire: list[dict] = Field(min_length=1)
    silent: list[dict] = Field(min_length=1)


class Check(Strict):
    code: str = Field(pattern=r"^[a-z_]+$")
    severity: Severity
    stages: list[Stage] = Field(
        default_factory=lambda: list(STAGES),
        min_length=1,
        description="When the check runs: `describe` (the seller leaves Amazon's describe "
        "step; no contact channel is chosen yet) and/or `send` (the case is sent).",
    )
    message: Localized = Field(description="May use {placeholders} filled by the check.")
    params: dict[str, float | str | list[str]] = Field(default_factory=dict)
    source: Source
    see_also: list[FactId] = Field(
        default_factory=list,
        description="Facts (facts.yaml ids) shown with the finding: Amazon's own guidance "
        "beside the article's.",
    )
    examples: CheckExamples

    @model_validator(mode="after")
    def _stages_once(self) -> Check:
        if len(set(self.stages)) != len(self.stages):
            raise ValueError(f"stages lists a stage twice: {self.stages}")
        return self


class LanguageRule(Strict):
    cjk_chars_per_english_word: float = Field(
        gt=0, description="How much prose one English word is."
    )
    zh_share_for_zh: float = Field(gt=0, le=1)
    zh_share_for_mixed: float = Field(gt=0, le=1)
    ignore_tokens: Regex = Field(description="IDs and acronyms not counted as English words.")


CONCEPT_GAP = "…"  # inside a concept spelling: a short gap (similarity.py says how short)


def _spelling(spelling: str) -> str:
    """A concept's spelling: parts joined by `…` (a short gap), each with two or more
    letters, digits or CJK characters; a `*` (any longer form) only at the end of a part,
    after an English letter or digit."""
    for part in spelling.split(CONCEPT_GAP):
        part = part.strip()
        if sum(map(str.isalnum, part)) < 2:
            raise ValueError(
                f"{spelling!r}: every part around {CONCEPT_GAP} needs two or more letters, digits "
                "or Chinese characters (one alone matches too much)"
            )
        body = part.removesuffix("*")
        if "*" in body:
            raise ValueError(f"{spelling!r}: * only at the end of a part")
        if part.endswith("*") and not (body[-1:].isascii() and body[-1:].isalnum()):
            raise ValueError(f"{spelling!r}: * only after an English letter or digit")
    return spelling


Spelling = Annotated[str, Field(min_length=1), AfterValidator(_spelling)]


class DuplicateConcept(Strict):
    """One specific thing a case can be about, in both languages (duplicate_case)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: list[Spelling] = Field(min_length=1, description="Chinese spellings (may mix in Latin)")
    en: list[Spelling] = Field(min_length=1, description="English spellings")
    kinds: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(
        default_factory=list,
        description="Concepts of one kind name different problems: two texts that each "
        "name a concept of a kind, and none in common, are about different problems.",
    )
    generic: bool = Field(False, description="Says little on its own: counts half.")
    moved_on: bool = Field(
        False, description="Says the earlier problem is over: a new text with it is a new problem."
    )
    follow_up: bool = Field(
        False,
        description="Says the text follows up an earlier case (writing again, 再跟进): a "
        "marker, not a concept the two texts share; a draft with it repeats a short earlier "
        "case's concepts and may add the reasons the earlier one did not give.",
    )
    settled: bool = Field(
        False,
        description="Says a problem was settled (reinstated, 撤诉了): with a `new_turn` "
        "concept, a draft tells of a new problem after the earlier one was solved.",
    )
    new_turn: bool = Field(
        False,
        description="Marks something new (this time, now, 这次): with a `settled` concept, a "
        "draft tells of a new problem after the earlier one was solved.",
    )

    @model_validator(mode="after")
    def _plain_labels(self) -> DuplicateConcept:
        for language in ("zh", "en"):
            counts = collections.Counter(s.casefold() for s in getattr(self, language))
            twice = sorted(s for s, n in counts.items() if n > 1)
            if twice:
                raise ValueError(f"{language}: spellings listed twice: {twice}")
        for language in ("zh", "en"):
            label = getattr(self, language)[0]
            if CONCEPT_GAP in label or "*" in label:
                raise ValueError(
                    f"{language}.0: {label!r} names the concept in the warning: "
                    f"write it plainly (no {CONCEPT_GAP} or *) and put such spellings after it"
                )
        return self


class DuplicateRules(Strict):
    """What the duplicate_case check reads besides the words (checks.yaml `duplicates`)."""

    concepts: list[DuplicateConcept] = Field(default_factory=list)
    detail_kinds: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(
        default_factory=list,
        description="Kinds that say what a case concerns (a marketplace, an ad type), not "
        "what went wrong: a follow-up that adds one is not a new sort of problem (two "
        "different ones still make two problems).",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> DuplicateRules:
        seen: set[str] = set()
        for concept in self.concepts:
            if concept.id in seen:
                raise ValueError(f"concepts: {concept.id!r} is listed twice")
            seen.add(concept.id)
        return self


class ChecksFile(Strict):
    language: LanguageRule
    case_age_days_from_hours: int = Field(
        gt=0, description="Case ages are shown in hours below this, in whole days from it."
    )
    checks: list[Check]
    duplicates: DuplicateRules = Field(
        default_factory=DuplicateRules,
        description="The concepts the duplicate_case check compares, in Chinese and English.",
    )


# --- facts.yaml --------------------------------------------------------------


# Where the extension shows a fact as a tip (features/tips.js decides which situations
# hold on a page; the facts say which tips belong to each):
Situation = Literal[
    "first_visit",  # the seller's first support page with us (until dismissed or the next visit)
    "help_page",  # a page that holds a case form or the way into one (support_pages `form`)
    "template",  # beside our English template / composer button
    "mentions",  # the description mentions one of the fact's `triggers`
    "category",  # the case's category is one of the fact's `categories`
    "normal_priority",  # the case's category is of normal priority (phone and chat not for it)
    "case_page",  # one case's page (selectors' case_links.case)
]


class Triggers(Strict):
    """Words that make a `mentions` tip apply, matched case-insensitively anywhere in the
    description (the extension runs them, as served by /api/v1/facts)."""

    zh: list[Annotated[str, Field(min_length=2)]] = Field(min_length=1)
    en: list[Annotated[str, Field(min_length=2)]] = Field(min_length=1)


class Fact(Strict):
    id: FactId
    kind: Literal["statistic", "advice"]
    text: Localized
    source: Source
    show_on: list[Situation] = Field(
        default_factory=list, description="Where the extension shows it as a tip; none: nowhere."
    )
    triggers: Triggers | None = Field(None, description="`mentions`: the words it applies to.")
    categories: list[CategoryId] = Field(
        default_factory=list, description="`category`: the categories it applies to."
    )
    steps: list[Localized] = Field(
        default_factory=list, description="A walkthrough's steps, shown in order under the text."
    )

    @model_validator(mode="after")
    def _situations_have_their_data(self) -> Fact:
        if ("mentions" in self.show_on) != (self.triggers is not None):
            raise ValueError("`show_on: mentions` and `triggers` go together")
        if ("category" in self.show_on) != bool(self.categories):
            raise ValueError("`show_on: category` and `categories` go together")
        if len(set(self.show_on)) != len(self.show_on):
            raise ValueError(f"show_on lists a situation twice: {self.show_on}")
        return self


class FollowUp(Strict):
    """Which filed cases get a follow-up, and which facts make its checklist. A case is due
    at its reply_by as promised when it was filed (hours.yaml `case` and `holiday_peaks`)."""

    contact_methods: list[ChannelId] = Field(
        min_length=1,
        description="Cases filed by these contact methods get a follow-up at their reply_by "
        "(not phone or chat, which are answered while the seller waits).",
    )
    steps: list[str] = Field(min_length=1, description="Fact ids, in checklist order.")
    account_categories: list[CategoryId] = Field(
        default_factory=list, description="Categories that also get `account_route`."
    )
    account_route: str | None = Field(None, description="Fact id of the extra route.")
    source: Source


class FactsFile(Strict):
    facts: list[Fact]
    followup: FollowUp

    @model_validator(mode="after")
    def _followup_facts_exist(self) -> FactsFile:
        ids = {f.id for f in self.facts}
        twice = _listed_twice([f.id for f in self.facts])
        if twice:
            raise ValueError(f"fact ids listed twice: {', '.join(twice)}")
        wanted = [*self.followup.steps, *filter(None, [self.followup.account_route])]
        missing = [i for i in wanted if i not in ids]
        if missing:
            raise ValueError(f"followup names facts that are not defined: {missing}")
        return self


# --- selectors.yaml ----------------------------------------------------------


class SelectorEntry(Strict):
    selector: str = Field(min_length=1)
    comment: str = Field(min_length=1, description="Why this selector exists / where it is seen.")
    paths: list[PathPrefix] | None = Field(
        None,
        description="Path prefixes of the pages where this selector is tried; "
        "absent = wherever its anchor applies.",
    )


class LabelTexts(Strict):
    en: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)


PathPrefix = Annotated[str, Field(pattern=r"^/")]


class Anchor(Strict):
    comment: str
    selectors: list[SelectorEntry] = Field(default_factory=list)
    texts: LabelTexts = Field(default_factory=LabelTexts)
    paths: list[PathPrefix] | None = Field(
        None,
        description="Path prefixes of the pages where the anchor can appear; "
        "absent = every support page.",
    )


class SupportPage(Strict):
    path: PathPrefix
    comment: str
    form: bool = Field(
        False,
        description="A case form (or the way into one) is expected here: when none of its "
        "anchors is found, the overlay says so and offers to point at the description box.",
    )


class PageCategory(Strict):
    """Amazon's own issue card or category chip, and the category of ours it means."""

    category: CategoryId = Field(description="A category id of categories.yaml.")
    texts: LabelTexts
    comment: str = Field(min_length=1)

    @model_validator(mode="after")
    def _has_texts(self) -> PageCategory:
        if not (self.texts.en or self.texts.zh):
            raise ValueError(f"page category {self.category!r} needs at least one text")
        return self


class MarketplaceParam(Strict):
    """The URL query parameter that names the selected marketplace by its id."""

    name: str = Field(min_length=1)
    prefixes: list[str] = Field(
        default_factory=list, description="Prefixes the id may carry (removed before lookup)."
    )
    comment: str = Field(min_length=1)


class ContactMethodWords(Strict):
    comment: str
    phone: list[str] = Field(min_length=1)
    chat: list[str] = Field(min_length=1)
    case: list[str] = Field(min_length=1)


class PageLink(Strict):
    path: str = Field(pattern=r"^/")
    comment: str


class CaseLinks(Strict):
    case: PageLink = Field(description="One case; the path holds {case_id}.")
    case_log: PageLink

    @model_validator(mode="after")
    def _case_path_has_id(self) -> CaseLinks:
        if "{case_id}" not in self.case.path:
            raise ValueError("case_links.case.path must contain {case_id}")
        return self


class SelectorsFile(Strict):
    support_pages: list[SupportPage]
    anchors: dict[str, Anchor]
    contact_methods: ContactMethodWords
    case_links: CaseLinks
    page_categories: list[PageCategory] = Field(default_factory=list)
    marketplace_param: MarketplaceParam

    @model_validator(mode="after")
    def _anchor_paths_are_support_pages(self) -> SelectorsFile:
        """The extension runs on the support pages only: an anchor elsewhere is never seen."""
        prefixes = [page.path for page in self.support_pages]
        for name, anchor in self.anchors.items():
            for path in anchor.paths or []:
                if not any(path.startswith(prefix) for prefix in prefixes):
                    raise ValueError(
                        f"anchors.{name}.paths: {path!r} is not under any support_pages path "
                        f"({', '.join(prefixes)}); add the page to support_pages or fix the path"
                    )
        return self

    @model_validator(mode="after")
    def _page_texts_name_one_category(self) -> SelectorsFile:
        seen: dict[str, str] = {}
        for entry in self.page_categories:
            for text in [*entry.texts.en, *entry.texts.zh]:
                key = text.casefold()
                if seen.setdefault(key, entry.category) != entry.category:
                    raise ValueError(
                        f"page_categories: {text!r} is mapped to both {seen[key]!r} "
                        f"and {entry.category!r}"
                    )
        return self


class Blend(Strict):
    """How the learned model and the phrase rules make one ranking: a category's combined
    logit is `model` × ln(model probability) + `rules` × rule score (0–1), then softmax."""

    model: float = Field(ge=0)
    rules: float = Field(ge=0)


class ConfidenceLevels(Strict):
    """Combined probability of the top suggestion from which it is "high" or "medium"
    confidence (below: "low"), chosen by `make train` on out-of-fold predictions."""

    high: float = Field(gt=0, le=1)
    medium: float = Field(gt=0, le=1)


class ModelFile(Strict):
    """shared-rules/model/classifier.json, written by `make train` (seller_support/train.py);
    its card is MODEL_CARD.md beside it."""

    # JSON as Python reads it accepts NaN and Infinity, which would poison every score.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    format: Literal[1]
    features_version: int = Field(ge=1, description="features.FEATURES_VERSION it was fitted on")
    classes: list[CategoryId] = Field(min_length=2)
    intercepts: list[float]
    blend: Blend
    confidence: ConfidenceLevels
    alternative_min: float = Field(
        ge=0, le=1, description="An alternative is offered only at or above this probability"
    )
    trained: dict[str, str | int | float | list[str]]
    weights: dict[str, list[float]]

    @model_validator(mode="after")
    def _shapes_agree(self) -> ModelFile:
        width = len(self.classes)
        if len(set(self.classes)) != width:
            raise ValueError("classes must be unique")
        if len(self.intercepts) != width:
            raise ValueError(f"intercepts: {len(self.intercepts)} values for {width} classes")
        wrong = next((f for f, row in self.weights.items() if len(row) != width), None)
        if wrong is not None:
            raise ValueError(f"weights.{wrong}: {len(self.weights[wrong])} values for {width}")
        if self.confidence.medium > self.confidence.high:
            raise ValueError("confidence.medium must not be above confidence.high")
        return self


# --- templates.yaml ----------------------------------------------------------

# One placeholder syntax: [NAME], capitals, digits and underscores, e.g. [ORDER_ID].
PLACEHOLDER = r"\[([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\]"
PlaceholderName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")]
SpellingId = Literal["american", "british"]
FillSource = Literal["identifier", "marketplace", "today"]


class Placeholder(Strict):
    """A gap in a template: what fills it when known, and how the seller fills it."""

    fill: FillSource | None = Field(
        None,
        description="`identifier`: the ids of kind `identifier` found in the description and "
        "reference fields; `marketplace`: its English name; `today`: today's date in the "
        "marketplace's zone; none: the seller writes it (or the client sends it in `values`).",
    )
    identifier: str | None = Field(
        None, description="With `fill: identifier`: an id material or identifier of materials.yaml."
    )
    sure_form: Regex | None = Field(
        None,
        description="With `fill: identifier`: an id matching this is filled in wherever it "
        "is found. With `sure_form` or `named_by`, no other id of the kind is filled in.",
    )
    named_by: list[str] = Field(
        default_factory=list,
        description="With `fill: identifier`: words that name the id (case, 工单); an id "
        'right after one ("Case ID: 22153077391") is filled in.',
    )
    numbered: bool = Field(False, description="NAME_1, NAME_2, … are this placeholder.")
    label: Localized = Field(description="Short name, for the unfilled_placeholder finding.")
    explain: Localized = Field(description="For the seller, in both languages: what to write.")
    example: str = Field(min_length=1, description="An English example.")

    @model_validator(mode="after")
    def _identifier_with_its_fill(self) -> Placeholder:
        if (self.fill == "identifier") != (self.identifier is not None):
            raise ValueError("`fill: identifier` and `identifier` go together")
        if self.fill != "identifier" and (self.sure_form or self.named_by):
            raise ValueError("`sure_form` and `named_by` only with `fill: identifier`")
        return self


class SpellingVariant(Strict):
    date_format: str = Field(description="Uses {day}, {month} (its English name) and {year}.")
    words: dict[str, str] = Field(
        default_factory=dict,
        description="American spelling -> this variant's (lower case, whole words; the "
        "templates are written in American English).",
    )


class TemplateSpelling(Strict):
    marketplaces: dict[MarketplaceCode, SpellingId] = Field(
        description="Which variant each marketplace gets (every covered marketplace)."
    )
    variants: dict[SpellingId, SpellingVariant]


class Template(Strict):
    id: CategoryId
    kind: Literal["category", "follow_up", "refile"] = Field(
        description="`category`: for its `categories`; `follow_up` (on an existing case) and "
        "`refile` (under another category): for every regular category."
    )
    categories: list[CategoryId] = Field(default_factory=list)
    label: Localized
    subject: str = Field(min_length=5, description="The e-mail subject, with [PLACEHOLDERS].")
    body: str = Field(min_length=20, description="The case text, with [PLACEHOLDERS].")
    submit_where: Localized | None = Field(
        None,
        description="Where the text goes when not into a Seller Support case (a plan of "
        "action: the appeal on the Account Health page).",
    )
    source: Source

    @model_validator(mode="after")
    def _categories_for_category_kind(self) -> Template:
        if (self.kind == "category") != bool(self.categories):
            raise ValueError("a `category` template lists its `categories`; the others none")
        stray = re.sub(PLACEHOLDER, "", self.subject + self.body)
        if "[" in stray or "]" in stray:
            raise ValueError(
                "square brackets only as placeholders: [NAME] in capitals, digits and _"
            )
        return self

    @property
    def placeholders(self) -> list[str]:
        """The names it uses, subject first, each once."""
        return list(dict.fromkeys(re.findall(PLACEHOLDER, self.subject + "\n" + self.body)))


class TemplatesFile(Strict):
    spelling: TemplateSpelling
    placeholders: dict[PlaceholderName, Placeholder]
    templates: list[Template] = Field(min_length=1)

    def declaration(self, name: str) -> Placeholder | None:
        """The placeholder NAME is, also a numbered one's NAME_2; None if undeclared."""
        found = self.placeholders.get(name)
        if found is None:
            base, _, number = name.rpartition("_")
            numbered = self.placeholders.get(base)
            if number.isdigit() and numbered is not None and numbered.numbered:
                found = numbered
        return found

    @model_validator(mode="after")
    def _placeholders_declared_and_used(self) -> TemplatesFile:
        twice = _listed_twice([t.id for t in self.templates])
        if twice:
            raise ValueError(f"template ids listed twice: {', '.join(twice)}")
        used: set[str] = set()
        for template in self.templates:
            for name in template.placeholders:
                declared = self.declaration(name)
                if declared is None:
                    raise ValueError(f"templates[{template.id}]: [{name}] is not declared")
                used.add(name if name in self.placeholders else name.rpartition("_")[0])
        unused = sorted(set(self.placeholders) - used)
        if unused:
            raise ValueError(f"placeholders no template uses: {', '.join(unused)}")
        return self

    @model_validator(mode="after")
    def _spelling_words_occur(self) -> TemplatesFile:
        text = " ".join(t.subject + " " + t.body for t in self.templates).lower()
        for variant_id, variant in self.spelling.variants.items():
            absent = sorted(w for w in variant.words if not re.search(rf"\b{w}\b", text))
            if absent:
                raise ValueError(f"spelling.variants.{variant_id}.words: in no template: {absent}")
        missing = sorted(set(self.spelling.marketplaces.values()) - set(self.spelling.variants))
        if missing:
            raise ValueError(f"spelling.marketplaces name undefined variants: {missing}")
        return self


RULE_FILES: dict[str, type[Strict]] = {
    "marketplaces": MarketplacesFile,
    "hours": HoursFile,
    "categories": CategoriesFile,
    "materials": MaterialsFile,
    "checks": ChecksFile,
    "facts": FactsFile,
    "selectors": SelectorsFile,
    "templates": TemplatesFile,
}

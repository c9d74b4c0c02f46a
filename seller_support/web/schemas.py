"""Request and response models of API v1. The OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    model_validator,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from ..domain.contract import AMAZON_CASE_ID, MAX_TEXT
from ..domain.eligibility import CHECKS as SELLER_CHECKS
from ..domain.moments import SUPPORTED_RANGE, supported
from ..rules.models import (
    AccountStatus,
    ChannelId,
    ContactRoute,
    Localized,
    PlaceholderName,
    Plan,
    Priority,
    Severity,
    Situation,
    Source,
    SpellingId,
    Stage,
    TimeZoneName,
    Triggers,
)

DEFAULT_SELLER_TZ = "Asia/Shanghai"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _iso_text(value):
    """Times travel as ISO 8601 text; pydantic alone would also read 0 or "1.5" as Unix time."""
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2026-11-29T10:00:00+08:00")
    return value


def _supported(value: datetime) -> datetime:
    try:
        return supported(value)
    except ValueError as exc:  # without pydantic's "Value error, " in front
        raise PydanticCustomError("date_out_of_range", str(exc)) from exc


_RANGE_NOTE = f"ISO 8601 date-time, {SUPPORTED_RANGE}"
IsoDatetime = Annotated[
    datetime,
    BeforeValidator(_iso_text),
    AfterValidator(_supported),
    WithJsonSchema({"type": "string", "format": "date-time", "description": _RANGE_NOTE}),
]
IsoAwareDatetime = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_text),
    AfterValidator(_supported),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "description": f"{_RANGE_NOTE}, with offset"}
    ),
]


Timestamp = Annotated[str, Field(description="ISO 8601 with UTC offset")]
# Seller Central's merchant id of a store (the `mons_sel_mcid` URL parameter): Amazon's
# merchant and seller ids are 10 to 16 capitals and digits (A1B2C3D4E5F6G7).
StoreId = Annotated[
    str,
    Field(
        pattern=r"^[A-Z0-9]{8,20}$",
        description="The store (seller account): Seller Central's merchant id, mons_sel_mcid",
    ),
]
StoreName = Annotated[
    str, Field(min_length=1, max_length=200, description="As the header shows it")
]
PersonName = Annotated[str, Field(min_length=1, max_length=100, description="A team member")]


class ApiModel(BaseModel):
    # Each model is built on its first use, not at import: the server answers sooner.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ErrorResponse(ApiModel):
    code: str
    message: str


class HealthResponse(ApiModel):
    status: Literal["ok", "degraded"] = Field(
        description="`degraded` while `rules_error` is set: serving, with the last good rules"
    )
    mode: Literal["personal", "team"] = Field(
        description="`team`: a team server; every other request needs `Authorization: Bearer` "
        "with a person's token"
    )
    rules_version: str = Field(description="Content hash of the rules in service")
    rules_updated_at: datetime | None = Field(
        description="When the rules in service were last edited (their files' newest "
        "modification time, UTC), for the seller: 'rules updated on …'"
    )
    rules_error: str | None = Field(
        description="Why the last edit of the rules was not loaded; the last good rules serve"
    )


class MarketplaceOut(ApiModel):
    code: str
    name: Localized
    marketplace_id: str = Field(description="Amazon's marketplace id (SP-API), e.g. ATVPDKIKX0DER")
    timezone: str
    domains: list[str]
    header_words: list[str] = Field(
        description="Words naming the marketplace in the header's switcher (lower-cased match)"
    )
    contact_us_url: str


class UncoveredMarketplaceOut(ApiModel):
    code: str
    marketplace_id: str
    name: Localized


class ZoneOut(ApiModel):
    id: str = Field(description="IANA time zone")
    name: Localized = Field(description="As a seller names it: 美东时间, US Eastern time")
    aliases: list[str] = Field(description="Other IANA names of this zone, named the same")
    seller_common: bool = Field(description="Listed first by the options page's zone picker")


class MarketplacesResponse(ApiModel):
    marketplaces: list[MarketplaceOut]
    uncovered_marketplace_ids: list[UncoveredMarketplaceOut] = Field(
        description="Marketplaces the rules do not cover, to name one detected on a page"
    )
    zones: list[ZoneOut] = Field(
        description="Time zones' display names: every marketplace's, then sellers' common ones"
    )


class MomentQuery(ApiModel):
    """A moment as the seller sees it: `at` (default now) and the seller's zone."""

    at: IsoDatetime | None = Field(
        None, description="ISO 8601; default now; no offset = seller's zone"
    )
    tz: TimeZoneName = Field(DEFAULT_SELLER_TZ, description="Seller's IANA time zone")


class SellerSettingsQuery(ApiModel):
    """The seller's own settings: with any of them (the rest default as in the options
    page), each channel says whether this seller may use it."""

    plan: Plan | None = Field(None, description="Default professional")
    video_verified: bool | None = Field(None, description="Default not set (asked for)")
    two_factor: bool | None = Field(None, description="Default not set (asked for)")
    account_status: AccountStatus | None = Field(None, description="Default good_standing")


class HoursQuery(MomentQuery, SellerSettingsQuery):
    marketplace: str = Field(description="Marketplace code, e.g. US, UK, JP")


class WorldClockQuery(MomentQuery, SellerSettingsQuery):
    pass


class Interval(ApiModel):
    start: Timestamp
    end: Timestamp
    start_marketplace: Timestamp
    end_marketplace: Timestamp


class IneligibleReason(ApiModel):
    code: str = Field(description="hours.yaml channel_barriers id")
    message: Localized
    source: Source


class EligibilityOut(ApiModel):
    usable: bool | None = Field(
        description="False: the seller's settings rule this channel out; null: it turns on "
        "settings not set yet (`unset`)"
    )
    reasons: list[IneligibleReason] = Field(description="Why not; empty unless false")
    unset: list[Literal[SELLER_CHECKS]] = Field(
        description="The settings to fill in before we can say; empty unless null"
    )


class ChannelOut(ApiModel):
    channel: ChannelId
    label: Localized
    status: Literal["open", "closed", "unknown"]
    scope: Literal["high_priority", "all"]
    note: Localized
    next_change: Timestamp | None
    next_change_marketplace: Timestamp | None
    open_intervals: list[Interval]
    help_url: str | None = None
    reply_by: Timestamp | None = None
    reply_by_marketplace: Timestamp | None = None
    source: Source | None = None
    eligibility: EligibilityOut | None = Field(
        None, description="Whether the seller may use it; null without the seller's settings"
    )


class Notice(ApiModel):
    code: str
    severity: Severity
    message: Localized
    data: dict[str, str] = Field(default_factory=dict)
    source: Source | None = None


class HoursResponse(ApiModel):
    marketplace: str
    at: Timestamp
    at_marketplace: Timestamp
    seller_timezone: str
    marketplace_timezone: str
    channels: list[ChannelOut]
    notices: list[Notice]


class WorldClockResponse(ApiModel):
    at: Timestamp
    seller_timezone: str
    marketplaces: list[HoursResponse]


class ClassifyRequest(ApiModel):
    text: str = Field(max_length=MAX_TEXT)
    marketplace: str | None = None


class SuggestionOut(ApiModel):
    category: str
    label: Localized
    score: float = Field(ge=0, le=1, description="Probability (rules, model and corrections)")
    confidence: Literal["high", "medium", "low"] = Field(
        description="high: right in at least 95% of held-out cases; low: show it as a question"
    )
    priority: Priority
    channel: ContactRoute
    reasons: list[str] = Field(description="The seller's own words that point to it")
    similar_cases: int = Field(
        ge=0, description="The seller's earlier corrected cases like this text that chose it"
    )


class ClassifyResponse(ApiModel):
    language: Literal["zh", "en", "mixed"]
    zh_share: float = Field(ge=0, le=1, description="Chinese share of the prose")
    advise_english: bool = Field(description="Mostly Chinese: advise writing precise English")
    suggestions: list[SuggestionOut] = Field(min_length=1)


class CorrectionsOut(ApiModel):
    count: int = Field(
        ge=0, description="Corrections made; the classifier learns from the latest 200"
    )


class CorrectionsForgotten(ApiModel):
    forgotten: int = Field(ge=0)


class SellerProfile(ApiModel):
    plan: Plan = "professional"
    video_verified: StrictBool | None = Field(None, description="Default not set")
    two_factor: StrictBool | None = Field(None, description="Default not set")
    account_status: AccountStatus = "good_standing"


class PrecheckRequest(ApiModel):
    text: str = Field(max_length=MAX_TEXT)
    category: str | None = Field(None, description="Chosen category; omitted = best suggestion")
    marketplace: str = "US"
    contact_method: Literal["case", "phone", "chat"] = "case"
    attachments: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=50
    )
    reference_numbers: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list,
        max_length=20,
        description="What the seller typed in the page's own reference-number, order-id, ASIN, "
        "SKU and steps-taken fields; order ids and ASINs there count as given",
    )
    upload_offered: StrictBool = Field(
        True, description="False: the page has no upload control, so no attachment is asked for"
    )
    stage: Stage = Field(
        "send",
        description="`describe`: the seller leaves Amazon's describe step (no contact channel "
        "chosen yet, so the channel checks do not run); `send`: the case is being sent",
    )
    seller: SellerProfile | None = Field(None, description="Omitted = phone eligibility unknown")
    store_id: StoreId | None = Field(
        None,
        description="The store the case is for: earlier cases of other stores are no duplicate",
    )
    at: IsoDatetime | None = Field(None, description="ISO 8601; default now")
    tz: TimeZoneName = DEFAULT_SELLER_TZ


class AdviceOut(ApiModel):
    id: str
    kind: Literal["statistic", "advice"] = Field(description="A statistic is labelled as one")
    text: Localized
    source: Source


class Finding(ApiModel):
    code: str
    severity: Severity
    message: Localized
    source: Source | None = None
    data: dict[str, str] = Field(
        default_factory=dict, description="Machine-readable details, e.g. the earlier case"
    )
    advice: list[AdviceOut] = Field(
        default_factory=list,
        description="Facts to show with the finding (checks.yaml `see_also`), each with its "
        "source: Amazon's own guidance or the article",
    )


class PrecheckResponse(ApiModel):
    category: str
    language: Literal["zh", "en", "mixed"]
    findings: list[Finding]


class MaterialOut(ApiModel):
    id: str
    label: Localized
    how_to: Localized
    parts: list[Localized]
    attached: bool = Field(description="Given as an attachment, not in the text")


class SpecialChannelOut(ApiModel):
    name: Localized
    routes: dict[str, str] = Field(description="Marketplace code -> the channel's address there")
    also: Localized = Field(description="What else the source advises")


class TemplateRef(ApiModel):
    id: str
    kind: Literal["category", "follow_up", "refile"]
    label: Localized


class CategoryOut(ApiModel):
    id: str
    label: Localized
    priority: Priority
    channel: ContactRoute
    channel_note: Localized
    special_channel: SpecialChannelOut | None
    materials: list[MaterialOut]
    templates: list[TemplateRef] = Field(
        description="What a case of it may start from (POST /api/v1/compose), its own first; "
        "none for a special channel's category"
    )
    source: Source


class CategoriesResponse(ApiModel):
    categories: list[CategoryOut]


class ComposeRequest(ApiModel):
    template: str | None = Field(None, description="Template id; omitted = the category's own")
    category: str | None = Field(
        None, description="The case's category: its own template, and [CATEGORY]"
    )
    marketplace: str = Field("US", description="Its name, date and spelling (US or British)")
    text: str = Field(
        "",
        max_length=MAX_TEXT,
        description="The seller's description: ids in it are filled in; the text itself is "
        "never added to the result",
    )
    reference_numbers: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list,
        max_length=20,
        description="The page's reference fields: ids in them are filled in too",
    )
    values: dict[PlaceholderName, Annotated[str, Field(max_length=300)]] = Field(
        default_factory=dict,
        max_length=50,
        description="Values the client knows, by placeholder name (e.g. STORE_NAME)",
    )
    at: IsoDatetime | None = Field(None, description="ISO 8601; default now (for [TODAY])")
    tz: TimeZoneName = DEFAULT_SELLER_TZ


class RemainingOut(ApiModel):
    name: str = Field(description="As it stands in the text: [NAME]")
    label: Localized
    explain: Localized = Field(description="What to write there")
    example: str = Field(description="An English example")


class FilledOut(ApiModel):
    name: str = Field(description="The placeholder's NAME")
    label: Localized
    value: str = Field(description="What was put in its place")


class ComposeResponse(ApiModel):
    template: TemplateRef
    spelling: SpellingId = Field(description="american (US, CA, MX, JP) or british")
    subject: str = Field(description="For the e-mail step's Subject field")
    text: str = Field(description="The case text, known values filled in")
    filled: list[FilledOut] = Field(description="The placeholders filled in, in order")
    remaining: list[RemainingOut] = Field(description="Placeholders left for the seller, in order")
    submit_where: Localized | None = Field(
        None, description="Where the text goes when not into a Seller Support case"
    )
    source: Source


class JsRegex(ApiModel):
    source: str
    flags: str


class ContractResponse(ApiModel):
    """Every value the extension needs from the rules; its built-in copy is generated."""

    max_text_length: int = Field(description="Longest description the backend accepts")
    case_age_days_from_hours: int = Field(description="Ages in hours below this, days from it")
    account_statuses: list[AccountStatus] = Field(
        description="The account statuses a seller may pick in the options, in order"
    )
    identifiers: dict[str, JsRegex] = Field(description="Id formats as JavaScript RegExps")


class FactOut(ApiModel):
    id: str
    kind: Literal["statistic", "advice"]
    text: Localized
    source: Source = Field(
        description="`kind` amazon (a first-party page: `title`, `url`) or article (the seed "
        "article: never `verified`)"
    )
    show_on: list[Situation] = Field(description="Where the extension shows it as a tip")
    triggers: Triggers | None = Field(description="`mentions`: the words it applies to")
    categories: list[str] = Field(description="`category`: the categories it applies to")
    steps: list[Localized] = Field(description="A walkthrough's steps, in order")


class FactsResponse(ApiModel):
    facts: list[FactOut]
    followup_steps: list[str] = Field(
        description="The follow-up checklist's facts, in order (facts.yaml `followup.steps`)"
    )


# --- case log ------------------------------------------------------------------------

CaseStatus = Literal["open", "replied", "resolved"]
ContactMethod = Literal["case", "phone", "chat"]
AmazonCaseId = Annotated[
    str,
    Field(
        pattern=AMAZON_CASE_ID,
        description="Amazon's case ID: 8 to 14 ASCII digits, e.g. 12345678901",
    ),
]


class CaseIn(ApiModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    category: str
    suggested: str | None = Field(
        None,
        description="Our top suggestion when the seller chose; when the seller chose another, "
        "the case is a correction the classifier learns from",
    )
    marketplace: str
    contact_method: ContactMethod = "case"
    case_id: AmazonCaseId | None = None
    filed_at: IsoAwareDatetime | None = Field(None, description="ISO 8601 with offset; default now")
    store_id: StoreId | None = None
    store_name: StoreName | None = None


class CaseImportItem(CaseIn):
    """A case from an export: its status and reply time come along; its id does not."""

    id: int | None = Field(None, description="Ignored; imported cases get new ids")
    filed_at: IsoAwareDatetime
    status: CaseStatus = "open"
    replied_at: IsoAwareDatetime | None = None
    updated_at: str | None = Field(None, description="Ignored")
    followup_due_at: str | None = Field(
        None, description="Ignored: worked out again from the filing time"
    )
    person: PersonName | None = Field(
        None,
        description="Who filed it, from a team server's export; a team server's import "
        "sets the importing member instead",
    )


class CasePatch(ApiModel):
    status: CaseStatus | None = None
    case_id: AmazonCaseId | None = None
    replied_at: IsoAwareDatetime | None = Field(
        None, description="Recording a reply on an open case also sets status `replied`"
    )


class CaseOut(ApiModel):
    id: int
    case_id: str | None
    text: str
    category: str
    suggested: str | None
    marketplace: str
    contact_method: ContactMethod
    status: CaseStatus
    filed_at: Timestamp
    replied_at: Timestamp | None
    updated_at: Timestamp
    followup_due_at: Timestamp | None = Field(
        description="When the case, if still unanswered, is due for a follow-up: its "
        "reply_by when filed (72 h, longer in a holiday peak); null for phone and chat"
    )
    store_id: str | None = None
    store_name: str | None = None
    person: str | None = Field(None, description="Who filed it (team server); null: personal")


PageCursor = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The previous page's `next_cursor`: the page after it",
    ),
]
PageLimit = Annotated[int, Field(ge=1, le=500, description="Items per page")]


class CaseListQuery(ApiModel):
    marketplace: str | None = Field(None, description="Marketplace code, e.g. US")
    status: CaseStatus | None = None
    store_id: StoreId | None = None
    person: PersonName | None = None
    limit: PageLimit = 50
    offset: int = Field(0, ge=0, le=2**63 - 1)  # SQLite integers are signed 64-bit
    cursor: PageCursor | None = None


class CaseList(ApiModel):
    cases: list[CaseOut]
    total: int


class CasePage(ApiModel):
    cases: list[CaseOut]
    total: int | None = Field(
        description="Matching cases in all; counted on the first page only (no `cursor`, "
        "`offset` 0), null on the others"
    )
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page"
    )


class CaseExportQuery(ApiModel):
    format: Literal["json", "csv"] = "json"


class CaseImport(ApiModel):
    """Either `cases` (the JSON export as it is, `total` included) or `csv` (the CSV export's
    text). The body size limit of the endpoint bounds the number of cases."""

    cases: list[CaseImportItem] | None = None
    total: int | None = Field(None, description="Ignored: the JSON export's count")
    csv: str | None = Field(None, description="A CSV export, header row first")
    store_id: StoreId | None = Field(None, description="For the cases that name no store")
    store_name: StoreName | None = Field(None, description="For the cases that name no store")

    @model_validator(mode="after")
    def _one_source(self) -> CaseImport:
        if (self.cases is None) == (self.csv is None):
            raise ValueError("give either `cases` (a list) or `csv` (text)")
        return self


class CaseOwner(ApiModel):
    """Whose cases an import brings (`ssc import --store-id --store-name --person`)."""

    store_id: StoreId | None = None
    store_name: StoreName | None = None
    person: PersonName | None = None


class CaseImportResult(ApiModel):
    imported: int
    skipped: int = Field(description="Already stored (same marketplace, filing time and text)")
    cases: list[CaseOut]


class FollowupsQuery(MomentQuery):
    store_id: StoreId | None = None
    limit: PageLimit = 50
    cursor: PageCursor | None = None


class FollowupOut(ApiModel):
    case: CaseOut
    due_at: Timestamp = Field(description="The case's `followup_due_at`")
    hours_open: float
    account_route: bool = Field(
        description="An account case: the response's `account_route` applies to it"
    )


class FollowupsResponse(ApiModel):
    at: Timestamp
    checklist: list[AdviceOut] = Field(
        description="The follow-up steps, the same for every case (sent once, not per case)"
    )
    account_route: AdviceOut | None = Field(
        description="Where account cases go besides (Amazon Ads), for the items marked "
        "`account_route`"
    )
    followups: list[FollowupOut] = Field(description="Longest overdue first, one page")
    total: int | None = Field(
        description="Due cases in all; counted on the first page only (no `cursor`)"
    )
    next_cursor: str | None = Field(
        description="Pass as `cursor` (with the same `at`) for the next page; null on the last"
    )


class WhoAmIResponse(ApiModel):
    mode: Literal["personal", "team"]
    person: str | None = Field(description="Whose token this is (team mode); null: personal")


class StoreOut(ApiModel):
    store_id: str
    store_name: str | None


class CaseFacets(ApiModel):
    stores: list[StoreOut] = Field(description="Stores with cases, by name")
    people: list[str] = Field(description="People who filed cases, by name")


class PairRequest(ApiModel):
    code: str = Field(
        "",
        max_length=32,
        description="The code `ssc pair` shows; our pinned extension leaves it out and needs none",
    )
    label: str = Field("", max_length=100, description="Which client paired, for the seller")


class PairResponse(ApiModel):
    token: str = Field(description="Send it as X-SSC-Token with every request")

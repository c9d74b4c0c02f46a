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
from ..domain.moments import SUPPORTED_RANGE, supported
from ..rules.models import (
    ChannelId,
    ContactRoute,
    Localized,
    Priority,
    Severity,
    Source,
    Stage,
    TimeZoneName,
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


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorResponse(ApiModel):
    code: str
    message: str


class HealthResponse(ApiModel):
    status: Literal["ok", "degraded"] = Field(
        description="`degraded` while `rules_error` is set: serving, with the last good rules"
    )
    rules_version: str = Field(description="Content hash of the rules in service")
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


class MarketplacesResponse(ApiModel):
    marketplaces: list[MarketplaceOut]
    uncovered_marketplace_ids: list[UncoveredMarketplaceOut] = Field(
        description="Marketplaces the rules do not cover, to name one detected on a page"
    )


class MomentQuery(ApiModel):
    """A moment as the seller sees it: `at` (default now) and the seller's zone."""

    at: IsoDatetime | None = Field(
        None, description="ISO 8601; default now; no offset = seller's zone"
    )
    tz: TimeZoneName = Field(DEFAULT_SELLER_TZ, description="Seller's IANA time zone")


class HoursQuery(MomentQuery):
    marketplace: str = Field(description="Marketplace code, e.g. US, UK, JP")


class Interval(ApiModel):
    start: Timestamp
    end: Timestamp
    start_marketplace: Timestamp
    end_marketplace: Timestamp


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
    plan: Literal["professional", "individual"] = "professional"
    video_verified: StrictBool = False
    two_factor: StrictBool = False


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
    at: IsoDatetime | None = Field(None, description="ISO 8601; default now")
    tz: TimeZoneName = DEFAULT_SELLER_TZ


class Finding(ApiModel):
    code: str
    severity: Severity
    message: Localized
    source: Source | None = None
    data: dict[str, str] = Field(
        default_factory=dict, description="Machine-readable details, e.g. the earlier case"
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


class SpecialChannelOut(ApiModel):
    name: Localized
    url: str


class CategoryOut(ApiModel):
    id: str
    label: Localized
    priority: Priority
    channel: ContactRoute
    channel_note: Localized
    special_channel: SpecialChannelOut | None
    materials: list[MaterialOut]
    template: str
    source: Source


class CategoriesResponse(ApiModel):
    categories: list[CategoryOut]


class JsRegex(ApiModel):
    source: str
    flags: str


class ContractResponse(ApiModel):
    """Every value the extension needs from the rules; its built-in copy is generated."""

    max_text_length: int = Field(description="Longest description the backend accepts")
    followup_after_hours: int = Field(description="Hours without a reply before a follow-up")
    case_age_days_from_hours: int = Field(description="Ages in hours below this, days from it")
    identifiers: dict[str, JsRegex] = Field(description="Id formats as JavaScript RegExps")


class FactOut(ApiModel):
    id: str
    kind: Literal["statistic", "advice"]
    text: Localized
    source: Source


class FactsResponse(ApiModel):
    facts: list[FactOut]


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


class CaseImportItem(CaseIn):
    """A case from an export: its status and reply time come along; its id does not."""

    id: int | None = Field(None, description="Ignored; imported cases get new ids")
    filed_at: IsoAwareDatetime
    status: CaseStatus = "open"
    replied_at: IsoAwareDatetime | None = None
    updated_at: str | None = Field(None, description="Ignored")


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

    @model_validator(mode="after")
    def _one_source(self) -> CaseImport:
        if (self.cases is None) == (self.csv is None):
            raise ValueError("give either `cases` (a list) or `csv` (text)")
        return self


class CaseImportResult(ApiModel):
    imported: int
    skipped: int = Field(description="Already stored (same marketplace, filing time and text)")
    cases: list[CaseOut]


class AdviceOut(ApiModel):
    id: str
    text: Localized
    source: Source


class FollowupsQuery(MomentQuery):
    limit: PageLimit = 50
    cursor: PageCursor | None = None


class FollowupOut(ApiModel):
    case: CaseOut
    due_at: Timestamp
    hours_open: float
    account_route: bool = Field(
        description="An account case: the response's `account_route` applies to it"
    )


class FollowupsResponse(ApiModel):
    at: Timestamp
    after_hours: int
    checklist: list[AdviceOut] = Field(
        description="The follow-up steps, the same for every case (sent once, not per case)"
    )
    account_route: AdviceOut | None = Field(
        description="Where account cases go besides (Amazon Ads), for the items marked "
        "`account_route`"
    )
    followups: list[FollowupOut] = Field(description="Oldest first, one page")
    total: int | None = Field(
        description="Due cases in all; counted on the first page only (no `cursor`)"
    )
    next_cursor: str | None = Field(
        description="Pass as `cursor` (with the same `at`) for the next page; null on the last"
    )


class PairRequest(ApiModel):
    code: str = Field(min_length=1, max_length=32, description="The code `make pair` shows")
    label: str = Field("", max_length=100, description="Which client paired, for the seller")


class PairResponse(ApiModel):
    token: str = Field(description="Send it as X-SSC-Token with every request")

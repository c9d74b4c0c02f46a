"""The pre-submit check."""

from zoneinfo import ZoneInfo

from flask import Blueprint

from ...domain.checks import Draft, run_checks
from ...domain.eligibility import Seller
from ...domain.moments import resolve_at
from ..extensions import current_engine, current_store
from ..openapi import API_PREFIX, endpoint
from ..schemas import PrecheckRequest, PrecheckResponse
from ..security import current_person
from .classify import seller_corrections

bp = Blueprint("precheck", __name__, url_prefix=API_PREFIX)


def _draft(body: PrecheckRequest) -> Draft:
    engine = current_engine()
    marketplace = engine.marketplace(body.marketplace)
    text = engine.analyse(body.text, seller_corrections())
    chosen = body.category is not None
    category = engine.category(body.category) if chosen else text.suggestions[0].category
    seller = Seller(**body.seller.model_dump()) if body.seller else None
    zone = ZoneInfo(body.tz)
    return Draft(
        analysis=text,
        category=category,
        category_chosen=chosen,
        marketplace=marketplace,
        contact_method=body.contact_method,
        attachments=body.attachments,
        seller=seller,
        at=resolve_at(body.at, zone),
        seller_tz=zone,
        reference_numbers=tuple(body.reference_numbers),
        upload_offered=body.upload_offered,
        stage=body.stage,
        store_id=body.store_id,
        person=current_person(),
    )


@endpoint(
    bp,
    "/precheck",
    method="POST",
    summary="Find mistakes before the case is sent",
    body=PrecheckRequest,
    response=PrecheckResponse,
)
def precheck(body: PrecheckRequest):
    draft = _draft(body)
    findings = run_checks(current_engine().rules, draft, current_store())
    return PrecheckResponse(
        category=draft.category.id, language=draft.analysis.language, findings=findings
    )

"""Category suggestions and the pre-submit check."""

from zoneinfo import ZoneInfo

from flask import Blueprint

from ..cases import current_store
from ..engine import current_engine
from ..precheck import Context, run_checks
from ..schemas import (
    ClassifyRequest,
    ClassifyResponse,
    PrecheckRequest,
    PrecheckResponse,
    SuggestionOut,
    resolve_at,
)
from .registry import API_PREFIX, endpoint

bp = Blueprint("classify", __name__, url_prefix=API_PREFIX)


@endpoint(
    bp,
    "/classify",
    method="POST",
    summary="Suggest categories with the phrases that matched",
    body=ClassifyRequest,
    response=ClassifyResponse,
)
def classify(body: ClassifyRequest):
    engine = current_engine()
    if body.marketplace is not None:
        engine.marketplace(body.marketplace)
    suggestions = [
        SuggestionOut(
            category=s.category.id,
            label=s.category.label,
            score=s.score,
            priority=s.category.priority,
            channel=s.category.channel,
            reasons=s.reasons,
        )
        for s in engine.classifier.suggest(body.text)
    ]
    share = engine.zh_share(body.text)
    return ClassifyResponse(
        language=engine.language(body.text),
        zh_share=round(share, 3),
        advise_english=engine.advise_english(share),
        suggestions=suggestions,
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
    engine = current_engine()
    engine.marketplace(body.marketplace)
    if body.category is None:
        category = engine.classifier.suggest(body.text)[0].category
    else:
        category = engine.category(body.category)
    zone = ZoneInfo(body.tz)
    ctx = Context(engine, body, category, resolve_at(body.at, zone), zone, cases=current_store())
    return PrecheckResponse(
        category=category.id, language=engine.language(body.text), findings=run_checks(ctx)
    )

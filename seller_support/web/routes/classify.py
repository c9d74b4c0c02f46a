"""Category suggestions while the seller types."""

from flask import Blueprint

from ..extensions import current_engine
from ..openapi import API_PREFIX, endpoint
from ..schemas import ClassifyRequest, ClassifyResponse, SuggestionOut

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
    text = engine.analyse(body.text)
    return ClassifyResponse(
        language=text.language,
        zh_share=round(text.zh_share, 3),
        advise_english=engine.advise_english(text.zh_share),
        suggestions=[
            SuggestionOut(
                category=s.category.id,
                label=s.category.label,
                score=s.score,
                priority=s.category.priority,
                channel=s.category.channel,
                reasons=s.reasons,
            )
            for s in text.suggestions
        ],
    )

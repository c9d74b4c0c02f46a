"""Category suggestions while the seller types."""

from flask import Blueprint

from ...domain.adaptation import MAX_EXAMPLES, Correction
from ...store import CaseLogUnavailable
from ..extensions import current_engine, current_store
from ..openapi import API_PREFIX, endpoint
from ..schemas import (
    ClassifyRequest,
    ClassifyResponse,
    CorrectionsForgotten,
    CorrectionsOut,
    SuggestionOut,
)
from ..security import refuse_on_a_team_server

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
    text = engine.analyse(body.text, seller_corrections())
    return ClassifyResponse(
        language=text.language,
        zh_share=round(text.zh_share, 3),
        advise_english=engine.advise_english(text.written_zh_share),
        suggestions=[
            SuggestionOut(
                category=s.category.id,
                label=s.category.label,
                score=s.probability,
                confidence=s.confidence,
                priority=s.category.priority,
                channel=s.category.channel,
                reasons=s.reasons,
                similar_cases=s.similar_cases,
            )
            for s in text.suggestions
        ],
    )


def seller_corrections() -> list[Correction]:
    """The seller's latest corrections; none when the case log cannot be read (the
    suggestions are then the rules' and the model's alone, and /health says why)."""
    try:
        return [Correction(*row) for row in current_store().corrections(MAX_EXAMPLES)]
    except CaseLogUnavailable:
        return []


@endpoint(
    bp,
    "/corrections",
    summary="How many corrections the seller made (the classifier learns from the latest 200)",
    response=CorrectionsOut,
)
def count_corrections():
    return CorrectionsOut(count=current_store().count_corrections())


@endpoint(
    bp,
    "/corrections",
    method="DELETE",
    summary="Forget what the classifier learned from the seller's corrections (cases stay)",
    response=CorrectionsForgotten,
)
def forget_corrections():
    # A team's classifier learns from everyone's corrections.
    refuse_on_a_team_server("What the classifier learned from corrections")
    return CorrectionsForgotten(forgotten=current_store().forget_corrections())

"""Health, marketplaces, categories, facts, page selectors and the OpenAPI document."""

from flask import Blueprint, current_app, jsonify

from ...domain.composer import templates_for
from ...domain.contract import build_contract, build_marketplaces
from ...rules.models import SelectorsFile
from ..extensions import current_engine, engine_holder
from ..openapi import API_PREFIX, endpoint, openapi_document
from ..schemas import (
    CategoriesResponse,
    CategoryOut,
    ContractResponse,
    FactsResponse,
    HealthResponse,
    MarketplacesResponse,
    WhoAmIResponse,
)
from ..security import current_person

bp = Blueprint("meta", __name__, url_prefix=API_PREFIX)


@endpoint(
    bp,
    "/health",
    summary="Liveness, the rules version in service; `degraded` while a rules edit failed",
    response=HealthResponse,
)
def health():
    holder = engine_holder()
    error = holder.error
    return HealthResponse(
        status="degraded" if error else "ok",
        mode=_mode(),
        rules_version=holder.engine.rules.version,
        rules_updated_at=holder.engine.rules.updated_at,
        rules_error=error,
    )


def _mode() -> str:
    return "team" if current_app.config.get("TEAM") else "personal"


@endpoint(bp, "/whoami", summary="Whose token this is (team server)", response=WhoAmIResponse)
def whoami():
    return WhoAmIResponse(mode=_mode(), person=current_person())


@endpoint(
    bp,
    "/marketplaces",
    summary="Marketplaces with zones, domains and ids; the ids of the ones not covered",
    response=MarketplacesResponse,
)
def marketplaces():
    return MarketplacesResponse.model_validate(build_marketplaces(current_engine().rules))


@endpoint(
    bp,
    "/categories",
    summary="Categories with routes, materials and templates",
    response=CategoriesResponse,
)
def categories():
    rules = current_engine().rules
    return CategoriesResponse(
        categories=[
            CategoryOut.model_validate(
                {
                    **c.model_dump(
                        include=set(CategoryOut.model_fields) - {"materials", "templates"},
                        exclude={"special_channel": {"comment"}},  # for rules editors
                    ),
                    "materials": [
                        rules.material_by_id[m].model_dump(exclude={"detect", "source"})
                        for m in c.materials
                    ],
                    "templates": [
                        t.model_dump(include={"id", "kind", "label"})
                        for t in templates_for(rules, c)
                    ],
                }
            )
            for c in rules.categories.categories
        ]
    )


@endpoint(
    bp,
    "/facts",
    summary="Statistics and advice, Amazon's and the article's, with where each shows as a tip",
    response=FactsResponse,
)
def facts():
    facts_file = current_engine().rules.facts
    return FactsResponse.model_validate(
        {**facts_file.model_dump(include={"facts"}), "followup_steps": facts_file.followup.steps}
    )


@endpoint(
    bp, "/selectors", summary="Page anchors for the extension, as data", response=SelectorsFile
)
def selectors():
    return current_engine().rules.selectors


@endpoint(
    bp,
    "/contract",
    summary="Limits, id formats and thresholds the extension shares with the backend",
    response=ContractResponse,
)
def contract():
    return ContractResponse.model_validate(build_contract(current_engine().rules))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_engine().rules.version))

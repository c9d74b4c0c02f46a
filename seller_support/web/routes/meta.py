"""Health, marketplaces, categories, facts, page selectors and the OpenAPI document."""

from flask import Blueprint, jsonify

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
)

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
        rules_version=holder.engine.rules.version,
        rules_error=error,
    )


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
                    **c.model_dump(include=set(CategoryOut.model_fields) - {"materials"}),
                    "materials": [
                        rules.material_by_id[m].model_dump(exclude={"detect", "source"})
                        for m in c.materials
                    ],
                }
            )
            for c in rules.categories.categories
        ]
    )


@endpoint(
    bp, "/facts", summary="Statistics and advice from the source, for tips", response=FactsResponse
)
def facts():
    return FactsResponse.model_validate(current_engine().rules.facts.model_dump(include={"facts"}))


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

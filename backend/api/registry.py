"""Declare each endpoint once: its models validate the request at the edge, shape the
response, and generate the OpenAPI document."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, jsonify, request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..errors import APIError
from ..schemas import ErrorResponse

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    summary: str
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel]


ENDPOINTS: list[Endpoint] = []


def _json_object() -> dict:
    if not request.is_json:
        raise APIError(
            415, "unsupported_media_type", "Send the body as Content-Type: application/json."
        )
    try:
        data = request.get_json()
    except RecursionError as exc:  # absurdly deep nesting is malformed input, not a crash
        raise APIError(400, "malformed_json", "The JSON body is nested too deeply.") from exc
    if not isinstance(data, dict):
        raise APIError(400, "malformed_json", "The body must be a JSON object.")
    return data


def endpoint(
    blueprint: Blueprint,
    path: str,
    *,
    summary: str,
    response: type[BaseModel],
    method: str = "GET",
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
):
    """Register `view(query=..., body=...)`, which returns an instance of `response`."""

    def register(view):
        ENDPOINTS.append(Endpoint(API_PREFIX + path, method, summary, query, body, response))

        @wraps(view)
        def handle():
            kwargs = {}
            if query is not None:
                kwargs["query"] = query.model_validate(request.args.to_dict())
            if body is not None:
                kwargs["body"] = body.model_validate(_json_object())
            result: BaseModel = view(**kwargs)
            return jsonify(result.model_dump(mode="json", exclude_none=False))

        blueprint.add_url_rule(path, view.__name__, handle, methods=[method])
        return view

    return register


def _query_parameters(model: type[BaseModel], schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": model.model_fields[name].description or "",
            "schema": prop,
        }
        for name, prop in schema["properties"].items()
    ]


def openapi_document(version: str) -> dict:
    models = {ErrorResponse}
    for ep in ENDPOINTS:
        models.update(m for m in (ep.body, ep.response) if m is not None)
    _, defs = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    error = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    }
    paths: dict = {}
    for ep in ENDPOINTS:
        operation = {
            "summary": ep.summary,
            "operationId": ep.path.removeprefix(API_PREFIX).strip("/").replace("/", "_") or "root",
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{ep.response.__name__}"}
                        }
                    },
                },
                "4XX": {"description": "Invalid request", **error},
            },
        }
        if ep.query is not None:
            operation["parameters"] = _query_parameters(ep.query, ep.query.model_json_schema())
        if ep.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{ep.body.__name__}"}
                    }
                },
            }
        paths.setdefault(ep.path, {})[ep.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Seller Support Companion rules API", "version": version},
        "servers": [{"url": "http://127.0.0.1:8765"}],
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {})},
    }

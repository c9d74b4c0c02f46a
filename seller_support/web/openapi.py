"""Declare each endpoint once: its models validate the request at the edge, shape the
response, and generate the OpenAPI document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from werkzeug.wrappers import Response

from .errors import APIError
from .schemas import ErrorResponse

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    summary: str
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int = 200
    path_params: dict[str, dict] = field(default_factory=dict)  # name -> JSON Schema
    produces: tuple[str, ...] = ()


ENDPOINTS: list[Endpoint] = []


def _validated_body(model: type[BaseModel]) -> BaseModel:
    """pydantic reads the JSON and validates it in one pass. A body that is not JSON, or
    not an object, is malformed (400) rather than a field with a bad value (422)."""
    if not request.is_json:
        raise APIError(
            415, "unsupported_media_type", "Send the body as Content-Type: application/json."
        )
    try:
        return model.model_validate_json(request.get_data())
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        if first["loc"] == () and first["type"] == "json_invalid":
            raise APIError(400, "malformed_json", f"The body is not JSON: {first['msg']}") from exc
        if first["loc"] == () and first["type"] == "model_type":
            raise APIError(400, "malformed_json", "The body must be a JSON object.") from exc
        raise


# Flask converters in a path (`/cases/<int:case_pk>`) and their OpenAPI form.
_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# Integer ids live in SQLite, whose integers are signed 64-bit: a larger id cannot exist.
_INTEGER_ID = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
_CONVERTER_SCHEMAS = {
    None: {"type": "string"},
    "string": {"type": "string"},
    "int": _INTEGER_ID,
    "float": {"type": "number"},
}


def _check_path_ranges(path_params: dict[str, dict], values: dict) -> None:
    for name, schema in path_params.items():
        if "maximum" in schema and values[name] > schema["maximum"]:
            raise APIError(404, "not_found", f"{name}: no such id {values[name]}")


def endpoint(
    blueprint: Blueprint,
    path: str,
    *,
    summary: str,
    response: type[BaseModel] | None,
    method: str = "GET",
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    status: int = 200,
    produces: tuple[str, ...] = (),
    max_body: int | None = None,
):
    """Register `view(<path params>, query=..., body=...)`, which returns an instance of
    `response` (sent with `status`), None when `response` is None (an empty body, e.g. 204),
    or a ready Response in one of the other media types it `produces` (e.g. text/csv).
    `max_body` raises the app's request size limit for this endpoint only."""

    path_params = {
        name: _CONVERTER_SCHEMAS.get(converter, {"type": "string"})
        for converter, name in _PATH_PARAM.findall(path)
    }
    spec_path = API_PREFIX + _PATH_PARAM.sub(r"{\2}", path)

    def register(view):
        ENDPOINTS.append(
            Endpoint(
                spec_path, method, summary, query, body, response, status, path_params, produces
            )
        )

        @wraps(view)
        def handle(**kwargs):
            if max_body is not None:
                request.max_content_length = max_body
            _check_path_ranges(path_params, kwargs)
            if query is not None:
                kwargs["query"] = query.model_validate(request.args.to_dict())
            if body is not None:
                kwargs["body"] = _validated_body(body)
            result = view(**kwargs)
            if isinstance(result, Response):
                return result
            if response is None:
                return "", status
            # pydantic writes the JSON itself: no dict in between, no second pass.
            return Response(result.model_dump_json(), status, mimetype="application/json")

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
    methods_per_path: dict[str, int] = {}
    for ep in ENDPOINTS:
        methods_per_path[ep.path] = methods_per_path.get(ep.path, 0) + 1
    for ep in ENDPOINTS:
        operation_id = re.sub(r"[{}]", "", ep.path.removeprefix(API_PREFIX).strip("/"))
        operation_id = operation_id.replace("/", "_") or "root"
        if methods_per_path[ep.path] > 1:
            operation_id = f"{ep.method.lower()}_{operation_id}"
        success: dict = {"description": "OK" if ep.response else "No content"}
        if ep.response is not None:
            ref = {"$ref": f"#/components/schemas/{ep.response.__name__}"}
            success["content"] = {"application/json": {"schema": ref}}
            for media_type in ep.produces:
                success["content"][media_type] = {"schema": {"type": "string"}}
        operation = {
            "summary": ep.summary,
            "operationId": operation_id,
            "responses": {
                str(ep.status): success,
                "4XX": {"description": "Invalid request", **error},
            },
        }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": schema}
            for name, schema in ep.path_params.items()
        ]
        if ep.query is not None:
            parameters += _query_parameters(ep.query, ep.query.model_json_schema())
        if parameters:
            operation["parameters"] = parameters
        if ep.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{ep.body.__name__}"}
                    }
                },
            }
        if ep.path.startswith((f"{API_PREFIX}/cases", f"{API_PREFIX}/precheck")):
            operation["responses"]["503"] = {
                "description": "The case log's file was deleted, replaced or made read-only "
                "while the backend ran; the message names it and the fix",
                **error,
            }
        paths.setdefault(ep.path, {})[ep.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Seller Support Companion rules API", "version": version},
        "servers": [{"url": "http://127.0.0.1:8765"}],
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {})},
    }

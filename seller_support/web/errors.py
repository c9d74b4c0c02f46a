"""Every error leaves the API as JSON `{code, message}` with a 4xx status."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError

log = logging.getLogger(__name__)


class APIError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _body(code: str, message: str, status: int):
    return jsonify(code=code, message=message), status


def describe_validation_error(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False)[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _api_error(exc: APIError):
    return _body(exc.code, exc.message, exc.status)


def _domain_error(exc: DomainError):
    # The request named something the rules do not know, or asked what they cannot answer.
    return _body(exc.code, exc.message, 422)


def _validation_error(exc: ValidationError):
    return _body("invalid_input", describe_validation_error(exc), 422)


def _http_error(exc: HTTPException):
    code = (exc.name or "error").lower().replace(" ", "_")
    response, status = _body(code, exc.description or exc.name, exc.code or 500)
    # Keep protocol headers such as Allow on a 405; the body is ours.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def _unexpected_error(exc: Exception):
    # A bug, not bad input: log it, and still answer in the documented shape.
    log.exception("unhandled error")
    return _body("internal_error", "Unexpected server error; see the backend log.", 500)


def init_app(app: Flask) -> None:
    app.register_error_handler(APIError, _api_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)

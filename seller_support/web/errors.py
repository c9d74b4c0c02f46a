"""Every error leaves the API as JSON `{code, message}` with a 4xx status, or 503 when the
case log cannot be used (its file was deleted, replaced or made read-only)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError
from ..store import CaseLogBusy, CaseLogUnavailable

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


def _case_log_unavailable(exc: CaseLogUnavailable):
    # The case log's file was deleted, replaced or made read-only, or a team's database is
    # down or busy: nothing is saved until it is back (the message, in Chinese and English,
    # names the log and what to do).
    if isinstance(exc, CaseLogBusy):
        log.warning("case log busy: %s", exc)
        return _body("case_log_busy", str(exc), 503)
    log.error("case log unavailable: %s", exc)
    return _body("case_log_unavailable", str(exc), 503)


def _validation_error(exc: ValidationError):
    return _body("invalid_input", describe_validation_error(exc), 422)


def _http_error(exc: HTTPException):
    code = (exc.name or "error").lower().replace(" ", "_")
    message = exc.description or exc.name
    if exc.code == 413 and request.max_content_length is not None:
        message = f"The body is over this endpoint's limit of {request.max_content_length:,} bytes."
    response, status = _body(code, message, exc.code or 500)
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
    app.register_error_handler(CaseLogUnavailable, _case_log_unavailable)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)

"""Pairing a client whose extension origin cannot be pinned (see web/security.py)."""

from flask import Blueprint, current_app

from ...store.pairing import PairingError, pair, pairing_path
from ..errors import APIError
from ..openapi import API_PREFIX, endpoint
from ..schemas import PairRequest, PairResponse

bp = Blueprint("pairing", __name__, url_prefix=API_PREFIX)

WRONG_CODE = (
    "That pairing code is wrong, used or expired. Run `make pair` for a new one. "
    "配对码错误、已使用或已过期，请运行 `make pair` 获取新的配对码。"
)


@endpoint(
    bp,
    "/pair",
    method="POST",
    summary="Exchange a pairing code for a token (X-SSC-Token)",
    body=PairRequest,
    response=PairResponse,
    status=201,
)
def pair_client(body: PairRequest):
    try:
        token = pair(pairing_path(current_app.config["CASES_DB"]), body.code, body.label)
    except PairingError:
        raise APIError(403, "wrong_code", WRONG_CODE) from None
    return PairResponse(token=token)

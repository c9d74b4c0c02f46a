"""Pairing: a token for a client, given for a pairing code, or without one to our pinned
extension on a request carrying its origin (see web/security.py)."""

from flask import Blueprint, current_app, request

from ...store.pairing import PairingError, issue, pair, pairing_path
from ..errors import APIError
from ..openapi import API_PREFIX, endpoint
from ..schemas import PairRequest, PairResponse
from ..security import is_pinned

bp = Blueprint("pairing", __name__, url_prefix=API_PREFIX)

WRONG_CODE = (
    "That pairing code is wrong, used or expired. Run `ssc pair` for a new one. "
    "配对码错误、已使用或已过期，请运行 `ssc pair` 获取新的配对码。"
)
CODE_REQUIRED = (
    "A pairing code is needed: run `ssc pair` and enter the code on the extension's options "
    "page. 需要配对码：运行 `ssc pair`，在扩展的设置页输入该配对码。"
)

TEAM_SERVER = (
    "A team server does not pair: each person uses their own access token (ssc team "
    "add-person). 团队服务器不使用配对，每人使用自己的访问令牌（ssc team add-person）。"
)


@endpoint(
    bp,
    "/pair",
    method="POST",
    summary="Exchange a pairing code for a token (X-SSC-Token); our pinned extension needs none",
    body=PairRequest,
    response=PairResponse,
    status=201,
)
def pair_client(body: PairRequest):
    if current_app.config.get("TEAM"):
        raise APIError(409, "team_server", TEAM_SERVER)
    path = pairing_path(current_app.config["CASES_DB"])
    if not body.code:
        # Only a browser sets Origin, and only to the extension that makes the request.
        origin = request.headers.get("Origin")
        if not is_pinned(origin):
            raise APIError(403, "code_required", CODE_REQUIRED)
        return PairResponse(token=issue(path, origin, body.label))
    try:
        return PairResponse(token=pair(path, body.code, body.label))
    except PairingError:
        raise APIError(403, "wrong_code", WRONG_CODE) from None

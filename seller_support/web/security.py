"""Who may talk to a backend listening on the seller's own machine.

Web pages and other browser extensions can reach 127.0.0.1 too, so these checks run
before every request:
- the Host must be loopback, which defeats DNS rebinding (a foreign name resolving to 127.0.0.1);
- an Origin, when sent, must be a browser extension: any web page origin is refused (403),
  including "simple" text/plain POSTs that skip the CORS preflight;
- and it must be OUR extension: a pinned extension origin (Chrome/Edge give the unpacked
  extension a fixed id through the manifest's `key`), or a client that paired once with a
  code and sends its token in `X-SSC-Token` (Firefox's extension origin is random per
  installation). Any other extension gets 401 `not_paired`, saying how to pair. Health and
  pairing itself are open to every extension origin, so an unpaired one can say why it
  cannot work and pair.
Requests without an Origin (command-line tools on this machine, which could read the case
log's file anyway) are accepted as before.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, request
from flask_cors import CORS

from ..store.pairing import is_paired, pairing_path
from .errors import APIError
from .openapi import API_PREFIX

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
EXTENSION_ORIGIN = re.compile(r"^(chrome-extension|moz-extension|safari-web-extension)://[\w.-]+$")
# Our extension's ids where the browser keeps them stable: the unpacked extension's, from
# extension/manifest.json "key" (tests/web/test_security.py checks the two agree). Store
# listings get their own ids: add them here when the extension is published.
PINNED_EXTENSION_IDS = ("jamblcgahniclbleacomlhinldngemoa",)
PINNED_ORIGINS = frozenset(f"chrome-extension://{i}" for i in PINNED_EXTENSION_IDS)
TOKEN_HEADER = "X-SSC-Token"
OPEN_TO_ANY_EXTENSION = frozenset({f"{API_PREFIX}/health", f"{API_PREFIX}/pair"})
NOT_PAIRED = (
    "This browser extension is not paired with the backend. Run `make pair` (or read the "
    "code printed by `make run`) and enter the code on the extension's options page. "
    "此浏览器扩展尚未与后端配对：运行 `make pair`（或查看 `make run` 输出的配对码），"
    "在扩展的设置页输入该配对码。"
)


def _hostname(host_header: str) -> str:
    if host_header.startswith("["):  # [::1]:8765
        return host_header[1 : host_header.find("]")]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def _refuse_foreign_requests() -> None:
    if _hostname(request.host).lower() not in LOOPBACK_HOSTS:
        raise APIError(403, "forbidden_host", "Host must be 127.0.0.1 or localhost.")
    origin = request.headers.get("Origin")
    if origin is None:
        return
    if not EXTENSION_ORIGIN.match(origin):
        raise APIError(403, "forbidden_origin", f"Requests from web pages ({origin}) are refused.")
    if (
        origin in PINNED_ORIGINS
        or request.method == "OPTIONS"
        or request.path in OPEN_TO_ANY_EXTENSION
    ):
        return
    token = request.headers.get(TOKEN_HEADER, "")
    if not (token and is_paired(pairing_path(current_app.config["CASES_DB"]), token)):
        raise APIError(401, "not_paired", NOT_PAIRED)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_foreign_requests)
    # Never "*": only extension origins get CORS headers.
    CORS(app, resources={r"/api/*": {"origins": [EXTENSION_ORIGIN]}}, max_age=600)

"""Who may talk to a backend listening on the seller's own machine.

Web pages can reach 127.0.0.1 too, so two checks run before every request:
- the Host must be loopback, which defeats DNS rebinding (a foreign name resolving to 127.0.0.1);
- an Origin, when sent, must be a browser extension: any web page origin is refused,
  including "simple" text/plain POSTs that skip the CORS preflight.
"""

from __future__ import annotations

import re

from flask import Flask, request
from flask_cors import CORS

from .errors import APIError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
EXTENSION_ORIGIN = re.compile(r"^(chrome-extension|moz-extension|safari-web-extension)://[\w.-]+$")


def _hostname(host_header: str) -> str:
    if host_header.startswith("["):  # [::1]:8765
        return host_header[1 : host_header.find("]")]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def _refuse_foreign_requests() -> None:
    if _hostname(request.host).lower() not in LOOPBACK_HOSTS:
        raise APIError(403, "forbidden_host", "Host must be 127.0.0.1 or localhost.")
    origin = request.headers.get("Origin")
    if origin is not None and not EXTENSION_ORIGIN.match(origin):
        raise APIError(403, "forbidden_origin", f"Requests from web pages ({origin}) are refused.")


def init_app(app: Flask) -> None:
    app.before_request(_refuse_foreign_requests)
    # Never "*": only extension origins get CORS headers.
    CORS(app, resources={r"/api/*": {"origins": [EXTENSION_ORIGIN]}}, max_age=600)

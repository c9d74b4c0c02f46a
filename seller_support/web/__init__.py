"""The Flask app: thin routes (parse → domain → shape) over the domain and the case log."""

from __future__ import annotations

from flask import Flask, Response

from ..rules import configured_rules_dir
from ..store import default_db_path
from . import errors, extensions, routes, security

MAX_BODY_BYTES = 64 * 1024  # a body of exactly this many bytes is accepted


def _nosniff(response: Response) -> Response:
    # Browsers must take every answer as the type it declares (JSON, CSV), never sniff it.
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        RULES_DIR=configured_rules_dir(),
        CASES_DB=str(default_db_path()),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        DEBUG=False,
    )
    if test_config:
        app.config.update(test_config)
    if app.config.get("TEAM") and not app.config.get("ALLOWED_HOSTS"):
        raise ValueError("a team server needs ALLOWED_HOSTS (web/team.py)")
    app.json.ensure_ascii = False  # Chinese stays readable in responses
    app.json.sort_keys = False
    errors.init_app(app)
    security.init_app(app)
    extensions.init_app(app)
    routes.init_app(app)
    app.after_request(_nosniff)
    return app

"""API v1: one blueprint per area."""

from flask import Flask

from . import cases, classify, hours, meta


def init_app(app: Flask) -> None:
    for module in (meta, hours, classify, cases):
        app.register_blueprint(module.bp)

"""API v1: one blueprint per area. Each route parses (its models), asks the domain, and
shapes the answer (its response model)."""

from flask import Flask

from . import cases, classify, compose, hours, meta, pairing, precheck


def init_app(app: Flask) -> None:
    for module in (meta, hours, classify, precheck, compose, cases, pairing):
        app.register_blueprint(module.bp)

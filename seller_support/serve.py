"""`make run`: serve the backend with waitress (production WSGI, works on Windows too)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from waitress import serve

from .rules import RulesError
from .store import CaseStoreError
from .web import create_app
from .web.extensions import engine_holder
from .web.security import LOOPBACK_HOSTS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Bounded so that slow or many clients cannot tie the process up.
WAITRESS_LIMITS = {
    "threads": 8,
    "connection_limit": 100,
    "channel_timeout": 30,
    "max_request_body_size": 64 * 1024,
    "max_request_header_size": 16 * 1024,
    "cleanup_interval": 10,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the Seller Support Companion backend.")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow binding to a non-loopback address (not recommended)",
    )
    args = parser.parse_args(argv)
    host = os.environ.get("SSC_HOST", DEFAULT_HOST)
    port = int(os.environ.get("SSC_PORT", DEFAULT_PORT))
    if host not in LOOPBACK_HOSTS and not args.allow_remote:
        print(
            f"Refusing to listen on {host}: pass --allow-remote to expose the backend "
            "beyond this machine.",
            file=sys.stderr,
        )
        return 2
    if host not in LOOPBACK_HOSTS:
        print(
            f"WARNING: listening on {host}; other machines can reach the backend.", file=sys.stderr
        )
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        app = create_app({"WATCH_RULES": True})
    except RulesError as exc:
        print(f"Rules are invalid, not starting:\n  {exc}", file=sys.stderr)
        return 1
    except CaseStoreError as exc:
        print(f"The case log cannot be opened, not starting:\n  {exc}", file=sys.stderr)
        return 1
    with app.app_context():
        version = engine_holder().engine.rules.version
    print(f"Seller Support Companion backend (rules {version}) on http://{host}:{port}", flush=True)
    print(f"Case log: {app.config['CASES_DB']}", flush=True)
    serve(app, host=host, port=port, ident="ssc", **WAITRESS_LIMITS)
    return 0


if __name__ == "__main__":
    sys.exit(main())

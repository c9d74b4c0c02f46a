"""`make run`: serve the backend with waitress (production WSGI, works on Windows too)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from .rules import RulesError
from .server import Server, fit_connection_limit, listening_sockets
from .store import CaseStoreError
from .store.pairing import new_code, pairing_path
from .web import create_app
from .web.extensions import engine_holder
from .web.routes.cases import MAX_IMPORT_BYTES
from .web.security import LOOPBACK_HOSTS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Bounded so that slow or many clients cannot tie the process up. waitress reads a whole
# request before the app sees it (spilling bodies over 512 KiB to a temporary file). Its
# body limit is twice the largest endpoint's (the import): the app enforces each endpoint's
# own limit, and a body somewhat over it is read and answered with the app's JSON 413;
# waitress refuses bigger ones as soon as the headers arrive (JSON too, see .server). At
# the connection limit the idlest connection is closed to make room; under 512 for
# Windows' select().
WAITRESS_LIMITS = {
    "threads": 8,
    "connection_limit": 250,
    "channel_timeout": 30,
    "max_request_body_size": 2 * MAX_IMPORT_BYTES,
    "max_request_header_size": 16 * 1024,
    "cleanup_interval": 5,
    "asyncore_use_poll": True,  # poll() where there is one: no FD_SETSIZE ceiling
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
    try:
        sockets = listening_sockets(host, port)
    except OSError as exc:
        print(f"Cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    limits = {
        **WAITRESS_LIMITS,
        "connection_limit": fit_connection_limit(WAITRESS_LIMITS["connection_limit"]),
    }
    server = Server(app, sockets, ident="ssc", **limits)
    urls = " and ".join(
        f"http://[{h}]:{p}" if ":" in h else f"http://{h}:{p}" for h, p in server.addresses
    )
    print(f"Seller Support Companion backend (rules {version}) on {urls}", flush=True)
    print(f"Case log: {app.config['CASES_DB']}", flush=True)
    # Firefox (and any client whose origin cannot be pinned) pairs once with a code.
    code = new_code(pairing_path(app.config["CASES_DB"]))
    print(f"Pairing code for Firefox / 配对码: {code} (make pair gives a new one)", flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Only our extension gets in (issue 12): a pinned extension origin, or a client paired once
with a code; any other extension gets 401 with how to pair; no Origin (a tool on this
machine) stays accepted; our pinned extension gets a token without a code, for the GETs
Chrome sends without its Origin (web/test_security.py). Through the real server
(waitress), as the attack was."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from seller_support.store.pairing import (
    MAX_ATTEMPTS,
    MAX_TOKENS_PER_CLIENT,
    new_code,
    pairing_path,
)
from seller_support.web.security import PINNED_EXTENSION_IDS

from ..conftest import running_backend

REPO = Path(__file__).resolve().parents[2]
OURS = f"chrome-extension://{PINNED_EXTENSION_IDS[0]}"
STRANGER = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://0b4d2f9e-1c1a-4b8e-9d2a-7f0e6c1d2a3b"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("pairing") / "cases.sqlite3"
    with running_backend(db) as (url, _):
        yield url, db


def call(base: str, method: str, path: str, origin: str | None = None, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = origin
    if token:
        headers["X-SSC-Token"] = token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw.startswith(b"{") else raw
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def extension_id_from_key(key: str) -> str:
    """Chrome's id for an unpacked extension: SHA-256 of the public key, first 32 hex
    digits written with the letters a-p."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def test_the_pinned_id_is_the_unpacked_extensions():
    manifest = json.loads((REPO / "extension" / "manifest.json").read_text(encoding="utf-8"))
    assert extension_id_from_key(manifest["key"]) == PINNED_EXTENSION_IDS[0]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/cases/export?format=json", None),
        ("DELETE", "/api/v1/cases/1", None),
        ("POST", "/api/v1/classify", {"text": "My listing was removed", "marketplace": "US"}),
    ],
)
@pytest.mark.parametrize("origin", [STRANGER, FIREFOX])
def test_an_unpaired_extension_gets_401_saying_how_to_pair(server, origin, method, path, body):
    status, answer = call(server[0], method, path, origin, body)
    assert status == 401
    assert answer["code"] == "not_paired"
    assert "ssc pair" in answer["message"] and "配对" in answer["message"]


def test_our_extension_and_local_tools_get_in(server):
    assert call(server[0], "GET", "/api/v1/cases/export?format=json", OURS)[0] == 200
    assert call(server[0], "GET", "/api/v1/cases/export?format=json")[0] == 200  # no Origin


def test_health_and_pairing_are_open_to_any_extension(server):
    status, answer = call(server[0], "GET", "/api/v1/health", STRANGER)
    assert status == 200 and answer["status"] in ("ok", "degraded")


def test_a_code_pairs_once_and_its_token_lets_the_client_in(server):
    base, db = server
    code = new_code(pairing_path(db))
    status, answer = call(base, "POST", "/api/v1/pair", FIREFOX, {"code": code.lower()})
    assert status == 201
    token = answer["token"]
    assert call(base, "GET", "/api/v1/cases/export?format=json", FIREFOX, token=token)[0] == 200
    # The code is used up; a made-up token is nobody's.
    assert call(base, "POST", "/api/v1/pair", FIREFOX, {"code": code})[1]["code"] == "wrong_code"
    wrong = call(base, "GET", "/api/v1/cases/export?format=json", FIREFOX, token=token + "x")
    assert wrong[0] == 401
    # Only hashes are kept, readable by the seller alone.
    path = pairing_path(db)
    assert token not in path.read_text() and code not in path.read_text()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_too_many_wrong_codes_withdraw_the_open_ones(server):
    base, db = server
    code = new_code(pairing_path(db))
    for _ in range(MAX_ATTEMPTS):
        assert call(base, "POST", "/api/v1/pair", STRANGER, {"code": "WRONG234"})[0] == 403
    assert call(base, "POST", "/api/v1/pair", STRANGER, {"code": code})[0] == 403


def test_ssc_pair_prints_a_code_the_running_server_accepts(server):
    base, db = server
    out = subprocess.run(
        [sys.executable, "-m", "seller_support.pair"],
        env={**os.environ, "SSC_DB": str(db)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    code = re.search(r"Pairing code: (\w+)", out).group(1)
    assert call(base, "POST", "/api/v1/pair", FIREFOX, {"code": code})[0] == 201


def test_tokens_without_a_code_replace_their_own_oldest_never_a_paired_one(server):
    base, db = server
    paired = call(base, "POST", "/api/v1/pair", FIREFOX, {"code": new_code(pairing_path(db))})
    asks = range(MAX_TOKENS_PER_CLIENT + 1)
    ours = [call(base, "POST", "/api/v1/pair", OURS, {})[1]["token"] for _ in asks]
    export = "/api/v1/cases/export?format=json"
    assert call(base, "GET", export, FIREFOX, token=paired[1]["token"])[0] == 200
    assert call(base, "GET", export, FIREFOX, token=ours[0])[0] == 401
    assert all(call(base, "GET", export, FIREFOX, token=t)[0] == 200 for t in ours[1:])

"""Pairing: which clients with a browser-extension origin may use the backend besides the
pinned ones (content of `pairing.json`, next to the case log).

A Chrome or Edge extension origin is stable and can be pinned (web/security.py), but
Chrome sends it only on some requests (not on an extension's GETs), so the pinned
extension asks for a token without a code (`issue`) on a request that carries its origin.
Firefox gives each installation a random `moz-extension://<uuid>` origin, and other
clients have none we could know, so they pair once: the backend shows a short code (at
start, and with `ssc pair`), the seller types it into the extension's options page, and the
extension gets a secret token (`pair`). Either token is sent with every request. Codes and
tokens are kept only as SHA-256 hashes; a code works once, for CODE_TTL, and only
MAX_ATTEMPTS wrong codes are accepted before every open code is withdrawn. The file is
shared with the `ssc pair` command, so every change is a locked read-modify-write of the
whole file (at most a few dozen entries).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a console
CODE_LENGTH = 8
CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5
MAX_TOKENS = 20  # tokens given for a code
# Tokens given to one pinned client without a code: one per browser profile that runs our
# extension, so a few; a new one beyond these replaces that client's oldest, never a
# token the seller paired with a code.
MAX_TOKENS_PER_CLIENT = 5

_lock = threading.Lock()


class PairingError(Exception):
    """A code that is wrong, used or expired."""


def pairing_path(db_path: str | Path) -> Path:
    return Path(db_path).with_name("pairing.json")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        data = {}
    return {
        "codes": list(data.get("codes", [])),
        "tokens": list(data.get("tokens", [])),
        "failures": int(data.get("failures", 0)),
    }


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(
        tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
    )  # secrets: the seller's eyes only
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.replace(tmp, path)


def _now() -> datetime:
    return datetime.now(UTC)


def new_code(path: Path) -> str:
    """A fresh pairing code (the previous ones stay valid until they expire)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with _lock:
        data = _read(path)
        now = _now()
        data["codes"] = [c for c in data["codes"] if datetime.fromisoformat(c["expires"]) > now]
        data["codes"].append({"hash": _hash(code), "expires": (now + CODE_TTL).isoformat()})
        data["failures"] = 0
        _write(path, data)
    return code


def pair(path: Path, code: str, label: str) -> str:
    """Exchange a valid code for a new token (the code is used up); PairingError otherwise."""
    wanted = _hash(code.strip().upper())
    with _lock:
        data = _read(path)
        now = _now()
        live = [c for c in data["codes"] if datetime.fromisoformat(c["expires"]) > now]
        match = next((c for c in live if hmac.compare_digest(c["hash"], wanted)), None)
        if match is None:
            data["failures"] += 1
            if data["failures"] >= MAX_ATTEMPTS:
                live = []  # too many guesses: every open code is withdrawn
            data["codes"] = live
            _write(path, data)
            raise PairingError("wrong_code")
        data["codes"] = [c for c in live if c is not match]
        data["failures"] = 0
        return _add_token(path, data, label, client=None, keep=MAX_TOKENS)


def issue(path: Path, client: str, label: str) -> str:
    """A new token for `client`, a pinned client the caller has recognised, without a code."""
    with _lock:
        return _add_token(path, _read(path), label, client=client, keep=MAX_TOKENS_PER_CLIENT)


def _add_token(path: Path, data: dict, label: str, client: str | None, keep: int) -> str:
    """Write `data` with a new token for `client` (None: paired with a code), keeping the
    newest `keep` of that client's; the token. Called under _lock."""
    token = secrets.token_urlsafe(32)
    entry = {"hash": _hash(token), "label": label[:100], "created": _now().isoformat()}
    if client is not None:
        entry["client"] = client
    theirs = [t for t in data["tokens"] if t.get("client") == client]
    stale = theirs[: max(0, len(theirs) + 1 - keep)]
    data["tokens"] = [*(t for t in data["tokens"] if t not in stale), entry]
    _write(path, data)
    return token


def is_paired(path: Path, token: str) -> bool:
    wanted = _hash(token)
    return any(hmac.compare_digest(t["hash"], wanted) for t in _read(path)["tokens"])

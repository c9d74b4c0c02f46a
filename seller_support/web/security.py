"""Who may talk to a backend listening on the seller's own machine.

Web pages and other browser extensions can reach 127.0.0.1 too, so these checks run
before every request:
- the Host must be loopback, which defeats DNS rebinding (a foreign name resolving to 127.0.0.1);
- an Origin, when sent, must be a browser extension: any web page origin is refused (403),
  including "simple" text/plain POSTs that skip the CORS preflight;
- a request from a browser must come from OUR extension: one carrying a pinned extension
  origin (Chrome/Edge give the unpacked extension a fixed id through the manifest's `key`),
  or one carrying a token in `X-SSC-Token`. Any other gets 401 `not_paired`, saying how to
  pair. Health and pairing itself are open, so an unpaired extension can say why it cannot
  work and pair.
A request is from a browser when it has an Origin or Fetch Metadata (`Sec-Fetch-Site`,
`-Mode`, `-Dest`): browsers send these on every request to 127.0.0.1 and no script can set
them. Chrome sends no Origin on an extension's GET to a host the extension has permission
for (Chromium 156 measured: GET `Sec-Fetch-Site: none`, `-Mode: cors`, `-Dest: empty`, no
Origin; POST the same plus Origin), so without this any extension allowed on 127.0.0.1
could read the case log. Tokens come from pairing with a code (Firefox, whose extension
origin is random per installation) or, for a pinned origin, from the pairing route without
a code on a request that carries that origin (routes/pairing.py): an unpinned extension
cannot get one.
Requests with neither Origin nor Fetch Metadata (command-line tools on this machine, which
could read the case log's file anyway) are accepted as before.

What remains: an extension holding `declarativeNetRequest` (or `...WithHostAccess`) and
host permission for 127.0.0.1 can rewrite the headers of its own requests. Measured in
Chromium 156: a `modifyHeaders` rule removes `Origin` and every `Sec-Fetch-*` header (the
request then looks like a command-line tool's) and can set `Origin` to our pinned origin.
No header a browser sends is beyond such a rule, so this layer cannot tell that extension
from ours; closing it would need a secret for command-line tools too. Chrome warns about
these permissions at install.

A team server (web/team.py) checks its configured host names instead of loopback, and a
person's token in `Authorization: Bearer` on every request but health; pairing is off there.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, current_app, g, request
from flask_cors import CORS

from ..store import CaseLogBusy, CaseLogUnavailable
from ..store.pairing import is_paired, pairing_path
from .errors import APIError
from .extensions import current_store
from .openapi import API_PREFIX

log = logging.getLogger(__name__)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
EXTENSION_ORIGIN = re.compile(r"^(chrome-extension|moz-extension|safari-web-extension)://[\w.-]+$")
# Our extension's ids where the browser keeps them stable: the unpacked extension's, from
# extension/manifest.json "key" (tests/web/test_security.py checks the two agree). Store
# listings get their own ids: add them here when the extension is published.
PINNED_EXTENSION_IDS = ("jamblcgahniclbleacomlhinldngemoa",)
PINNED_ORIGINS = frozenset(f"chrome-extension://{i}" for i in PINNED_EXTENSION_IDS)
TOKEN_HEADER = "X-SSC-Token"
# Sent by browsers, never by curl or Python's HTTP clients; forbidden to page scripts.
FETCH_METADATA = ("Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest")
OPEN_TO_ANY_BROWSER = frozenset({f"{API_PREFIX}/health", f"{API_PREFIX}/pair"})
NOT_PAIRED = (
    "This browser extension is not paired with the backend. Run `ssc pair` (or read the "
    "code printed by `ssc serve`) and enter the code on the extension's options page. "
    "此浏览器扩展尚未与后端配对：运行 `ssc pair`（或查看 `ssc serve` 输出的配对码），"
    "在扩展的设置页输入该配对码。"
)


TOKEN_REQUIRED = (
    "This team server needs your personal access token: ask your team's administrator for "
    "one (ssc team add-person) and enter it on the extension's options page. "
    "此团队服务器需要你的个人访问令牌：请向团队管理员索取（ssc team add-person），"
    "并在扩展的设置页填写。"
)
DATABASE_DOWN = (
    "The team server cannot reach its database just now; try again in a minute, or tell "
    "your team's administrator. 团队服务器暂时无法连接数据库，请稍后重试，或告知团队管理员。"
)
DATABASE_BUSY = (
    "The team server's database is busy just now; try again in a moment. "
    "团队服务器的数据库正忙，请稍后重试。"
)
NOT_YOUR_CASE = (
    "Only the person who filed this case can change or delete it. "
    "只有提交该工单的成员才能修改或删除它。"
)
TEAM_WIDE = (
    "is shared by the whole team and cannot be undone by one person here. "
    "此项为全团队共享，个人无法在此操作。"
)
TOKEN_INVALID = (
    "This access token is not valid on this team server (mistyped, or revoked). Ask your "
    "team's administrator for a new one. "
    "此访问令牌在该团队服务器上无效（输错或已被撤销），请向团队管理员索取新的令牌。"
)


def _hostname(host_header: str) -> str:
    if host_header.startswith("["):  # [::1]:8765
        return host_header[1 : host_header.find("]")]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def is_pinned(origin: str | None) -> bool:
    return origin in PINNED_ORIGINS


def _from_a_browser(origin: str | None) -> bool:
    return origin is not None or any(h in request.headers for h in FETCH_METADATA)


def _refuse_foreign_requests() -> None:
    if current_app.config.get("TEAM"):
        _admit_team_member()
        return
    if _hostname(request.host).lower() not in LOOPBACK_HOSTS:
        raise APIError(403, "forbidden_host", "Host must be 127.0.0.1 or localhost.")
    origin = _extension_origin_or_none()
    if not _from_a_browser(origin):
        return
    if is_pinned(origin) or request.method == "OPTIONS" or request.path in OPEN_TO_ANY_BROWSER:
        return
    token = request.headers.get(TOKEN_HEADER, "")
    if not (token and is_paired(pairing_path(current_app.config["CASES_DB"]), token)):
        raise APIError(401, "not_paired", NOT_PAIRED)


def _extension_origin_or_none() -> str | None:
    """The request's Origin: none, or a browser extension's; a web page's is refused."""
    origin = request.headers.get("Origin")
    if origin is not None and not EXTENSION_ORIGIN.match(origin):
        raise APIError(403, "forbidden_origin", f"Requests from web pages ({origin}) are refused.")
    return origin


def _admit_team_member() -> None:
    """A team server (web/team.py): a configured Host, no web page, and a person's token
    on everything but health (the load balancer's probe)."""
    if _hostname(request.host).lower() not in current_app.config["ALLOWED_HOSTS"]:
        raise APIError(403, "forbidden_host", "Host is not one of this server's SSC_ALLOWED_HOSTS.")
    _extension_origin_or_none()
    if request.method == "OPTIONS" or request.path == f"{API_PREFIX}/health":
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise APIError(401, "token_required", TOKEN_REQUIRED)
    try:
        person = current_store().person_for_token(token.strip())
    except CaseLogBusy as exc:
        # Said to whoever asks, before they are known: not where the database is.
        log.warning("team database busy: %s", exc)
        raise APIError(503, "case_log_busy", DATABASE_BUSY) from None
    except CaseLogUnavailable as exc:
        log.error("team database unavailable: %s", exc)
        raise APIError(503, "case_log_unavailable", DATABASE_DOWN) from None
    if person is None:
        raise APIError(401, "token_invalid", TOKEN_INVALID)
    g.person = person["name"]


def current_person() -> str | None:
    """Who is asking, on a team server; None on a seller's own backend."""
    return g.get("person")


def refuse_unless_filed_by_the_asker(case: dict) -> None:
    """On a team server a person changes or deletes only the cases they filed."""
    if current_app.config.get("TEAM") and case.get("person") != current_person():
        raise APIError(403, "not_your_case", NOT_YOUR_CASE)


def refuse_on_a_team_server(what: str) -> None:
    if current_app.config.get("TEAM"):
        raise APIError(403, "team_server", f"{what} {TEAM_WIDE}")


def init_app(app: Flask) -> None:
    app.before_request(_refuse_foreign_requests)
    # Never "*": only extension origins get CORS headers.
    CORS(app, resources={r"/api/*": {"origins": [EXTENSION_ORIGIN]}}, max_age=600)

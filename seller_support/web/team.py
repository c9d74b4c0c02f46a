"""Team mode: one backend for a seller team or a service agency, with the cases of everyone in
one PostgreSQL database.

Chosen by configuration, never by accident: `SSC_TEAM=1` together with `SSC_DATABASE_URL` (a
postgresql:// URL) and `SSC_ALLOWED_HOSTS` (the names clients use to reach the server, as
the reverse proxy passes them on in `Host`). A team server checks those names instead of
loopback, and every request but health needs a person's token (`ssc team add-person`) in
`Authorization: Bearer`. Rules and hours keep no state between requests, so any number of
these processes can serve behind one load balancer."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..store.postgres import is_postgres_url

TEAM_ENV = "SSC_TEAM"
DATABASE_URL_ENV = "SSC_DATABASE_URL"
ALLOWED_HOSTS_ENV = "SSC_ALLOWED_HOSTS"
_ON, _OFF = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}
# A host name or an IPv4/IPv6 address, as it appears in Host without the port.
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9.-]*[a-z0-9])?$|^[0-9a-f:.]+$")


class TeamConfigError(ValueError):
    """The team settings are incomplete or wrong; the message says which, in both languages."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh}\n{en}")


def team_config(environ: Mapping[str, str]) -> dict | None:
    """The app config of team mode from `environ`; None when `SSC_TEAM` is not set."""
    flag = environ.get(TEAM_ENV, "").strip().lower()
    if flag in _OFF:
        return None
    if flag not in _ON:
        raise TeamConfigError(
            f"{TEAM_ENV}={flag!r} 无法识别：团队模式请设为 1，个人模式请删除该变量。",
            f"{TEAM_ENV}={flag!r} is not understood: set it to 1 for team mode, or remove it.",
        )
    url = environ.get(DATABASE_URL_ENV, "").strip()
    if not is_postgres_url(url):
        raise TeamConfigError(
            f"团队模式需要 PostgreSQL：请设置 {DATABASE_URL_ENV}=postgresql://用户@主机/数据库。",
            f"Team mode needs PostgreSQL: set {DATABASE_URL_ENV}=postgresql://user@host/database.",
        )
    return {"TEAM": True, "CASES_DB": url, "ALLOWED_HOSTS": allowed_hosts(environ)}


def allowed_hosts(environ: Mapping[str, str]) -> frozenset[str]:
    """`SSC_ALLOWED_HOSTS`, comma-separated host names; at least one, and no wildcard."""
    names = [n.strip().lower() for n in environ.get(ALLOWED_HOSTS_ENV, "").split(",")]
    names = [n[1:-1] if n.startswith("[") and n.endswith("]") else n for n in names if n]
    if not names:
        raise TeamConfigError(
            f"团队模式需要 {ALLOWED_HOSTS_ENV}：客户端访问服务器所用的主机名，用逗号分隔，"
            f"例如 cases.example.com。",
            f"Team mode needs {ALLOWED_HOSTS_ENV}: the host names clients reach the server by, "
            f"comma-separated, e.g. cases.example.com.",
        )
    wrong = [n for n in names if not _HOST.match(n)]
    if wrong:
        raise TeamConfigError(
            f"{ALLOWED_HOSTS_ENV} 中的 {wrong} 不是主机名（不要写端口、协议或通配符 *）。",
            f"{ALLOWED_HOSTS_ENV}: {wrong} are not host names (no port, scheme or * wildcard).",
        )
    return frozenset(names)

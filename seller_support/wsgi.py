"""The WSGI app of a team server, for a process manager that imports it:

    SSC_TEAM=1 SSC_DATABASE_URL=postgresql://... SSC_ALLOWED_HOSTS=cases.example.com \\
        gunicorn --workers 4 --bind 127.0.0.1:8765 'seller_support.wsgi:app'

(or `waitress-serve --listen=127.0.0.1:8765 seller_support.wsgi:app`). Not with gunicorn's
`--preload`: the app opens its database connections when imported, and a pool cannot be
shared by the processes forked after. A seller's own
backend is `ssc serve`, which checks its port and case log first; this is for team mode only
(web/team.py)."""

from __future__ import annotations

import os

from .web import create_app
from .web.team import TEAM_ENV, team_config

_config = team_config(os.environ)
if _config is None:
    raise SystemExit(
        f"seller_support.wsgi 只用于团队服务器：请设置 {TEAM_ENV}=1（个人使用请运行 ssc serve）。\n"
        f"seller_support.wsgi serves a team server only: set {TEAM_ENV}=1 (on your own "
        f"machine, run ssc serve)."
    )
app = create_app(_config)

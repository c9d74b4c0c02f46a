"""A tiny stand-in backend for the few scenarios the real one cannot stage on
demand: a channel that opens a few seconds from now (badges must tick over
without a reload) and a precheck that answers too slowly (submit must not be
blocked). Everything else the extension needs comes from the real backend in
the other tests."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

SELLER_TZ = ZoneInfo("Asia/Shanghai")
MARKET_TZ = ZoneInfo("America/New_York")


def _iso(ts: float, tz) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).astimezone(tz).isoformat(timespec="seconds")


XSS = '<img src=x onerror="window.__xss=1">'
GARBAGE = {
    "/api/v1/hours": {
        "at": "not a date",
        "channels": [
            {
                "channel": "phone",
                "status": "open",
                "open_intervals": "nope",
                "next_change": 12,
                "label": XSS,
            },
            {
                "channel": "chat",
                "status": XSS,
                "open_intervals": [{"start": None, "end": 5}],
                "help_url": "javascript:alert(1)",
            },
            "not an object",
        ],
        "notices": "x",
    },
    "/api/v1/classify": {
        "language": 5,
        "suggestions": [
            {"category": XSS, "label": None, "score": "high", "priority": XSS, "reasons": "x"},
            None,
        ],
    },
    "/api/v1/categories": {
        "categories": [
            {
                "id": XSS,
                "materials": "x",
                "template": 5,
                "special_channel": {"url": "javascript:alert(1)"},
            }
        ]
    },
    "/api/v1/precheck": {"findings": [{"code": XSS, "severity": "error", "message": 5}, "junk"]},
    "/api/v1/selectors": {"support_pages": "x", "anchors": 3},
    "/api/v1/marketplaces": {"marketplaces": [{"code": "US"}, 7]},
}


class StubBackend:
    def __init__(self, opens_in: float = 3.0, precheck_delay: float = 0.0, garbage: bool = False):
        self.open_at = time.time() + opens_in
        self.precheck_delay = precheck_delay
        self.garbage = garbage  # answer with malformed, hostile JSON
        self.requests: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: dict):
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                stub.requests.append("GET " + self.path)
                path = self.path.split("?")[0]
                if stub.garbage and path in GARBAGE:
                    self._send(200, GARBAGE[path])
                elif path == "/api/v1/health":
                    self._send(200, {"status": "ok", "rules_version": "stub"})
                elif path == "/api/v1/hours":
                    self._send(200, stub.hours())
                else:
                    self._send(404, {"code": "not_found", "message": "stub"})

            def do_POST(self):
                stub.requests.append("POST " + self.path)
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if stub.garbage and self.path in GARBAGE:
                    self._send(200, GARBAGE[self.path])
                elif self.path == "/api/v1/precheck":
                    time.sleep(stub.precheck_delay)
                    self._send(
                        200,
                        {
                            "category": "other",
                            "language": "en",
                            "findings": [
                                {
                                    "code": "missing_order_id",
                                    "severity": "error",
                                    "message": {"zh": "缺少订单号", "en": "Order id missing"},
                                }
                            ],
                        },
                    )
                elif self.path == "/api/v1/classify":
                    self._send(
                        200,
                        {
                            "language": "en",
                            "suggestions": [
                                {
                                    "category": "other",
                                    "label": {"zh": "其他", "en": "Other"},
                                    "score": 0.2,
                                    "priority": "normal",
                                    "channel": "case",
                                    "reasons": [],
                                }
                            ],
                        },
                    )
                else:
                    self._send(404, {"code": "not_found", "message": "stub"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def hours(self) -> dict:
        now = time.time()
        opens, closes = self.open_at, self.open_at + 3600
        interval = {
            "start": _iso(opens, SELLER_TZ),
            "end": _iso(closes, SELLER_TZ),
            "start_marketplace": _iso(opens, MARKET_TZ),
            "end_marketplace": _iso(closes, MARKET_TZ),
        }
        is_open = opens <= now < closes
        nxt = closes if is_open else opens
        label = {"zh": "电话", "en": "Phone"}
        week = now + 7 * 86400
        always = {
            "start": _iso(now, SELLER_TZ),
            "end": _iso(week, SELLER_TZ),
            "start_marketplace": _iso(now, MARKET_TZ),
            "end_marketplace": _iso(week, MARKET_TZ),
        }
        return {
            "marketplace": "US",
            "at": _iso(now, SELLER_TZ),
            "at_marketplace": _iso(now, MARKET_TZ),
            "seller_timezone": "Asia/Shanghai",
            "marketplace_timezone": "America/New_York",
            "channels": [
                {
                    "channel": "phone",
                    "label": label,
                    "status": "open" if is_open else "closed",
                    "scope": "high_priority",
                    "note": {"zh": "", "en": ""},
                    "next_change": _iso(nxt, SELLER_TZ),
                    "next_change_marketplace": _iso(nxt, MARKET_TZ),
                    "open_intervals": [interval],
                },
                {
                    "channel": "chat",
                    "label": {"zh": "在线聊天", "en": "Chat"},
                    "status": "open",
                    "scope": "high_priority",
                    "note": {"zh": "", "en": ""},
                    "next_change": None,
                    "next_change_marketplace": None,
                    "open_intervals": [always],
                },
                {
                    "channel": "case",
                    "label": {"zh": "工单", "en": "Case"},
                    "status": "open",
                    "scope": "all",
                    "note": {"zh": "", "en": ""},
                    "next_change": None,
                    "next_change_marketplace": None,
                    "open_intervals": [always],
                    "reply_by": _iso(now + 72 * 3600, SELLER_TZ),
                    "reply_by_marketplace": _iso(now + 72 * 3600, MARKET_TZ),
                },
            ],
            "notices": [],
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

"""A tiny stand-in backend for the few scenarios the real one cannot stage on
demand: a channel that opens a few seconds from now (badges must tick over
without a reload), a precheck (or every endpoint) that answers too slowly
(submit must not be blocked), and a backend that answers garbage or drops the
connection (``mode``, see RAW_MODES). Everything else the extension needs comes
from the real backend in the other tests."""

from __future__ import annotations

import json
import socket
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
                "eligibility": {"usable": False, "reasons": [{"code": XSS, "message": XSS}, 7]},
            },
            {"channel": "case", "status": "open", "eligibility": {"usable": False, "reasons": 3}},
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
                "templates": [5, {"id": XSS, "label": 3}],
                "special_channel": {"routes": {"US": "javascript:alert(1)"}},
            }
        ]
    },
    "/api/v1/compose": {"text": 5, "subject": None, "remaining": "x"},
    "/api/v1/precheck": {"findings": [{"code": XSS, "severity": "error", "message": 5}, "junk"]},
    "/api/v1/selectors": {"support_pages": "x", "anchors": 3},
    "/api/v1/marketplaces": {"marketplaces": [{"code": "US"}, 7]},
}


HUGE = 6 * 1024 * 1024  # over the extension's 4 MiB limit for an answer

# mode -> (content type, body) sent with 200 to every request; "reset" drops the connection.
RAW_MODES = {
    "html": (
        "text/html",
        b"<!doctype html><title>Welcome</title><script>window.__xss=1</script><h1>It works</h1>",
    ),
    "text": ("text/plain", b"Internal Server Error"),
    "truncated": ("application/json", b'{"channels": [{"channel": "phone", "status": "op'),
    "array": ("application/json", b'[{"channel": "phone", "status": "open"}]'),
    "null": ("application/json", b"null"),
    "number": ("application/json", b"42"),
    "string": ("application/json", b'"<img src=x onerror=window.__xss=1>"'),
    "wrong_shape": (
        "application/json",
        b'{"channels": "nope", "marketplaces": {"US": 1}, "categories": 3,'
        b' "support_pages": null, "findings": {"x": 1}, "suggestions": "x", "status": 5}',
    ),
    "not_utf8": ("application/json", b'{"status": "\xff\xfe"}'),
    "huge": ("application/json", b'{"channels": []' + b" " * HUGE + b"}"),
    "huge_stream": ("application/json", b'{"channels": []' + b" " * HUGE + b"}"),
    "reset": ("", b""),
}


class StubBackend:
    def __init__(
        self,
        opens_in: float = 3.0,
        precheck_delay: float = 0.0,
        garbage: bool = False,
        delay_all: float = 0.0,
        mode: str | None = None,
    ):
        self.open_at = time.time() + opens_in
        self.precheck_delay = precheck_delay
        self.garbage = garbage  # answer with malformed, hostile JSON
        self.delay_all = delay_all  # every request waits this long first
        assert mode is None or mode in RAW_MODES, mode
        self.mode = mode
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

            def _raw(self) -> bool:
                """Stage a slow answer and the raw modes; True when the request is done."""
                if stub.delay_all:
                    time.sleep(stub.delay_all)
                if stub.mode is None:
                    return False
                if stub.mode == "reset":  # a crashed backend: connection closed, no answer
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return True
                content_type, body = RAW_MODES[stub.mode]
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                if stub.mode == "huge_stream":  # no length: read until the connection closes
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up reading: that is the point
                return True

            def do_GET(self):
                stub.requests.append("GET " + self.path)
                if self._raw():
                    return
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
                if self._raw():
                    return
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
                                    "confidence": "low",
                                    "priority": "normal",
                                    "channel": "case",
                                    "reasons": [],
                                    "similar_cases": 0,
                                }
                            ],
                        },
                    )
                else:
                    self._send(404, {"code": "not_found", "message": "stub"})

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # dropped connections: quiet
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
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

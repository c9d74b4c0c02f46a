"""waitress as `make run` serves the app: the server's own refusals are JSON like the API's,
a flood of idle or slow connections cannot lock new ones out, and the default loopback is
served on IPv4 and IPv6."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from waitress.utilities import (
    BadRequest,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    ServerNotImplemented,
)

log = logging.getLogger(__name__)

# Open files the process needs besides its connections: listeners, their wake-up pipes,
# the case log, the rules watcher, logs.
SPARE_FILES = 64
WARN_EVERY_SECONDS = 60


class JsonErrorTask(ErrorTask):
    """What waitress refuses before the app sees it (malformed requests, headers or bodies
    over its limits) is answered as the API answers: JSON `{code, message}`."""

    def execute(self):
        error = self.request.error
        body = json.dumps(
            {"code": _code(error), "message": _message(error, self.channel.adj)},
            separators=(",", ":"),
        )
        payload = body.encode("utf-8")
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend(
            [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff")]
        )
        self.set_close_on_finish()
        self.content_length = len(payload)
        self.write(payload)


def _code(error) -> str:
    return error.reason.lower().replace(" ", "_")  # the app's codes: request_entity_too_large


def _message(error, adj: Adjustments) -> str:
    # waitress refuses a body or header block of its limit or more
    if isinstance(error, RequestEntityTooLarge):
        size = adj.max_request_body_size
        return f"The body is {size:,} bytes or more: over every endpoint's limit."
    if isinstance(error, RequestHeaderFieldsTooLarge):
        size = adj.max_request_header_size
        return f"The request line and headers are {size:,} bytes or more: over the limit."
    if isinstance(error, BadRequest | ServerNotImplemented):
        return f"Malformed HTTP request: {error.body}"
    return "Unexpected server error; see the backend log."


class _Channel(HTTPChannel):
    error_task_class = JsonErrorTask


class _Listener(TcpWSGIServer):
    """At the connection limit, instead of refusing everyone new (waitress's way, which
    lets idle or slow clients lock the others out until they time out), close the
    connection idle longest that has no request in service, and accept."""

    channel_class = _Channel
    _warned_at = float("-inf")

    def readable(self):
        now = time.time()
        if now >= self.next_channel_cleanup:
            self.next_channel_cleanup = now + self.adj.cleanup_interval
            self.maintenance(now)
        if not self.accepting:
            return False
        if len(self._map) < self.adj.connection_limit:
            return True
        if now - self._warned_at > WARN_EVERY_SECONDS:  # a flood must not flood the log
            log.warning(
                "%d connections open: closing the idlest to make room", self.adj.connection_limit
            )
            self._warned_at = now
        self._close_idlest()
        return False

    def _close_idlest(self) -> None:
        idle = [
            channel
            for channel in self._map.values()
            if isinstance(channel, HTTPChannel)
            and not channel.requests  # none received in full, none in service
            and not channel.total_outbufs_len
            and not (channel.will_close or channel.close_when_flushed)
        ]
        if idle:
            # Closed by the loop (the channel turns writable), never under its feet.
            min(idle, key=lambda channel: channel.last_activity).will_close = True
            self.pull_trigger()


class Server:
    """waitress's loop over one or more listening sockets, with `run()` and `stop()`."""

    def __init__(self, app, sockets: list[socket.socket], **adjustments):
        self.adj = Adjustments(sockets=sockets, **adjustments)
        self.map: dict = {}
        self.dispatcher = ThreadedTaskDispatcher()
        self.dispatcher.set_thread_count(self.adj.threads)
        self.listeners = [
            _Listener(
                app,
                self.map,
                _sock=sock,
                dispatcher=self.dispatcher,
                adj=self.adj,
                bind_socket=False,
                sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()),
            )
            for sock in sockets
        ]
        self._stopping = threading.Event()

    @property
    def addresses(self) -> list[tuple[str, int]]:
        return [(s.effective_host, int(s.effective_port)) for s in self.listeners]

    def run(self) -> None:
        try:
            while self.map and not self._stopping.is_set():
                wasyncore.loop(
                    timeout=self.adj.asyncore_loop_timeout,
                    map=self.map,
                    use_poll=self.adj.asyncore_use_poll,
                    count=1,
                )
        except (SystemExit, KeyboardInterrupt):
            pass
        finally:
            self.dispatcher.shutdown()
            wasyncore.close_all(self.map)

    def stop(self) -> None:
        """Ask `run()` to return (from another thread); it closes every socket."""
        self._stopping.set()
        self.listeners[0].pull_trigger()


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (not yet listening); raises OSError."""
    family, _, _, _, address = socket.getaddrinfo(
        host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, socket.IPPROTO_TCP, socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        if os.name != "nt":  # on Windows SO_REUSEADDR would let others take the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


LOOPBACK_PAIRS = {"127.0.0.1": "::1", "localhost": "::1", "::1": "127.0.0.1"}


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """The socket for host:port and, for a loopback host, the other family's loopback on the
    same port ([::1] beside 127.0.0.1), when this machine has it."""
    first = listening_socket(host, port)
    sockets = [first]
    other = LOOPBACK_PAIRS.get(host)
    if other is not None:
        if other == "::1" and first.family == socket.AF_INET6:  # localhost resolved to ::1
            other = "127.0.0.1"
        try:
            sockets.append(listening_socket(other, first.getsockname()[1]))
        except OSError as exc:
            log.warning("also listening on %s failed, %s only: %s", other, host, exc)
    return sockets


def fit_connection_limit(wanted: int) -> int:
    """Raise the soft limit on open files (POSIX) so that `wanted` connections fit; where
    the hard limit is lower, allow fewer connections. (On Windows, waitress's select()
    handles 512 sockets: keep `wanted` below that.)"""
    try:
        import resource
    except ImportError:  # Windows
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, soft - SPARE_FILES))

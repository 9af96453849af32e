"""Load shedding, as plain ASGI middleware: when more requests already wait for one of this process's
request threads than `max_waiting` (settings.server.max_waiting), a new API request is answered 503 at once,
with Retry-After, instead of joining a queue it would leave only after the client gave up. Without it a
server offered more than it can do queued everything: every answer came later than the one before, past any
client's timeout, and the waiting requests' memory grew (bench/bench_load.py at 120/s on a busy machine:
every request timed out). Probes (/healthz, /readyz) and /metrics are never shed. A page of the dashboard is
answered a page saying the server is busy, in the dashboard's style and language."""

from __future__ import annotations

import json
from collections.abc import Callable

import anyio.to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from serving.dashboard import routes as dashboard

SHED_PREFIXES = ("/v1/", "/dashboard")
RETRY_AFTER_S = 1


def threads_waiting() -> int:
    """Requests of this event loop waiting for a request thread now."""
    return int(anyio.to_thread.current_default_thread_limiter().statistics().tasks_waiting)


class QueueLimit:
    def __init__(self, app: ASGIApp, max_waiting: int, waiting: Callable[[], int] = threads_waiting) -> None:
        self.app = app
        self.max_waiting = max_waiting
        self._waiting = waiting
        self.shed = 0  # requests refused since start (a counter for tests and metrics)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(SHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        waiting = self._waiting()
        if waiting < self.max_waiting:
            await self.app(scope, receive, send)
            return
        self.shed += 1
        if dashboard.reads_pages(Request(scope)):  # a person in a browser: a page of the dashboard
            busy = dashboard.unavailable_page(Request(scope, receive), "busy", RETRY_AFTER_S)
            await busy(scope, receive, send)
            return
        body = json.dumps({
            "error": "overloaded",
            "detail": f"{waiting} requests are waiting in this server process (limit {self.max_waiting}); "
            "retry after the time in Retry-After",
        }).encode()
        await send({
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"application/json"), (b"retry-after", str(RETRY_AFTER_S).encode()),
                        (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})

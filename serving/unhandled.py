"""The last resort for an exception no handler of the family took (a bug, a database failure): the client gets
500 with the one body shape, and the log gets the exception's type, the request's method and path and the
traceback's frames — never the exception's message, which may embed customer text or SQL parameters
(core.logs writes tracebacks that way), nor the query string or body. Plain ASGI middleware, outside the
others: Starlette's own handler would re-raise, and the server would log the whole exception again."""

from __future__ import annotations

import json
import logging
import secrets
import sys

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import EscalationError
from core.logs import exception_name

log = logging.getLogger("serving")


class UnhandledErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, _said_in_one_line(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # anything: this is where unexpected failures end
            ref = secrets.token_hex(4)
            log.error("%s %s failed (ref %s): %s", scope["method"], scope["path"], ref, exception_name(exc),
                      exc_info=exc)
            if started:  # the status line is out: nothing else can be said to the client
                return
            detail = f"unexpected server error (ref {ref}); the server log has its traceback under this ref"
            body = json.dumps({"error": "internal_error", "detail": detail}).encode()
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def _said_in_one_line(send: Send) -> Send:
    """Start-up that failed for a reason of ours (a setting's file missing, a model that cannot be loaded):
    the server logs the message the framework sends, a whole traceback; ours says what and what to do in
    one line. Anything else keeps its traceback."""

    async def sending(message: Message) -> None:
        failed = sys.exc_info()[1]  # the framework sends the failure from inside its `except` block
        if message["type"] == "lifespan.startup.failed" and isinstance(failed, EscalationError):
            message = {**message, "message": f"start-up failed: {failed}"}
        await send(message)

    return sending
